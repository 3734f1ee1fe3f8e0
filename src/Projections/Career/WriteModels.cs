using JasperFx.Events;
using Marten.Events.Aggregation;
using Merit.Career;

namespace Merit.Projections.Career;

// The career aggregates decisions are taken on, kept current inline. Each projection hands the event to the
// domain's own pure Evolve function and declares the events of its own streams, as the recruitment write models do.

public sealed class CareerRecordProjection : WriteModelProjection<CareerRecord>
{
    public CareerRecordProjection() => this.IncludeEventsOf<ICareerEvent>();

    public override CareerRecord? Evolve(CareerRecord? snapshot, Guid id, IEvent e) => CareerRecord.Evolve(snapshot, e.Data);
}

public sealed class JptSelectionProjection : WriteModelProjection<JptSelection>
{
    public JptSelectionProjection() => this.IncludeEventsOf<IJptEvent>();

    public override JptSelection? Evolve(JptSelection? snapshot, Guid id, IEvent e) => JptSelection.Evolve(snapshot, e.Data);
}

public sealed class InstansiTalentMatrixProjection : WriteModelProjection<InstansiTalentMatrix>
{
    public InstansiTalentMatrixProjection() => IncludeType<TalentMatrixAdopted>();

    public override InstansiTalentMatrix? Evolve(InstansiTalentMatrix? snapshot, Guid id, IEvent e) => InstansiTalentMatrix.Evolve(snapshot, e.Data);
}

public sealed class UnitAppraisalProjection : WriteModelProjection<UnitAppraisal>
{
    public UnitAppraisalProjection() => IncludeType<UnitPerformanceRated>();

    public override UnitAppraisal? Evolve(UnitAppraisal? snapshot, Guid id, IEvent e) => UnitAppraisal.Evolve(snapshot, e.Data);
}
