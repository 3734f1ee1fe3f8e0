using JasperFx.Events;
using Marten.Events.Aggregation;
using Merit.Recruitment;

namespace Merit.Projections.Recruitment;

// The aggregates decisions are taken on, kept current inline. Each projection hands the event to the domain's
// own pure Evolve function, so the domain stays free of any event-store convention (docs/adr/0001). Each declares
// the events of its own streams, so a save touches only the write models of the streams it appends to (docs/adr/0018).

public sealed class RoundProjection : WriteModelProjection<Round>
{
    public RoundProjection()
    {
        IncludeType<RoundOpened>();
        IncludeType<RoundStageAdvanced>();
    }

    public override Round? Evolve(Round? snapshot, Guid id, IEvent e) => Round.Evolve(snapshot, e.Data);
}

public sealed class FormationProjection : WriteModelProjection<Formation>
{
    public FormationProjection() => this.IncludeEventsOf<IFormationEvent>();

    public override Formation? Evolve(Formation? snapshot, Guid id, IEvent e) => Formation.Evolve(snapshot, e.Data);
}

public sealed class ApplicationProjection : WriteModelProjection<Application>
{
    public ApplicationProjection() => this.IncludeEventsOf<IApplicationEvent>();

    public override Application? Evolve(Application? snapshot, Guid id, IEvent e) => Application.Evolve(snapshot, e.Data);
}
