using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Merit.Testing;
using Merit.Tests.Recruitment;
using Xunit;
using Marten;
using Merit.Projections;
using Npgsql;

namespace Merit.Tests.Faults;

/// <summary>
/// The event store and read models read straight from PostgreSQL, as an operator with database access sees them:
/// what the fault tests assert on, whatever the (killed) Host answered.
/// </summary>
public sealed class StoredState(string connectionString)
{
    private const string Schema = MeritStore.SchemaName;

    public async Task<long> ScalarAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return Convert.ToInt64(await command.ExecuteScalarAsync() ?? 0L, System.Globalization.CultureInfo.InvariantCulture);
    }

    public Task<long> EventsAsync(string type) => ScalarAsync($"select count(*) from {Schema}.mt_events where type = @type", ("type", type));

    public Task<long> NewestSequenceAsync() => ScalarAsync($"select coalesce(max(seq_id), 0) from {Schema}.mt_events");

    /// <summary>Each stream's events of one type, as (stream, event data as JSON text).</summary>
    public async Task<List<(Guid Stream, string Data)>> EventsOfTypeAsync(string type)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"select stream_id, data::text from {Schema}.mt_events where type = @type", connection);
        command.Parameters.AddWithValue("type", type);
        var result = new List<(Guid, string)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            result.Add((reader.GetGuid(0), reader.GetString(1)));
        }

        return result;
    }

    /// <summary>A document table (e.g. the inline snapshots of the write model), as id → document JSON text.</summary>
    public async Task<Dictionary<string, string>> DocumentsAsync(string table)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"select id::text, data::text from {Schema}.{table}", connection);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            result[reader.GetString(0)] = reader.GetString(1);
        }

        return result;
    }

    /// <summary>The slowest asynchronous projection's position: where every projection has got to at least.</summary>
    public Task<long> SlowestProjectionAsync() =>
        ScalarAsync($"select coalesce(min(last_seq_id), 0) from {Schema}.mt_event_progression where name like '%:%'");

    /// <summary>Waits until every asynchronous projection has processed every event stored (the daemon runs in a Host process).</summary>
    public async Task WaitForProjectionsAsync(TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (await ScalarAsync($"select count(*) from {Schema}.mt_event_progression where name like '%:%'") < AsyncProjections.Count
            || await SlowestProjectionAsync() < await NewestSequenceAsync())
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"The asynchronous projections did not catch up within {timeout}: at {await SlowestProjectionAsync()} of {await NewestSequenceAsync()}.");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>For failure messages: each projection's position, the newest event, and who holds which lock.</summary>
    public async Task<string> DescribeDaemonAsync()
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            $"select string_agg(name || '=' || last_seq_id, ', ' order by name) from {Schema}.mt_event_progression", connection);
        var progression = await command.ExecuteScalarAsync();
        var holders = string.Join(", ", (await LockHoldersAsync()).Select(h => $"{h.Key}: {h.Value}"));
        return $"progression: {progression}; newest event: {await NewestSequenceAsync()}; lock holders: {holders}";
    }

    /// <summary>Which nodes (by application name) hold advisory locks on this database, and how many each.</summary>
    public async Task<Dictionary<string, int>> LockHoldersAsync()
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "select a.application_name, count(*) from pg_locks l join pg_stat_activity a on a.pid = l.pid "
            + "where l.locktype = 'advisory' and l.granted and a.datname = current_database() and a.application_name like 'merit-node-%' group by 1", connection);
        var result = new Dictionary<string, int>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            result[reader.GetString(0)] = (int)reader.GetInt64(1);
        }

        return result;
    }

    /// <summary>Every read model table (id → JSON), to compare the daemon's incremental state with a rebuild from the events.</summary>
    public async Task<string> ReadModelsAsync()
    {
        var builder = new StringBuilder();
        foreach (var table in AsyncProjections.Values.Order(StringComparer.Ordinal))
        {
            builder.Append("== ").Append(table).Append('\n');
            foreach (var (id, data) in (await DocumentsAsync(table)).OrderBy(d => d.Key, StringComparer.Ordinal))
            {
                builder.Append(id).Append(' ').Append(data).Append('\n');
            }
        }

        return builder.ToString();
    }

    /// <summary>
    /// A clean run of the asynchronous projections: each rebuilt from the first event (the same store configuration the
    /// Host runs). Only while no Host runs the daemon on this database.
    /// </summary>
    public async Task RebuildAsyncProjectionsAsync()
    {
        await using var store = DocumentStore.For(o =>
        {
            o.Configure(connectionString, TimeProvider.System);
            o.AutoCreateSchemaObjects = JasperFx.AutoCreate.None;
        });
        using var daemon = await store.BuildProjectionDaemonAsync();
        // By registration: the round's read models rebuild as one composite (docs/adr/0018).
        foreach (var projection in store.Options.Projections.All.Where(p => p.Lifecycle == JasperFx.Events.Projections.ProjectionLifecycle.Async))
        {
            await daemon.RebuildProjectionAsync(projection.Name, TimeSpan.FromMinutes(2), CancellationToken.None);
        }
    }

    /// <summary>Each stored SKD result by application: the scores of every such event in its stream.</summary>
    public async Task<Dictionary<Guid, List<(int, int, int)>>> SkdResultsAsync() =>
        (await EventsOfTypeAsync("skd_result_recorded"))
            .GroupBy(e => e.Stream)
            .ToDictionary(g => g.Key, g => g.Select(e => JsonDocument.Parse(e.Data).RootElement).Select(d => (d.GetProperty("Twk").GetInt32(), d.GetProperty("Tiu").GetInt32(), d.GetProperty("Tkp").GetInt32())).ToList());

    /// <summary>Every stored decision is in the application's snapshot too (same transaction), and none is there twice.</summary>
    public async Task AssertDecisionsWholeAsync(Dictionary<Guid, List<(int Twk, int Tiu, int Tkp)>> stored)
    {
        Assert.All(stored.Values, scores => Assert.Single(scores));
        var snapshots = await DocumentsAsync("mt_doc_application");
        // A member still null is not stored at all (docs/adr/0027).
        var withSkd = snapshots.Where(s => JsonDocument.Parse(s.Value).RootElement.TryGetProperty("Skd", out var skd) && skd.ValueKind == JsonValueKind.Object)
            .ToDictionary(s => Guid.Parse(s.Key), s => JsonDocument.Parse(s.Value).RootElement.GetProperty("Skd").GetProperty("Components"));
        Assert.Equal(stored.Keys.Order(), withSkd.Keys.Order());
        Assert.All(stored, s => Assert.Equal(s.Value[0], (withSkd[s.Key].GetProperty("TWK").GetInt32(), withSkd[s.Key].GetProperty("TIU").GetInt32(), withSkd[s.Key].GetProperty("TKP").GetInt32())));
    }

    /// <summary>The read models the daemon built incrementally, across the faults, equal a rebuild of every projection from the first event.</summary>
    public async Task AssertProjectionsEqualACleanRebuildAsync()
    {
        var incremental = await ReadModelsAsync();
        await RebuildAsyncProjectionsAsync();
        Assert.Equal(incremental, await ReadModelsAsync());
    }

    /// <summary>The asynchronous projections (docs/adr/0008, 0009) and the document table each writes.</summary>
    private static readonly Dictionary<Type, string> AsyncProjections = new()
    {
        [typeof(Merit.Projections.Recruitment.FormationSummaryProjection)] = "mt_doc_formationsummary",
        [typeof(Merit.Projections.Analytics.FormationAnalyticsProjection)] = "mt_doc_analytics_formation",
        [typeof(Merit.Projections.Analytics.RoundRollupProjection)] = "mt_doc_analytics_round_rollup",
        [typeof(Merit.Projections.Analytics.SkdDistributionProjection)] = "mt_doc_analytics_skd_distribution",
        [typeof(Merit.Projections.Analytics.DecisionTimesProjection)] = "mt_doc_analytics_decision_times",
        [typeof(Merit.Projections.Career.PromotionBacklogProjection)] = "mt_doc_promotionbacklog",
        [typeof(Merit.Projections.Career.JptSelectionStatsProjection)] = "mt_doc_jptselectionstats",
    };
}
