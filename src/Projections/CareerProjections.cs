using JasperFx.Events.Projections;
using Marten;
using Merit.Career;
using Merit.Projections.Career;

namespace Merit.Projections;

/// <summary>Registers the career write models (inline snapshots) and read models with Marten.</summary>
public static class CareerProjections
{
    public static StoreOptions AddCareerProjections(this StoreOptions options)
    {
        // Write models: the aggregates decisions are taken on, kept current in the same transaction.
        options.Projections.Add<CareerRecordProjection>(ProjectionLifecycle.Inline);
        options.Projections.Add<JptSelectionProjection>(ProjectionLifecycle.Inline);
        options.Projections.Add<InstansiTalentMatrixProjection>(ProjectionLifecycle.Inline);
        options.Projections.Add<UnitAppraisalProjection>(ProjectionLifecycle.Inline);

        // Read models for analytics, built by the daemon.
        options.Projections.Add<PromotionBacklogProjection>(ProjectionLifecycle.Async);
        options.Projections.Add<JptSelectionStatsProjection>(ProjectionLifecycle.Async);
        options.Schema.For<CareerRecord>().Index(x => x.InstansiCode);
        options.Schema.For<JptSelectionStats>().Index(x => x.InstansiCode);
        return options;
    }
}
