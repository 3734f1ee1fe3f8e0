using JasperFx.Events;
using JasperFx.Events.Grouping;
using Marten;
using Marten.Events.Projections;
using Merit.Recruitment;
using Merit.Recruitment.Ranking;

namespace Merit.Projections.Analytics;

/// <summary>
/// The analytics read model of one formation (formasi): its dimensions, the funnel of its applicants by sex, its
/// SKD cut-off and final result as numbers, and the optimisation effect. Any filter combination is answered by
/// summing these documents at query time (docs/adr/0008). Holds no personal data and no application id;
/// <see cref="FunnelCounts.LastSequence"/> is the last event it reflects.
/// </summary>
public sealed class FormationAnalytics : FunnelCounts
{
    public Guid Id { get; set; }

    public Guid RoundId { get; set; }

    public string Code { get; set; } = "";

    public string InstansiCode { get; set; } = "";

    public string Position { get; set; } = "";

    public string Location { get; set; } = "";

    public FormationCategory Category { get; set; }

    /// <summary>SKB quota: the rule set's multiplier × allocation.</summary>
    public int Quota { get; set; }

    /// <summary>The lowest SKD total admitted to the SKB: the cut-off score the formation actually reached.</summary>
    public int? CutOffTotal { get; set; }
}

/// <summary>One <see cref="FormationAnalytics"/> per formation, from the formation's events and its applicants' events. Asynchronous.</summary>
public sealed class FormationAnalyticsProjection : RoundReadModelProjection<FormationAnalytics, Guid>
{
    public const string ProjectionName = "AnalyticsFormation";

    public FormationAnalyticsProjection()
    {
        Name = ProjectionName;
        Identity<IFormationEvent>(e => e.FormationId);
        Identity<IApplicationEvent>(e => e.FormationId);
        foreach (var type in FunnelCounts.FormationEvents.Concat(FunnelCounts.ApplicationEvents))
        {
            IncludeType(type);
        }
    }

    public override Task EnrichEventsAsync(SliceGroup<FormationAnalytics, Guid> group, IQuerySession querySession, CancellationToken cancellation) =>
        FunnelCounts.AttributeAsync(group, querySession, cancellation);

    public override FormationAnalytics? Evolve(FormationAnalytics? snapshot, Guid id, IEvent e)
    {
        switch (e.Data)
        {
            case FormationOpened opened:
                snapshot = new FormationAnalytics
                {
                    Id = opened.FormationId,
                    RoundId = opened.RoundId,
                    Code = opened.Code,
                    InstansiCode = opened.InstansiCode,
                    Position = opened.Position,
                    Location = opened.Location,
                    Category = opened.Category,
                };
                break;
            case SkdCutOffDecided cutOff when snapshot is not null:
                var admitted = cutOff.Entries.Where(x => x.Outcome is CutOffOutcome.Admitted or CutOffOutcome.AdmittedOnTie).ToList();
                snapshot.Quota = cutOff.Quota;
                snapshot.CutOffTotal = admitted.Count == 0 ? null : admitted.Min(x => x.Total);
                break;
        }

        // An event of a formation never seen opened cannot be placed in any dimension.
        snapshot?.Count(e);
        return snapshot;
    }
}
