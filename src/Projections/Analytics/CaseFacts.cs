using JasperFx.Events;
using Marten;
using Merit.Recruitment;

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
    /// The applicant's sex and final status, read as two fields in PostgreSQL: the funnel projections attribute every
    /// application event of a page, and deserializing whole write-model documents for two fields cost more than the query.
    /// </summary>
    public static async Task<IReadOnlyDictionary<Guid, ApplicantFacts>> ApplicantsAsync(IQuerySession session, IEnumerable<Guid> ids, CancellationToken ct)
    {
        var distinct = ids.Distinct().ToArray();
        return distinct.Length == 0
            ? new Dictionary<Guid, ApplicantFacts>()
            : (await session.Query<Application>().Where(a => a.Id.IsOneOf(distinct)).Select(a => new ApplicantFacts(a.Id, a.Sex, a.FinalStatus)).ToListAsync(ct))
                .ToDictionary(a => a.Id);
    }

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
