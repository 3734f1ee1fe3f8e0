using JasperFx.Events;
using Marten.Events.Aggregation;
using Merit.Career;

namespace Merit.Projections.Career;

// The career aggregates decisions are taken on, kept current inline. Each projection hands the event to the
// domain's own pure Evolve function, as the recruitment write models do (docs/adr/0001).

public sealed class CareerRecordProjection : SingleStreamProjection<CareerRecord, Guid>
{
    public override CareerRecord? Evolve(CareerRecord? snapshot, Guid id, IEvent e) => CareerRecord.Evolve(snapshot, e.Data);
}

public sealed class JptSelectionProjection : SingleStreamProjection<JptSelection, Guid>
{
    public override JptSelection? Evolve(JptSelection? snapshot, Guid id, IEvent e) => JptSelection.Evolve(snapshot, e.Data);
}

public sealed class InstansiTalentMatrixProjection : SingleStreamProjection<InstansiTalentMatrix, Guid>
{
    public override InstansiTalentMatrix? Evolve(InstansiTalentMatrix? snapshot, Guid id, IEvent e) => InstansiTalentMatrix.Evolve(snapshot, e.Data);
}

public sealed class UnitAppraisalProjection : SingleStreamProjection<UnitAppraisal, Guid>
{
    public override UnitAppraisal? Evolve(UnitAppraisal? snapshot, Guid id, IEvent e) => UnitAppraisal.Evolve(snapshot, e.Data);
}
