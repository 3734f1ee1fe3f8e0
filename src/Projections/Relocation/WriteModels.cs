using JasperFx.Events;
using Marten.Events.Aggregation;
using Merit.Relocation;

namespace Merit.Projections.Relocation;

// The relocation aggregates decisions are taken on, kept current inline; each hands the event to the domain's own
// pure Evolve function, as the recruitment and career write models do (docs/adr/0001).

public sealed class RelocationWaveProjection : WriteModelProjection<RelocationWave>
{
    public RelocationWaveProjection() => IncludeType<RelocationWaveOpened>();

    public override RelocationWave? Evolve(RelocationWave? snapshot, Guid id, IEvent e) => RelocationWave.Evolve(snapshot, e.Data);
}

public sealed class HousingQuotaProjection : WriteModelProjection<HousingQuota>
{
    public HousingQuotaProjection() => this.IncludeEventsOf<IHousingQuotaEvent>();

    public override HousingQuota? Evolve(HousingQuota? snapshot, Guid id, IEvent e) => HousingQuota.Evolve(snapshot, e.Data);
}

public sealed class RelocationCaseProjection : WriteModelProjection<RelocationCase>
{
    public RelocationCaseProjection() => this.IncludeEventsOf<IRelocationCaseEvent>();

    public override RelocationCase? Evolve(RelocationCase? snapshot, Guid id, IEvent e) => RelocationCase.Evolve(snapshot, e.Data);
}
