using Merit.Deciding;

namespace Merit.Recruitment;

/// <summary>
/// The stages of a selection round, in the order the regulation imposes (R05, PermenPANRB 6/2024): a stage
/// begins only when the one before it has been passed through.
/// </summary>
public enum RoundStage
{
    /// <summary>Pengumuman: formations are opened.</summary>
    Announcement,
    /// <summary>Pendaftaran: applicants register.</summary>
    Registration,
    /// <summary>Seleksi administrasi: MS/TMS verification.</summary>
    AdministrativeSelection,
    /// <summary>Masa sanggah: appeals against the administrative result.</summary>
    AdministrativeAppeal,
    /// <summary>SKD via CAT: results recorded, then the cut-off per formation.</summary>
    Skd,
    /// <summary>SKB: field competence results.</summary>
    Skb,
    /// <summary>Integrasi nilai: final score and ranking per formation.</summary>
    Integration,
    /// <summary>Sanggah on the final result.</summary>
    FinalAppeal,
    /// <summary>Optimalisasi: vacant formations filled from other formations' threshold passers.</summary>
    Optimisation,
    /// <summary>DRH and NIP: appointment of the passers.</summary>
    Appointment,
    /// <summary>The round is closed; nothing more is decided in it.</summary>
    Closed,
}

/// <summary>
/// A round was opened under a rule set (e.g. "CPNS 2024" under CPNS-2024), with its own time zone and registration
/// window where they differ from the rule set's (null: the rule set's).
/// </summary>
public sealed record RoundOpened(Guid RoundId, string Code, string Name, string RuleSetVersion, DateTimeOffset OpenedAt, RoundTimeZone? TimeZone = null, DateWindow? Registration = null);

/// <summary>The round moved to its next stage.</summary>
public sealed record RoundStageAdvanced(Guid RoundId, RoundStage From, RoundStage To, DateTimeOffset At);

/// <summary>A selection round: its rule set and current stage. Rebuilt from its events; never mutated.</summary>
public sealed record Round(Guid Id, string Code, string Name, string RuleSetVersion, RoundStage Stage, DateTimeOffset StageSince)
{
    /// <summary>The zone every date and window of the round is read in: the round's own, else its rule set's (WIB by default).</summary>
    public RoundTimeZone TimeZone { get; init; }

    /// <summary>The registration window as announced: the round's own, else its rule set's; null when neither names one.</summary>
    public DateWindow? RegistrationWindow { get; init; }

    public RuleSet Rules() => RuleSetCatalog.Get(RuleSetVersion);

    /// <summary>The calendar day an instant falls on in the round's zone.</summary>
    public DateOnly DateOf(DateTimeOffset instant) => TimeZone.DateOf(instant);

    /// <summary>The next state after an event of the round's stream; the event store calls only this.</summary>
    public static Round? Evolve(Round? state, object @event) => @event switch
    {
        RoundOpened e => Opened(e),
        RoundStageAdvanced e => state! with { Stage = e.To, StageSince = e.At },
        _ => state,
    };

    private static Round Opened(RoundOpened e)
    {
        var rules = RuleSetCatalog.Find(e.RuleSetVersion);
        return new(e.RoundId, e.Code, e.Name, e.RuleSetVersion, RoundStage.Announcement, e.OpenedAt)
        {
            TimeZone = e.TimeZone ?? rules?.TimeZone ?? RoundTimeZone.WIB,
            RegistrationWindow = e.Registration ?? rules?.Calendar?.Registration,
        };
    }

    /// <summary>A refusal when the round is not in <paramref name="needed"/>, naming the stage needed (R05).</summary>
    public Refusal? Requires(params RoundStage[] needed) =>
        needed.Contains(Stage)
            ? null
            : new Refusal(
                RefusalKind.WrongStage,
                "round.wrong-stage",
                $"Round {Code} is in stage {Stage}; this needs stage {string.Join(" or ", needed)}.")
            {
                RequiredStage = string.Join(",", needed),
            };
}

/// <summary>Open a round under a named rule set version; its zone and registration window default to the rule set's.</summary>
public sealed record OpenRound(string Code, string Name, string RuleSetVersion, DateTimeOffset Now, RoundTimeZone? TimeZone = null, DateWindow? Registration = null);

/// <summary>Move a round to the stage after its current one; <see cref="To"/> guards against a stale view.</summary>
public sealed record AdvanceRoundStage(Guid RoundId, RoundStage To, DateTimeOffset Now);

public static class RoundDecisions
{
    public static Guid IdFor(string code) => StableId.For("round", code);

    public static Decision Open(Round? existing, OpenRound command)
    {
        if (existing is not null)
        {
            return new Refusal(RefusalKind.Conflict, "round.exists", $"Round {command.Code} is already open.", "code");
        }

        if (RuleSetCatalog.Find(command.RuleSetVersion) is null)
        {
            return new Refusal(
                RefusalKind.Invalid,
                "rule-set.unknown",
                $"No rule set '{command.RuleSetVersion}'; known: {string.Join(", ", RuleSetCatalog.RuleSets.Select(r => r.Version).Order(StringComparer.Ordinal))}.",
                "ruleSetVersion");
        }

        if (command.Registration is { } window && window.Opens > window.Closes)
        {
            return new Refusal(RefusalKind.Invalid, "round.registration-window", $"The registration window {window} closes before it opens.", "registration");
        }

        return Decision.Accept(new RoundOpened(IdFor(command.Code), command.Code, command.Name, command.RuleSetVersion, command.Now, command.TimeZone, command.Registration));
    }

    public static Decision Advance(Round round, AdvanceRoundStage command)
    {
        if (round.Stage == RoundStage.Closed)
        {
            return new Refusal(RefusalKind.Conflict, "round.closed", $"Round {round.Code} is closed.");
        }

        // The rule set's own stage list (PPPK has no Skb stage); every stage for CPNS.
        var stages = round.Rules().StageOrder.ToList();
        var next = stages[stages.IndexOf(round.Stage) + 1];
        if (command.To != next)
        {
            var index = stages.IndexOf(command.To);
            if (index < 0)
            {
                return new Refusal(
                    RefusalKind.Rule,
                    "round.stage-not-in-rule-set",
                    $"Rule set {round.RuleSetVersion} has no stage {command.To}; round {round.Code} goes from {round.Stage} to {next} (R05).",
                    "to");
            }

            return new Refusal(
                RefusalKind.WrongStage,
                "round.stage-order",
                $"Round {round.Code} is in stage {round.Stage}; the next stage is {next}, not {command.To} (R05).",
                "to")
            {
                RequiredStage = (index > 0 ? stages[index - 1] : command.To - 1).ToString(),
            };
        }

        return Decision.Accept(new RoundStageAdvanced(round.Id, round.Stage, next, command.Now));
    }
}
