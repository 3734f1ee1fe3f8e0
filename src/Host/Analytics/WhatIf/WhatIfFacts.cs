using System.Runtime.CompilerServices;
using Marten;
using Marten.Events;
using Merit.Analytics.WhatIf;
using Merit.Projections.Recruitment;
using Merit.Recruitment;
using Npgsql;

namespace Merit.Analytics;

/// <summary>One formation's record as read, and whether its group (position, education level) holds decisions after the final result.</summary>
public sealed record FormationRead(FormationRecord Record, bool Hold);

/// <summary>
/// Reads a round's recorded facts for a what-if straight from <c>mt_events</c>, as the audit and the write-model
/// rebuild do, a batch of formations at a time: the formations in (position, education level, code) order, so a
/// group that optimisation reaches across comes contiguously; for each batch, its applications' ids from the write
/// model and every event of those streams up to a fixed sequence, folded per formation. Memory holds one batch.
/// Read only: nothing here writes (docs/adr/0042).
/// </summary>
public sealed class WhatIfFacts(IDocumentStore store, int formationsPerBatch = WhatIfFacts.FormationsPerBatch)
{
    public const int FormationsPerBatch = 200;

    private static readonly Type[] RecordTypes =
        [.. new FormationProjection().IncludedEventTypes, .. new ApplicationProjection().IncludedEventTypes];

    private EventGraph Graph => (EventGraph)store.Options.Events;

    /// <summary>The highest event sequence now: a what-if reads the events up to it and no further.</summary>
    public Task<long> HighestSequenceAsync(CancellationToken ct) =>
        store.Storage.Database.FetchHighestEventSequenceNumber(ct);

    public async IAsyncEnumerable<FormationRead> ReadAsync(Guid roundId, long throughSequence, [EnumeratorCancellation] CancellationToken ct)
    {
        await using var query = store.QuerySession();
        var formations = (await query.Query<Formation>().Where(f => f.RoundId == roundId).Select(f => new { f.Id, f.Position, f.EducationLevel, f.Code }).ToListAsync(ct))
            .Select(f => new FormationKey(f.Id, f.Position, f.EducationLevel, f.Code))
            .OrderBy(f => f.Position, StringComparer.Ordinal).ThenBy(f => f.EducationLevel).ThenBy(f => f.Code, StringComparer.Ordinal)
            .ToList();
        var afterFinal = await WithDecisionsAfterFinalAsync(formations.Select(f => f.Id).ToArray(), throughSequence, ct);
        var held = formations.Where(f => afterFinal.Contains(f.Id)).Select(f => (f.Position, f.EducationLevel)).ToHashSet();
        var serializer = store.Options.Serializer();
        var byName = RecordTypes.Distinct().ToDictionary(t => Graph.EventMappingFor(t).EventTypeName, t => t, StringComparer.Ordinal);
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        foreach (var batch in formations.Chunk(formationsPerBatch))
        {
            var ids = batch.Select(f => f.Id).ToArray();
            var applications = await query.Query<Application>().Where(a => a.FormationId.IsOneOf(ids)).Select(a => new { a.Id, a.FormationId }).ToListAsync(ct);
            var streams = new Dictionary<Guid, Guid>(applications.Count + ids.Length);
            foreach (var id in ids)
            {
                streams[id] = id;
            }

            foreach (var a in applications)
            {
                streams[a.Id] = a.FormationId;
            }

            var events = ids.ToDictionary(id => id, _ => new List<RecordedEvent>());
            await using (var command = new NpgsqlCommand(
                $"select seq_id, stream_id, type, data from {Graph.DatabaseSchemaName}.mt_events " +
                "where stream_id = any(@streams) and seq_id <= @through and type = any(@types) and not is_archived order by seq_id",
                connection))
            {
                command.Parameters.AddWithValue("streams", streams.Keys.ToArray());
                command.Parameters.AddWithValue("through", throughSequence);
                command.Parameters.AddWithValue("types", byName.Keys.ToArray());
                await using var reader = await command.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    var data = serializer.FromJson(byName[reader.GetString(2)], reader, 3);
                    events[streams[reader.GetGuid(1)]].Add(new RecordedEvent(reader.GetInt64(0), data));
                }
            }

            foreach (var formation in batch)
            {
                yield return new FormationRead(FormationRecord.Fold(events[formation.Id]), held.Contains((formation.Position, formation.EducationLevel)));
            }
        }
    }

    /// <summary>The formations whose streams hold an optimisation placement into them or a place vacated by a withdrawal.</summary>
    private async Task<HashSet<Guid>> WithDecisionsAfterFinalAsync(Guid[] formationIds, long throughSequence, CancellationToken ct)
    {
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(
            $"select distinct stream_id from {Graph.DatabaseSchemaName}.mt_events where type = any(@types) and seq_id <= @through and stream_id = any(@formations)",
            connection);
        command.Parameters.AddWithValue("types", new[] { typeof(VacancyFilledByOptimisation), typeof(PlaceVacatedByWithdrawal) }.Select(t => Graph.EventMappingFor(t).EventTypeName).ToArray());
        command.Parameters.AddWithValue("through", throughSequence);
        command.Parameters.AddWithValue("formations", formationIds);
        var found = new HashSet<Guid>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            found.Add(reader.GetGuid(0));
        }

        return found;
    }

    private sealed record FormationKey(Guid Id, string Position, EducationLevel EducationLevel, string Code);
}
