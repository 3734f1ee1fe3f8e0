using Marten;
using Npgsql;

namespace Merit.Infrastructure;

/// <summary>
/// Refreshes PostgreSQL's planner statistics of the event tables once bulk writes have outgrown them
/// (docs/adr/0019). The async daemon reads each page as a join of <c>mt_events</c> to <c>mt_streams</c>, filtered by
/// event type, from its floor to the high-water mark with a limit. Planned on statistics taken before an import,
/// the page looks small, and PostgreSQL hash-joins and sorts everything behind the daemon (gigabytes of temporary
/// files over a catch-up) instead of walking <c>seq_id</c> to the limit. Autovacuum analyses too, but only a minute
/// or more after the load, which is when the daemon reads it.
/// </summary>
public sealed partial class EventTableStatistics(IDocumentStore store, ILogger<EventTableStatistics> logger)
{
    /// <summary>Analysed again once the events outnumber those the statistics were taken on by this factor…</summary>
    public double GrowthFactor { get; init; } = 1.25;

    /// <summary>…and by at least this many: small writes are left to autovacuum.</summary>
    public long MinimumGrowth { get; init; } = 10_000;

    private int refreshing;

    /// <summary>Analyses the event tables if they have outgrown their statistics; true if it did.</summary>
    public async Task<bool> RefreshIfOutgrownAsync(CancellationToken ct)
    {
        // Parallel writers check after each batch: one refresh at a time, the next batch checks again.
        if (Interlocked.CompareExchange(ref refreshing, 1, 0) != 0)
        {
            return false;
        }

        try
        {
            var schema = store.Options.Events.DatabaseSchemaName;
            await using var connection = store.Storage.Database.CreateConnection();
            await connection.OpenAsync(ct);
            await using var check = new NpgsqlCommand(
                $"select greatest(c.reltuples, 0)::bigint, s.last_value from pg_class c, {schema}.mt_events_sequence s where c.oid = '{schema}.mt_events'::regclass",
                connection);
            long analysed, events;
            await using (var reader = await check.ExecuteReaderAsync(ct))
            {
                await reader.ReadAsync(ct);
                (analysed, events) = (reader.GetInt64(0), reader.GetInt64(1));
            }

            if (events < analysed * GrowthFactor + MinimumGrowth)
            {
                return false;
            }

            // Only the columns the daemon's page filters and joins on: the JSON bodies' statistics serve no plan here.
            await using var analyze = new NpgsqlCommand(
                $"analyze {schema}.mt_events (seq_id, stream_id, type, is_archived), {schema}.mt_streams (id, type, is_archived)", connection);
            await analyze.ExecuteNonQueryAsync(ct);
            Refreshed(logger, events, analysed);
            return true;
        }
        finally
        {
            Volatile.Write(ref refreshing, 0);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Planner statistics of the event tables refreshed at {Events} events (they were of {Analysed})")]
    private static partial void Refreshed(ILogger logger, long events, long analysed);
}
