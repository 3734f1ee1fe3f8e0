using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Marten;
using Merit.Testing;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Merit.Tests.Security;

/// <summary>Every endpoint declares who may call it; a caller outside that role gets 401/403 and writes nothing.</summary>
public class RoleTests(MeritApp app) : IClassFixture<MeritApp>
{
    [Fact]
    public void The_only_public_endpoints_are_the_API_documentation_and_the_published_dashboard()
    {
        _ = app.CreateClient();
        var anonymous = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is not null)
            .Select(e => e.RoutePattern.RawText!)
            .ToList();

        // /health/live and /health/ready: load balancers probe without a token; the answers hold no case or personal data.
        // An announcement's proof is the address its QR code prints: anyone holding the paper checks it (docs/adr/0045).
        Assert.All(anonymous, route => Assert.True(route == "/" || route is "/dashboard" or "/dashboard/downloads.js" || route is "/health/live" or "/health/ready" || route == "/announcements/{announcementId}/editions/{edition}/proof" || route.StartsWith("/openapi", StringComparison.Ordinal) || route.StartsWith("/api", StringComparison.Ordinal) || route.StartsWith("/scalar", StringComparison.Ordinal), route));
    }

    [Fact]
    public async Task Without_a_token_a_command_is_401_and_writes_nothing()
    {
        using var anonymous = new HttpClient(app.Server.CreateHandler()) { BaseAddress = app.Server.BaseAddress };
        await using var session = app.Store.QuerySession();
        var before = await session.Events.QueryAllRawEvents().CountAsync();
        var response = await anonymous.PostAsJsonAsync("/rounds", new { code = "CPNS-2024-ANON", name = "x", ruleSetVersion = "CPNS-2024" });
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(before, await session.Events.QueryAllRawEvents().CountAsync());
    }

    [Theory]
    [InlineData("auditor")]
    [InlineData("analyst")]
    public async Task A_reader_cannot_record_a_decision_403_and_nothing_written(string role)
    {
        var api = new RecruitmentApi(app.CreateClient());
        var round = await api.OpenRoundAsync($"CPNS-2024-{role.ToUpperInvariant()}");
        await using var session = app.Store.QuerySession();
        var before = await session.Events.QueryAllRawEvents().CountAsync();

        var response = await app.ClientAs("someone", role).PostAsJsonAsync($"/rounds/{round}/stage", new { to = "Registration" });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(before, await session.Events.QueryAllRawEvents().CountAsync());
    }

    [Fact]
    public async Task A_committee_member_cannot_open_rounds_that_is_for_admins()
    {
        var response = await app.ClientAs("panitia", "committee").PostAsJsonAsync("/rounds", new { code = "CPNS-2024-COM", name = "x", ruleSetVersion = "CPNS-2024" });
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    /// <summary>Each office's decision is its own: the committee token is refused it, the office's token is admitted (then answered by the case: here none exists).</summary>
    [Theory]
    [InlineData("bkn", "/civil-servants/{0}/blocks", """{"reference":"BKN-1","reason":"verifikasi","on":"2025-09-01"}""")]
    [InlineData("bkn", "/civil-servants/{0}/blocks/BKN-1/lifting", """{"on":"2025-09-20"}""")]
    [InlineData("ppk", "/jpt-selections/{0}/appointment", """{"applicantCode":"A1","reason":"pengalaman"}""")]
    [InlineData("bkn", "/civil-servants/{0}/promotions/{0}/approval", """{"decreeNumber":"SK-1"}""")]
    [InlineData("panselnas", "/formations/{0}/tie-resolution", """{"chosen":["00000000-0000-0000-0000-000000000001"],"reason":"usia"}""")]
    [InlineData("panselnas", "/formations/{0}/optimisation-proposals/{0}/decision", """{"approve":false,"reason":"tidak sesuai"}""")]
    [InlineData("pansel-member", "/jpt-selections/{0}/scores", """{"applicantCode":"A1","stage":"interview","score":80,"noConflictDeclared":true}""")]
    public async Task An_offices_decision_is_refused_to_the_committee_and_admitted_to_the_office(string office, string route, string body)
    {
        var path = string.Format(System.Globalization.CultureInfo.InvariantCulture, route, Guid.NewGuid());
        await using var session = app.Store.QuerySession();
        var before = await session.Events.QueryAllRawEvents().CountAsync();

        var refused = await app.ClientAs("panitia", "committee", "admin", "auditor").PostAsync(path, new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(before, await session.Events.QueryAllRawEvents().CountAsync());

        var admitted = await app.ClientAs("EXT-1", office).PostAsync(path, new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        Assert.True(admitted.StatusCode is not (HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized), $"{(int)admitted.StatusCode}: {await admitted.Content.ReadAsStringAsync()}");
    }

    [Fact]
    public async Task An_analyst_cannot_read_a_case()
    {
        var api = new RecruitmentApi(app.CreateClient());
        var (_, _, application) = await api.ApplicantReadyForSkdAsync("CPNS-2024-ANL", "3171010101900021");
        Assert.Equal(HttpStatusCode.Forbidden, (await app.ClientAs("analis", "analyst").GetAsync($"/applications/{application}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.ClientAs("auditor-bpk", "auditor").GetAsync($"/applications/{application}")).StatusCode);
    }

    [Fact]
    public async Task A_committee_member_decides_only_in_the_rounds_of_their_scope()
    {
        var api = new RecruitmentApi(app.CreateClient());
        var (_, _, application) = await api.ApplicantReadyForSkdAsync("CPNS-2024-SCOPE", "3171010101900061");
        await using var session = app.Store.QuerySession();
        var before = await session.Events.QueryAllRawEvents().CountAsync();

        var outside = await app.ScopedClientAs("panitia-lain", ["CPNS-2023"], "committee").PostAsJsonAsync($"/applications/{application}/skd-result", new { twk = 70, tiu = 90, tkp = 170 });
        Assert.Equal(HttpStatusCode.Forbidden, outside.StatusCode);
        Assert.Equal(before, await session.Events.QueryAllRawEvents().CountAsync());

        var inside = await app.ScopedClientAs("panitia-ini", ["CPNS-2024-SCOPE"], "committee").PostAsJsonAsync($"/applications/{application}/skd-result", new { twk = 70, tiu = 90, tkp = 170 });
        Assert.Equal(HttpStatusCode.OK, inside.StatusCode);
    }

    [Fact]
    public async Task The_list_of_rounds_holds_only_the_rounds_of_the_callers_scope()
    {
        var api = new RecruitmentApi(app.CreateClient());
        var mine = await api.OpenRoundAsync("CPNS-2024-LIST-A");
        var other = await api.OpenRoundAsync("CPNS-2024-LIST-B");

        var scoped = (await app.ScopedClientAs("panitia-a", ["CPNS-2024-LIST-A"], "committee").GetFromJsonAsync<JsonArray>("/rounds"))!;
        Assert.Equal([mine], scoped.Select(r => r!["id"]!.GetValue<Guid>()));

        var admin = (await app.ScopedClientAs("admin", ["CPNS-2024-LIST-A"], "admin").GetFromJsonAsync<JsonArray>("/rounds"))!;
        Assert.Contains(admin, r => r!["id"]!.GetValue<Guid>() == other && r["stage"]!.GetValue<string>() == "Announcement");
        var codes = admin.Select(r => r!["code"]!.GetValue<string>()).ToList();
        Assert.Equal(codes.Order(StringComparer.Ordinal), codes);
    }

    [Fact]
    public async Task A_forged_token_is_refused()
    {
        using var client = new HttpClient(app.Server.CreateHandler()) { BaseAddress = app.Server.BaseAddress };
        var key = new Microsoft.IdentityModel.Tokens.SymmetricSecurityKey(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var token = new Merit.Security.Tokens(key, TimeProvider.System).Issue("mallory", ["admin"], ["*"], TimeSpan.FromHours(1));
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsJsonAsync("/rounds", new { code = "CPNS-2024-FORGED", name = "x", ruleSetVersion = "CPNS-2024" })).StatusCode);
    }
}
