using JasperFx.Events;
using Marten;
using Merit.Career;
using Merit.Deciding;
using Merit.PersonalData;
using Merit.Recruitment;
using Merit.Relocation;

namespace Merit.Infrastructure;

/// <summary>The last step of every command handler: append what was decided, or answer with the refusal and append nothing.</summary>
public static class DecisionResults
{
    public static IResult AppendTo<T>(this Decision decision, IEventStream<T> stream, Func<IResult> accepted)
        where T : class
    {
        if (decision.Refusal is { } refusal)
        {
            return Problems.ToResult(refusal);
        }

        stream.AppendMany(decision.Events.ToArray());
        return accepted();
    }

    /// <summary>
    /// For decisions that touch several cases (a formation's cut-off writes every applicant's outcome): events of
    /// the fetched stream go through it, so its expected version guards against a concurrent decision; the others
    /// are appended to their own streams.
    /// </summary>
    public static IResult AppendTo<T>(this Decision decision, IEventStream<T> stream, IDocumentSession session, Func<IResult> accepted)
        where T : class
    {
        if (decision.Refusal is { } refusal)
        {
            return Problems.ToResult(refusal);
        }

        foreach (var e in decision.Events)
        {
            var id = StreamOf(e);
            if (id == stream.Id)
            {
                stream.AppendOne(e);
            }
            else
            {
                session.Events.Append(id, e);
            }
        }

        return accepted();
    }

    /// <summary>Appends an accepted decision's events each to its own stream (batched paths: imports, round-wide decisions).</summary>
    public static void AppendRouted(this IDocumentSession session, Decision decision)
    {
        foreach (var group in decision.Events.GroupBy(StreamOf))
        {
            session.Events.Append(group.Key, group.ToArray());
        }
    }

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
        IJptEvent j => (j.SelectionId, typeof(JptSelection)),
        TalentMatrixAdopted m => (m.MatrixId, typeof(InstansiTalentMatrix)),
        UnitPerformanceRated u => (u.AppraisalId, typeof(UnitAppraisal)),
        IRelocationCaseEvent c => (c.CaseId, typeof(RelocationCase)),
        IHousingQuotaEvent q => (q.QuotaId, typeof(HousingQuota)),
        RelocationWaveOpened w => (w.WaveId, typeof(RelocationWave)),
        _ => throw new InvalidOperationException($"No stream known for {@event.GetType().Name}."),
    };
}
