using Merit.Deciding;

namespace Merit.Recruitment;

/// <summary>
/// A formation (formasi) was opened in a round: a position at an instansi and location, with its category,
/// allocation (number of places), required education level, and the position kind where the rule set gives it an
/// extended age limit (e.g. dokter_spesialis, R06).
/// </summary>
public sealed record FormationOpened(
    Guid FormationId,
    Guid RoundId,
    string Code,
    string InstansiCode,
    string Position,
    string Location,
    FormationCategory Category,
    int Allocation,
    EducationLevel EducationLevel,
    string RuleSetVersion,
    DateTimeOffset OpenedAt,
    string? PositionKind = null) : IFormationEvent;

/// <summary>An event of a formation's stream: decisions that append to several streams route it by <see cref="FormationId"/>.</summary>
public interface IFormationEvent
{
    Guid FormationId { get; }
}

/// <summary>A formation as decisions need it. Rebuilt from its events; never mutated.</summary>
public sealed record Formation(
    Guid Id,
    Guid RoundId,
    string Code,
    string InstansiCode,
    string Position,
    string Location,
    FormationCategory Category,
    int Allocation,
    EducationLevel EducationLevel)
{
    /// <summary>The position kind that sets the age limit (R06); null for a position with no kind.</summary>
    public string? PositionKind { get; init; }

    public string RuleSetVersion { get; init; } = "";

    public SkbWeights? SkbWeights { get; init; }

    public bool CutOffDecided { get; init; }

    public bool FinalDecided { get; init; }

    /// <summary>An accepted appeal on the final result reopened it: to be decided and re-announced again (R07).</summary>
    public bool FinalReopened { get; init; }

    /// <summary>The final result left a full tie across the last place, referred to Panselnas and not yet resolved (R16).</summary>
    public bool TieReferred { get; init; }

    /// <summary>Optimisation proposals of the instansi awaiting Panselnas' decision, by application (R17).</summary>
    public IReadOnlyList<Guid> PendingProposals { get; init; } = [];

    /// <summary>Places filled by the final result (P/L).</summary>
    public int Passed { get; init; }

    /// <summary>Places filled by optimalisasi from other formations (P/L-2).</summary>
    public int FilledByOptimisation { get; init; }

    /// <summary>Places left empty after the final result and optimisation so far.</summary>
    public int Vacant => Math.Max(0, Allocation - Passed - FilledByOptimisation);

    /// <summary>Vacant places no proposal awaits Panselnas for.</summary>
    public int OpenToProposal => Math.Max(0, Vacant - PendingProposals.Count);

    /// <summary>The next state after an event of the formation's stream; the event store calls only this.</summary>
    public static Formation? Evolve(Formation? state, object @event) => @event switch
    {
        FormationOpened e => new(e.FormationId, e.RoundId, e.Code, e.InstansiCode, e.Position, e.Location, e.Category, e.Allocation, e.EducationLevel)
        {
            PositionKind = e.PositionKind,
            RuleSetVersion = e.RuleSetVersion,
        },
        SkbWeightsSet e => state! with { SkbWeights = new SkbWeights(e.Cat, e.Additional, e.Interview) },
        SkdCutOffDecided => state! with { CutOffDecided = true },
        FinalResultDecided e => state! with { FinalDecided = true, FinalReopened = false, Passed = e.Passed, TieReferred = e.UnresolvedTieAtBoundary },
        FinalResultReopened => state! with { FinalDecided = false, FinalReopened = true },
        TieResolvedByPanselnas e => state! with { Passed = state.Passed + e.Chosen.Count, TieReferred = false },
        OptimisationProposed e => state! with { PendingProposals = [.. state.PendingProposals, e.ApplicationId] },
        OptimisationProposalRejected e => state! with { PendingProposals = [.. state.PendingProposals.Where(id => id != e.ApplicationId)] },
        VacancyFilledByOptimisation e => state! with
        {
            FilledByOptimisation = state.FilledByOptimisation + 1,
            PendingProposals = [.. state.PendingProposals.Where(id => id != e.ApplicationId)],
        },
        PlaceVacatedByWithdrawal e => Vacated(state!, e.WasOptimisationPlacement),
        PlaceVacatedByDisqualification e => Vacated(state!, e.WasOptimisationPlacement),
        _ => state,
    };

    private static Formation Vacated(Formation state, bool wasOptimisationPlacement) => wasOptimisationPlacement
        ? state with { FilledByOptimisation = state.FilledByOptimisation - 1 }
        : state with { Passed = state.Passed - 1 };
}

/// <summary>Open a formation in a round.</summary>
public sealed record OpenFormation(
    Guid RoundId,
    string Code,
    string InstansiCode,
    string Position,
    string Location,
    FormationCategory Category,
    int Allocation,
    EducationLevel EducationLevel,
    DateTimeOffset Now,
    string? PositionKind = null);

public static class FormationDecisions
{
    public static Guid IdFor(Guid roundId, string code) => StableId.For("formation", roundId.ToString(), code);

    public static Decision Open(Round round, Formation? existing, OpenFormation command)
    {
        if (round.Requires(RoundStage.Announcement, RoundStage.Registration) is { } wrongStage)
        {
            return wrongStage;
        }

        if (existing is not null)
        {
            return new Refusal(RefusalKind.Conflict, "formation.exists", $"Formation {command.Code} is already open in round {round.Code}.", "code");
        }

        if (round.Rules().ThresholdFor(command.Category) is null)
        {
            return new Refusal(
                RefusalKind.Invalid,
                "formation.category-not-in-rule-set",
                $"Rule set {round.RuleSetVersion} has no threshold for category {command.Category.Code()}.",
                "category");
        }

        var kinds = round.Rules().AgeLimits.PositionKinds;
        if (command.PositionKind is { } kind && !kinds.Contains(kind, StringComparer.Ordinal))
        {
            return new Refusal(
                RefusalKind.Invalid,
                "formation.position-kind-unknown",
                kinds.Count == 0
                    ? Wording.Of($"Rule set {round.RuleSetVersion} knows no position kinds.")
                    : Wording.Of($"Rule set {round.RuleSetVersion} knows the position kinds {string.Join(", ", kinds)}, not {kind} (R06)."),
                "positionKind");
        }

        return Decision.Accept(new FormationOpened(
            IdFor(round.Id, command.Code),
            round.Id,
            command.Code,
            command.InstansiCode,
            command.Position,
            command.Location,
            command.Category,
            command.Allocation,
            command.EducationLevel,
            round.RuleSetVersion,
            command.Now,
            command.PositionKind));
    }
}
