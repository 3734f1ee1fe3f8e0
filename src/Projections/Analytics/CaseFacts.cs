using System.Runtime.CompilerServices;
using JasperFx.Events;
using Marten;
using Merit.Recruitment;
using Npgsql;
using NpgsqlTypes;

namespace Merit.Projections.Analytics;

/// <summary>
/// What the analytics projections read beside an event, in one batched query per kind: the formation it concerns
/// (round, instansi, category, location — fixed when the formation is opened), the applicant's sex (fixed at
/// registration; later events do not carry it), and when each stage of a round opened (from the round's own
/// events). Every fact read is fixed before the event that needs it was appended, so a rebuild reads the same
/// facts and yields the same documents; nothing here reads the clock.
/// </summary>
internal static class CaseFacts
{
    public static async Task<IReadOnlyDictionary<Guid, Formation>> FormationsAsync(IQuerySession session, IEnumerable<Guid> ids, CancellationToken ct)
    {
        var distinct = ids.Distinct().ToArray();
        return distinct.Length == 0
            ? new Dictionary<Guid, Formation>()
            : (await session.LoadManyAsync<Formation>(ct, distinct)).ToDictionary(f => f.Id);
    }

    public static async Task<IReadOnlyDictionary<Guid, Application>> ApplicationsAsync(IQuerySession session, IEnumerable<Guid> ids, CancellationToken ct)
    {
        var distinct = ids.Distinct().ToArray();
        return distinct.Length == 0
            ? new Dictionary<Guid, Application>()
            : (await session.LoadManyAsync<Application>(ct, distinct)).ToDictionary(a => a.Id);
    }

    /// <summary>
    /// The applicant's sex and final status, read as two text columns: the funnel projections attribute every
    /// application event of a page, and deserializing whole write-model documents for two fields cost more than the
    /// query; a LINQ projection would have PostgreSQL build a JSON object per row for the Host to parse again.
    /// </summary>
    private static async Task<IReadOnlyDictionary<Guid, ApplicantFacts>> ApplicantsAsync(IQuerySession session, IEnumerable<Guid> ids, CancellationToken ct)
    {
        var distinct = ids.Distinct().ToArray();
        var facts = new Dictionary<Guid, ApplicantFacts>(distinct.Length);
        if (distinct.Length == 0)
        {
            return facts;
        }

        var table = session.DocumentStore.Options.FindOrResolveDocumentType(typeof(Application)).TableName.QualifiedName;
        await using var connection = session.Database.CreateConnection();
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand($"select id, data ->> '{nameof(Application.Sex)}', data ->> '{nameof(Application.FinalStatus)}' from {table} where id = any(@ids)", connection);
        command.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = distinct });
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var id = reader.GetGuid(0);
            facts[id] = new ApplicantFacts(id, Enum.Parse<Sex>(reader.GetString(1)), reader.IsDBNull(2) ? null : Enum.Parse<Merit.Recruitment.Ranking.FinalStatus>(reader.GetString(2)));
        }

        return facts;
    }

    /// <summary>
    /// The applicant facts of these events, each read once however many projections attribute it: the members of
    /// the round's composite (docs/adr/0018) run side by side over the same page of events, and two of them attribute
    /// every application event. The first to ask for an event reads it; the others wait for that read. Keyed by the
    /// event instance of the page, so nothing outlives the page and a later page reads the facts afresh.
    /// </summary>
    public static async Task<IReadOnlyDictionary<Guid, ApplicantFacts>> ApplicantsOfAsync(IQuerySession session, IReadOnlyList<(IEvent Event, Guid ApplicationId)> events, CancellationToken ct)
    {
        var own = new TaskCompletionSource<IReadOnlyDictionary<Guid, ApplicantFacts>>(TaskCreationOptions.RunContinuationsAsynchronously);
        var reads = new HashSet<Task<IReadOnlyDictionary<Guid, ApplicantFacts>>>();
        var mine = new List<Guid>();
        foreach (var (e, applicationId) in events)
        {
            var read = PageReads.GetValue(e, _ => own.Task);
            if (read == own.Task)
            {
                mine.Add(applicationId);
            }
            else
            {
                reads.Add(read);
            }
        }

        if (mine.Count > 0)
        {
            // Completed whatever happens, before waiting on anyone else's read: no member waits on one that waits on it.
            try
            {
                own.SetResult(await ApplicantsAsync(session, mine, ct));
            }
            catch (Exception failure)
            {
                // The members waiting on this read fail with it; a retry of the page reads afresh.
                foreach (var (e, _) in events)
                {
                    if (PageReads.TryGetValue(e, out var read) && read == own.Task)
                    {
                        PageReads.Remove(e);
                    }
                }

                own.SetException(failure);
                throw;
            }

            reads.Add(own.Task);
        }

        var facts = new Dictionary<Guid, ApplicantFacts>();
        foreach (var read in reads)
        {
            foreach (var (id, fact) in await read)
            {
                facts[id] = fact;
            }
        }

        return facts;
    }

    private static readonly ConditionalWeakTable<IEvent, Task<IReadOnlyDictionary<Guid, ApplicantFacts>>> PageReads = new();

    /// <summary>When each stage of each round opened: the round's opening for Announcement, then each stage advance.</summary>
    public static async Task<IReadOnlyDictionary<Guid, IReadOnlyDictionary<RoundStage, DateTimeOffset>>> StageOpeningsAsync(IQuerySession session, IEnumerable<Guid> roundIds, CancellationToken ct)
    {
        var openings = new Dictionary<Guid, IReadOnlyDictionary<RoundStage, DateTimeOffset>>();
        foreach (var roundId in roundIds.Distinct())
        {
            var stages = new Dictionary<RoundStage, DateTimeOffset>();
            foreach (var e in await session.Events.FetchStreamAsync(roundId, token: ct))
            {
                switch (e.Data)
                {
                    case RoundOpened opened:
                        stages[RoundStage.Announcement] = opened.OpenedAt;
                        break;
                    case RoundStageAdvanced advanced:
                        stages[advanced.To] = advanced.At;
                        break;
                }
            }

            openings[roundId] = stages;
        }

        return openings;
    }

    /// <summary>The formation an event is counted under: its own, or for a placement by optimisation the formation whose vacancy it fills.</summary>
    public static Guid? FormationOf(IEvent e) => e.Data switch
    {
        PlacedByOptimisation placed => placed.TargetFormationId,
        IApplicationEvent a => a.FormationId,
        IFormationEvent f => f.FormationId,
        _ => null,
    };
}

/// <summary>The two facts of an applicant the funnel counts need beside an application event.</summary>
internal sealed record ApplicantFacts(Guid Id, Sex Sex, Merit.Recruitment.Ranking.FinalStatus? FinalStatus);
