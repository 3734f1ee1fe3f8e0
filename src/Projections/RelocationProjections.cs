using JasperFx.Events.Projections;
using Marten;
using Merit.Projections.Relocation;
using Merit.Relocation;

namespace Merit.Projections;

/// <summary>Registers the relocation write models (inline snapshots) and its progress read model with Marten.</summary>
public static class RelocationProjections
{
    public static StoreOptions AddRelocationProjections(this StoreOptions options)
    {
        // Write models: the aggregates decisions are taken on, kept current in the same transaction.
        options.Projections.Add<RelocationWaveProjection>(ProjectionLifecycle.Inline);
        options.Projections.Add<HousingQuotaProjection>(ProjectionLifecycle.Inline);
        options.Projections.Add<RelocationCaseProjection>(ProjectionLifecycle.Inline);

        // Analytics, built by the daemon.
        options.Projections.Add<RelocationProgressProjection>(ProjectionLifecycle.Async);

        // A selection reads every case of its wave and instansi.
        options.Schema.For<RelocationCase>().Index(x => x.WaveId).Index(x => x.InstansiCode);
        options.Schema.For<HousingQuota>().Index(x => x.WaveId);
        options.Schema.For<RelocationProgress>().Index(x => x.WaveId);
        return options;
    }
}
