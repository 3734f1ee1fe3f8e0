using Marten;
using Merit.Infrastructure;
using Merit.Projections;
using Merit.Projections.Analytics;
using Npgsql;

namespace Merit.Analytics;

/// <summary>How far one analytics projection has read the event store.</summary>
public sealed record ProjectionProgress(string Name, long Sequence, long EventsBehind);

/// <summary>
/// How far behind the newest event the analytics read models are. The projections are asynchronous: an answer
/// reflects every event up to <see cref="ProjectedThroughSequence"/>, and <see cref="EventsBehind"/> events
/// appended since are not in it yet.
/// </summary>
/// <param name="NewestEventSequence">The highest event sequence appended.</param>
/// <param name="HighWaterMark">The daemon's high-water mark: the sequence below which no event can still appear.</param>
/// <param name="ProjectedThroughSequence">The least progress of the analytics projections.</param>
/// <param name="EventsBehind">Events appended after <see cref="ProjectedThroughSequence"/>.</param>
/// <param name="SecondsBehind">Time between the newest event and the last one projected; 0 when caught up, null when nothing is projected.</param>
public sealed record Freshness(
    long NewestEventSequence,
    long HighWaterMark,
    long ProjectedThroughSequence,
    long EventsBehind,
    double? SecondsBehind,
    DateTimeOffset? NewestEventAt,
    IReadOnlyList<ProjectionProgress> Projections);

/// <summary>
/// Reads the analytics projections' progress against the event store (Marten's progression table and event sequence).
/// The progress is read where the analytics are (<see cref="ReadReplica"/>), the newest event on the primary: on a
/// standby the answer's lag is the daemon's plus the replication's.
/// </summary>
public sealed class FreshnessReader(IDocumentStore store, ReadReplica replica)
{
    public async Task<Freshness> ReadAsync(CancellationToken ct)
    {
        var database = store.Storage.Database;
        var newest = await database.FetchHighestEventSequenceNumber(ct);
        var progress = await ProgressAsync(ct);
        var highWaterMark = progress.GetValueOrDefault("HighWaterMark");
        var projections = AnalyticsProjections.Names
            .Select(name =>
            {
                var sequence = progress.Where(p => p.Key.StartsWith(name + ":", StringComparison.Ordinal)).Select(p => p.Value).DefaultIfEmpty(0).Min();
                return new ProjectionProgress(name, sequence, Math.Max(0, newest - sequence));
            })
            .ToList();
        var through = projections.Min(p => p.Sequence);

        var times = await TimestampsAsync(database.CreateConnection(), [newest, through], ct);
        var newestAt = times.TryGetValue(newest, out var n) ? n : (DateTimeOffset?)null;
        double? seconds = through >= newest ? 0
            : newestAt is { } last && times.TryGetValue(through, out var projectedAt) ? Math.Round((last - projectedAt).TotalSeconds, 1)
            : null;
        return new Freshness(newest, highWaterMark, through, Math.Max(0, newest - through), seconds, newestAt, projections);
    }

    /// <summary>Marten's progression table: each shard's name and the sequence it has projected through.</summary>
    private async Task<Dictionary<string, long>> ProgressAsync(CancellationToken ct)
    {
        await using var read = await replica.BeginAsync(ct);
        await using var command = new NpgsqlCommand($"select name, last_seq_id from {store.Options.Events.DatabaseSchemaName}.mt_event_progression", await read.ConnectionAsync(ct));
        var progress = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            progress[reader.GetString(0)] = reader.GetInt64(1);
        }

        return progress;
    }

    private static async Task<Dictionary<long, DateTimeOffset>> TimestampsAsync(NpgsqlConnection connection, long[] sequences, CancellationToken ct)
    {
        await using (connection)
        {
            await connection.OpenAsync(ct);
            await using var command = new NpgsqlCommand($"select seq_id, timestamp from {MeritStore.SchemaName}.mt_events where seq_id = any($1)", connection);
            command.Parameters.Add(new NpgsqlParameter { Value = sequences });
            var times = new Dictionary<long, DateTimeOffset>();
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                times[reader.GetInt64(0)] = reader.GetFieldValue<DateTimeOffset>(1);
            }

            return times;
        }
    }
}
