using Marten;
using Merit.Career;
using Merit.Deciding;
using Merit.PersonalData;
using Merit.Recruitment;
using Merit.Relocation;

namespace Merit.Infrastructure;

/// <summary>Where a decision's events go: each to its own stream, from a command (<see cref="CommandPath"/>) or a bulk path (<see cref="BulkEventWriter"/>).</summary>
public static class DecisionResults
{
    /// <summary>
    /// Appends an accepted decision's events each to its own stream. A stream fetched for writing is in the session
    /// already, at the version read: its events join it there and commit only if no other decision appended meanwhile.
    /// A stream the decision opens without having fetched it (<see cref="Opens"/>) is started, so that a concurrent
    /// opening collides (409) instead of appending a second time; any other stream is appended to as it stands.
    /// </summary>
    public static void AppendRouted(this IDocumentSession session, Decision decision)
    {
        var held = session.PendingChanges.Streams().Select(s => s.Id).ToHashSet();
        foreach (var group in decision.Events.GroupBy(RouteOf))
        {
            var (stream, aggregate) = group.Key;
            var events = group.ToArray();
            if (aggregate is not null && Opens(events[0]) && !held.Contains(stream))
            {
                session.Events.StartStream(aggregate, stream, events);
            }
            else
            {
                session.Events.Append(stream, events);
            }
        }
    }

    /// <summary>Events that open their stream where a decision starts streams it did not fetch: a wave's housing quotas, a nomination's case.</summary>
    private static bool Opens(object @event) => @event is HousingQuotaAllotted or RelocationNominated;

    /// <summary>
    /// An accepted decision's events grouped by stream, for the bulk write path (imports, round-wide decisions): each
    /// stream at the version the decision was taken on (absent from <paramref name="versions"/>: a stream the decision
    /// starts), with the write model it was taken on where <paramref name="snapshotOf"/> holds it.
    /// </summary>
    public static IEnumerable<BulkAppend> BulkAppends(this Decision decision, IReadOnlyDictionary<Guid, long> versions, Func<Guid, object?>? snapshotOf = null) =>
        decision.Events.GroupBy(RouteOf).Select(g => new BulkAppend(g.Key.Stream, g.Key.Aggregate, g.ToList(), versions.GetValueOrDefault(g.Key.Stream))
        {
            Snapshot = snapshotOf?.Invoke(g.Key.Stream),
        });

    public static Guid StreamOf(object @event) => RouteOf(@event).Stream;

    /// <summary>The stream an event belongs to, and that stream's aggregate (its type in the event store; none for a person's log).</summary>
    private static (Guid Stream, Type? Aggregate) RouteOf(object @event) => @event switch
    {
        IPersonalDataLogEvent p => (PersonalDataLog.StreamFor(p.PersonId), null),
        IApplicationEvent a => (a.ApplicationId, typeof(Application)),
        IFormationEvent f => (f.FormationId, typeof(Formation)),
        RoundOpened r => (r.RoundId, typeof(Round)),
        RoundStageAdvanced r => (r.RoundId, typeof(Round)),
        ICareerEvent c => (c.ServantId, typeof(CareerRecord)),
        MeritSystem.IMeritAssessmentEvent m => (m.AssessmentId, typeof(MeritSystem.MeritAssessment)),
        IJptEvent j => (j.SelectionId, typeof(JptSelection)),
        TalentMatrixAdopted m => (m.MatrixId, typeof(InstansiTalentMatrix)),
        UnitPerformanceRated u => (u.AppraisalId, typeof(UnitAppraisal)),
        IRelocationCaseEvent c => (c.CaseId, typeof(RelocationCase)),
        IHousingQuotaEvent q => (q.QuotaId, typeof(HousingQuota)),
        RelocationWaveOpened w => (w.WaveId, typeof(RelocationWave)),
        _ => throw new InvalidOperationException($"No stream known for {@event.GetType().Name}."),
    };
}
