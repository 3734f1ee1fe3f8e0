using Merit.Testing;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Merit.Tests.Security;

/// <summary>
/// docs/security.md's table of endpoints is the authority model as the code holds it: every endpoint of the app is a
/// row with exactly the roles its [Authorize] admits, and no row names an endpoint the app does not map. Deny by
/// default: an endpoint that declares no roles fails unless it is explicitly public ([AllowAnonymous], "public" in the table).
/// </summary>
public class EndpointTableTests(MeritApp app) : IClassFixture<MeritApp>
{
    private const string Public = "public";

    /// <summary>What the table may name as the scope an endpoint checks beyond its roles.</summary>
    private static readonly HashSet<string> Scopes = new(StringComparer.Ordinal) { "—", "round", "instansi", "round, instansi", "instansi, own identity" };

    [Fact]
    public void Every_endpoint_is_in_the_table_with_the_roles_it_admits()
    {
        var table = Table();
        var mapped = Mapped();

        var wrong = mapped
            .Where(e => !table.TryGetValue(e.Key, out var row) || row.Roles != e.Value)
            .Select(e => $"| {e.Key.Method} | `{e.Key.Route}` | {e.Value} | {(table.TryGetValue(e.Key, out var row) ? row.Scope : "?")} |")
            .Concat(table.Keys.Where(k => !mapped.ContainsKey(k)).Select(k => $"{k.Method} {k.Route}: in the table, not mapped"))
            .ToList();

        Assert.True(wrong.Count == 0, "docs/security.md differs from the endpoints (the app's roles on each line):\n" + string.Join('\n', wrong));
    }

    [Fact]
    public void Every_endpoint_declares_its_roles_or_is_explicitly_public()
    {
        var undeclared = Mapped().Where(e => e.Value.Length == 0).Select(e => $"{e.Key.Method} {e.Key.Route}").ToList();
        Assert.Empty(undeclared);
    }

    [Fact]
    public void Every_row_names_known_roles_and_a_known_scope()
    {
        var known = Merit.Security.Roles.All.Append(Public).ToHashSet(StringComparer.Ordinal);
        Assert.All(Table(), row =>
        {
            Assert.All(row.Value.Roles.Split(", "), role => Assert.Contains(role, known));
            Assert.Contains(row.Value.Scope, Scopes);
        });
    }

    /// <summary>Method and route of every endpoint the app maps, with the roles it admits: sorted names, "public", or empty when it declares none.</summary>
    private Dictionary<(string Method, string Route), string> Mapped()
    {
        _ = app.CreateClient();
        return app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["*"]).Select(method => (Key: (method, e.RoutePattern.RawText!), Roles: RolesOf(e))))
            .ToDictionary(e => e.Key, e => e.Roles);
    }

    private static string RolesOf(Endpoint endpoint) =>
        endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null
            ? Public
            : string.Join(", ", EndpointRoles.Of(endpoint).Order(StringComparer.Ordinal));

    /// <summary>The rows of the table in docs/security.md: <c>| METHOD | `route` | roles | scope |</c>.</summary>
    private static Dictionary<(string Method, string Route), (string Roles, string Scope)> Table() =>
        File.ReadLines(Path.Combine(Repository.Root, "docs", "security.md"))
            .Select(line => line.Split('|', StringSplitOptions.TrimEntries))
            .Where(cells => cells.Length == 6 && cells[1] is "GET" or "POST" or "PUT" or "PATCH" or "DELETE" or "*")
            .ToDictionary(cells => (cells[1], cells[2].Trim('`')), cells => (cells[3], cells[4]));
}
