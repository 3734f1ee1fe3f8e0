using System.Text.Json;
using JasperFx.Events.Daemon;
using Marten;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Merit.Health;

/// <summary>
/// ASP.NET's own health checks, for load balancers and orchestrators (docs/adr/0016): <c>/health/live</c> says the
/// process answers (no dependency, so a database outage never gets the node restarted), <c>/health/ready</c> says it
/// can take commands now (PostgreSQL answers) and reports where the asynchronous projections stand.
/// </summary>
public static class HealthEndpoints
{
    public const string ReadyTag = "ready";

    public static IServiceCollection AddMeritHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<PostgresHealthCheck>("postgres", HealthStatus.Unhealthy, [ReadyTag], TimeSpan.FromSeconds(5))
            .AddCheck<ProjectionsHealthCheck>("projections", HealthStatus.Degraded, [ReadyTag], TimeSpan.FromSeconds(5));
        return services;
    }

    /// <summary>Anonymous: a probe carries no token, and the answers hold no case or personal data.</summary>
    public static WebApplication MapMeritHealth(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync })
            .AllowAnonymous().DisableRateLimiting();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag), ResponseWriter = WriteAsync })
            .AllowAnonymous().DisableRateLimiting();
        return app;
    }

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var body = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(
                e => e.Key,
                e => new { status = e.Value.Status.ToString(), description = e.Value.Description, data = e.Value.Data }),
        };
        return JsonSerializer.SerializeAsync(context.Response.Body, body, cancellationToken: context.RequestAborted);
    }
}

/// <summary>PostgreSQL answers a query on Marten's own connection pool.</summary>
public sealed class PostgresHealthCheck(IDocumentStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = store.Storage.Database.CreateConnection();
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "select 1";
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy("PostgreSQL answers.");
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or InvalidOperationException or TimeoutException)
        {
            // The exception's type only: its message may name the server and user.
            return HealthCheckResult.Unhealthy($"PostgreSQL does not answer ({e.GetType().Name}).");
        }
    }
}

/// <summary>
/// Where the asynchronous projections stand: the newest event, the slowest projection's position, and how many
/// projection agents run on this node (HotCold: all of them on the leader, none on a standby). Informational: a
/// lagging projection does not stop a node from taking commands, so it never makes the node unready.
/// </summary>
public sealed class ProjectionsHealthCheck(IDocumentStore store, IServiceProvider services) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var schema = store.Options.Events.DatabaseSchemaName;
        try
        {
            await using var connection = store.Storage.Database.CreateConnection();
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            // Projection shards are named "Projection:All"; the high-water rows are the daemon's own.
            command.CommandText = $"select (select coalesce(max(seq_id), 0) from {schema}.mt_events), "
                + $"(select coalesce(min(last_seq_id), 0) from {schema}.mt_event_progression where name like '%:%')";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            var (newest, slowest) = (reader.GetInt64(0), reader.GetInt64(1));
            // No coordinator when the daemon is disabled (Merit:DaemonMode=Disabled): nothing runs here.
            var agents = services.GetService<IProjectionCoordinator>()?.DaemonForMainDatabase().CurrentAgents().Count ?? 0;
            var data = new Dictionary<string, object> { ["newestEvent"] = newest, ["slowestProjection"] = slowest, ["behind"] = Math.Max(0, newest - slowest), ["agentsOnThisNode"] = agents };
            return HealthCheckResult.Healthy(agents > 0 ? "This node runs the asynchronous projections." : "Another node runs the asynchronous projections (standby).", data);
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or InvalidOperationException or TimeoutException)
        {
            return HealthCheckResult.Degraded($"Projection progress unknown ({e.GetType().Name}).");
        }
    }
}
