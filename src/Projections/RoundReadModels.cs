using Marten;
using Marten.Events.Projections;
using Merit.Projections.Analytics;
using Merit.Projections.Recruitment;

namespace Merit.Projections;

/// <summary>
/// The asynchronous read models fed by a round's application events — the committee's formation summary and the
/// four analytics read models — run as one Marten composite projection: the daemon reads, deserializes and commits
/// each page of events once for all five instead of once each (docs/adr/0018). Each member keeps its own name,
/// tables and progress row; a rebuild is of the composite, by <see cref="Name"/>.
/// </summary>
public static class RoundReadModels
{
    public const string Name = "RoundReadModels";

    public static StoreOptions AddRoundReadModels(this StoreOptions options)
    {
        options.Projections.CompositeProjectionFor(Name, composite =>
        {
            composite.Add<FormationSummaryProjection>();
            composite.Add<FormationAnalyticsProjection>();
            composite.Add<RoundRollupProjection>();
            composite.Add<SkdDistributionProjection>();
            composite.Add<DecisionTimesProjection>();
        });
        return options;
    }
}

/// <summary>
/// A member of <see cref="RoundReadModels"/>. It keeps the composite out of JasperFx's single-pass replay, which
/// starts a composite with no progress by reading up to the event sequence's last value — past the events of
/// transactions still writing (docs/adr/0017), which the read models would then never see. The daemon's ordinary
/// catch-up waits for such a writer instead (docs/adr/0018).
/// </summary>
public abstract class RoundReadModelProjection<TDoc, TId> : MultiStreamProjection<TDoc, TId>
    where TDoc : notnull
    where TId : notnull
{
    public override bool CanParticipateInCompositeReplay => false;
}
