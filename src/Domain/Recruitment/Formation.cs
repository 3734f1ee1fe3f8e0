using Merit.Deciding;

namespace Merit.Recruitment;

/// <summary>
/// A formation (formasi) was opened in a round: a position at an instansi and location, with its category,
/// allocation (number of places) and required education level.
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
    DateTimeOffset OpenedAt);

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
    /// <summary>The next state after an event of the formation's stream; the event store calls only this.</summary>
    public static Formation? Evolve(Formation? state, object @event) => @event switch
    {
        FormationOpened e => new(e.FormationId, e.RoundId, e.Code, e.InstansiCode, e.Position, e.Location, e.Category, e.Allocation, e.EducationLevel),
        _ => state,
    };
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
    DateTimeOffset Now);

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
            command.Now));
    }
}
