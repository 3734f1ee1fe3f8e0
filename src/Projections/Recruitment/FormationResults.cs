using JasperFx.Events;
using Marten.Events.Aggregation;
using Merit.Recruitment;
using Merit.Recruitment.Ranking;

namespace Merit.Projections.Recruitment;

/// <summary>
/// The published results of one formation: its SKD cut-off list and its final list, exactly as decided. The
/// exports are written from this read model, so a rebuild from the events reproduces them byte for byte.
/// </summary>
public sealed record FormationResults(
    Guid Id,
    Guid RoundId,
    string Code,
    string Position,
    EducationLevel EducationLevel,
    FormationCategory Category,
    int Allocation,
    SkdCutOffDecided? CutOff,
    FinalResultDecided? Final,
    IReadOnlyList<Guid> PlacedByOptimisation)
{
    /// <summary>The global sequence number of the last event applied to this document (events it ignores do not move it).</summary>
    public long LastSequence { get; init; }
}

public sealed class FormationResultsProjection : WriteModelProjection<FormationResults>
{
    /// <summary>The last event this document reflects (docs/adr/0012).</summary>
    public override FormationResults ApplyMetadata(FormationResults aggregate, IEvent lastEvent) => aggregate with { LastSequence = lastEvent.Sequence };

    public static FormationResults Create(FormationOpened e) =>
        new(e.FormationId, e.RoundId, e.Code, e.Position, e.EducationLevel, e.Category, e.Allocation, null, null, []);

    public static FormationResults Apply(SkdCutOffDecided e, FormationResults r) => r with { CutOff = e };

    public static FormationResults Apply(FinalResultDecided e, FormationResults r) => r with { Final = e };

    public static FormationResults Apply(VacancyFilledByOptimisation e, FormationResults r) => r with { PlacedByOptimisation = [.. r.PlacedByOptimisation, e.ApplicationId] };
}
