using Marten;

namespace Merit.Projections.Analytics;

/// <summary>Registers the analytics read models (docs/adr/0008): asynchronous, built by the daemon, no personal data.</summary>
public static class AnalyticsProjections
{
    /// <summary>The projections whose progress each analytics answer reports.</summary>
    public static readonly IReadOnlyList<string> Names =
        [FormationAnalyticsProjection.ProjectionName, RoundRollupProjection.ProjectionName, SkdDistributionProjection.ProjectionName, DecisionTimesProjection.ProjectionName];

    public static StoreOptions AddAnalyticsProjections(this StoreOptions options)
    {
        // The projections themselves run in the composite of the round's read models (RoundReadModels, docs/adr/0018).
        // Analytics queries aggregate these tables in SQL (AnalyticsTables in the Host); the names are fixed here for them.
        // Filters select formations through indexed columns; whole-round groupings read the rollups instead.
        options.Schema.For<FormationAnalytics>().DocumentAlias(FormationTable)
            .Duplicate(x => x.RoundId)
            .Duplicate(x => x.InstansiCode)
            .Duplicate(x => x.Category)
            .Duplicate(x => x.Location)
            .Duplicate(x => x.Position)
            .FillFactor(MeritStore.ReadModelFillFactor);
        options.Schema.For<RoundRollup>().DocumentAlias(RollupTable).Duplicate(x => x.RoundId).Duplicate(x => x.Dimension).FillFactor(MeritStore.ReadModelFillFactor);
        options.Schema.For<SkdDistribution>().DocumentAlias(SkdDistributionTable).FillFactor(MeritStore.ReadModelFillFactor);
        options.Schema.For<DecisionTimes>().DocumentAlias(DecisionTimesTable).Duplicate(x => x.RoundId).FillFactor(MeritStore.ReadModelFillFactor);
        return options;
    }

    public const string FormationTable = "analytics_formation";
    public const string RollupTable = "analytics_round_rollup";
    public const string SkdDistributionTable = "analytics_skd_distribution";
    public const string DecisionTimesTable = "analytics_decision_times";
}
