using Merit.Deciding;

namespace Merit.Recruitment;

/// <summary>
/// SKB component weights of a formation (R14): the CAT-BKN part at least the rule set's minimum, the additional
/// (non-CAT) part and an interview within their maxima, summing to 100%.
/// </summary>
public sealed record SkbWeights(decimal Cat, decimal Additional, decimal Interview)
{
    public decimal Sum => Cat + Additional + Interview;
}

/// <summary>The formation's SKB weights were set under the rule set's limits.</summary>
public sealed record SkbWeightsSet(Guid FormationId, decimal Cat, decimal Additional, decimal Interview, string RuleSetVersion, DateTimeOffset At) : IFormationEvent;

/// <summary>SKB component scores (0–100) of one applicant.</summary>
public sealed record SkbComponents(decimal Cat, decimal? Additional, decimal? Interview);

/// <summary>
/// An SKB result on the 0–100 scale, at most two decimals; when components were given, the weighted sum under
/// the formation's weights (SKB100 = Σ wᵢ × componentᵢ, R14).
/// </summary>
public sealed record SkbResultRecorded(Guid ApplicationId, Guid FormationId, decimal Score, SkbComponents? Components, SkbWeights? Weights, string RuleSetVersion, DateTimeOffset RecordedAt) : IApplicationEvent;

/// <summary>TH at the SKB.</summary>
public sealed record SkbAbsenceRecorded(Guid ApplicationId, Guid FormationId, string RuleSetVersion, DateTimeOffset RecordedAt) : IApplicationEvent;

public sealed record SetSkbWeights(Guid FormationId, SkbWeights Weights, DateTimeOffset Now);

/// <summary>Record an SKB result: either the already-weighted <paramref name="Score"/> or the <paramref name="Components"/>.</summary>
public sealed record RecordSkbResult(Guid ApplicationId, decimal? Score, SkbComponents? Components, DateTimeOffset Now);

public sealed record RecordSkbAbsence(Guid ApplicationId, DateTimeOffset Now);

public static class SkbDecisions
{
    public static Decision SetWeights(Round round, Formation formation, SetSkbWeights command)
    {
        if (round.Requires(RoundStage.Announcement, RoundStage.Registration, RoundStage.AdministrativeSelection, RoundStage.AdministrativeAppeal, RoundStage.Skd) is { } wrongStage)
        {
            return wrongStage;
        }

        if (formation.SkbWeights is not null)
        {
            return new Refusal(RefusalKind.Conflict, "skb.weights-already-set", $"Formation {formation.Code} already has SKB weights; they do not change once announced.");
        }

        if (round.Rules().SkbComponents is not { } limits || !round.Rules().HasStage(RoundStage.Skb))
        {
            return NoSkb(round);
        }

        var w = command.Weights;
        if (w.Cat < 0 || w.Additional < 0 || w.Interview < 0 || w.Sum != 1m)
        {
            return new Refusal(RefusalKind.Invalid, "skb.weights-sum", $"SKB component weights must be non-negative and sum to 1 (100%); they sum to {w.Sum} (R14).", "weights");
        }

        if (w.Cat < limits.CatMinimumWeight)
        {
            return new Refusal(RefusalKind.Rule, "skb.cat-weight", $"The CAT-BKN weight must be at least {limits.CatMinimumWeight} (rule set {round.RuleSetVersion}, R14).", "cat");
        }

        if (w.Additional > limits.AdditionalMaximumWeight)
        {
            return new Refusal(RefusalKind.Rule, "skb.additional-weight", $"The additional SKB weight may be at most {limits.AdditionalMaximumWeight} (rule set {round.RuleSetVersion}, R14).", "additional");
        }

        if (w.Interview > limits.InterviewMaximumWeight)
        {
            return new Refusal(RefusalKind.Rule, "skb.interview-weight", $"The interview weight may be at most {limits.InterviewMaximumWeight} (rule set {round.RuleSetVersion}, R14).", "interview");
        }

        return Decision.Accept(new SkbWeightsSet(formation.Id, w.Cat, w.Additional, w.Interview, round.RuleSetVersion, command.Now));
    }

    public static Decision Record(Round round, Formation formation, Application application, RecordSkbResult command)
    {
        if (Guard(round, formation, application) is { } refusal)
        {
            return refusal;
        }

        decimal score;
        if (command.Components is { } c)
        {
            if (formation.SkbWeights is not { } w)
            {
                return new Refusal(RefusalKind.Rule, "skb.no-weights", $"Formation {formation.Code} has no SKB weights; record the weighted score instead.", "components");
            }

            if (OutOfScale(c.Cat) || OutOfScale(c.Additional ?? 0) || OutOfScale(c.Interview ?? 0)
                || (w.Additional > 0 && c.Additional is null) || (w.Interview > 0 && c.Interview is null))
            {
                return new Refusal(RefusalKind.Invalid, "skb.components", "Each weighted SKB component must be given, between 0 and 100 (R14).", "components");
            }

            score = decimal.Round((w.Cat * c.Cat) + (w.Additional * (c.Additional ?? 0)) + (w.Interview * (c.Interview ?? 0)), 2, MidpointRounding.AwayFromZero);
        }
        else if (command.Score is { } given)
        {
            if (OutOfScale(given) || decimal.Round(given, 2) != given)
            {
                return new Refusal(RefusalKind.Invalid, "skb.score", "An SKB score is between 0 and 100 with at most two decimals (R14).", "score");
            }

            score = given;
        }
        else
        {
            return new Refusal(RefusalKind.Invalid, "skb.score", "Give the SKB score or its components.", "score");
        }

        return Decision.Accept(new SkbResultRecorded(application.Id, application.FormationId, score, command.Components, formation.SkbWeights, round.RuleSetVersion, command.Now));
    }

    public static Decision RecordAbsence(Round round, Application application, RecordSkbAbsence command) =>
        RecordAbsence(round, null, application, command);

    /// <summary>TH at the SKB; with the formation given, also the correction of an accepted final appeal (see <see cref="Guard"/>).</summary>
    public static Decision RecordAbsence(Round round, Formation? formation, Application application, RecordSkbAbsence command) =>
        Guard(round, formation, application) is { } refusal
            ? refusal
            : Decision.Accept(new SkbAbsenceRecorded(application.Id, application.FormationId, round.RuleSetVersion, command.Now));

    /// <summary>
    /// What every SKB result needs: the stage Skb, an applicant the cut-off admitted, not disqualified, and no outcome
    /// yet — or, in stage FinalAppeal, an accepted appeal on the final result whose formation is reopened: the
    /// instansi's error corrected before the re-announcement (R07).
    /// </summary>
    private static Refusal? Guard(Round round, Formation? formation, Application application)
    {
        var correcting = round.Stage == RoundStage.FinalAppeal
            && formation is { FinalReopened: true }
            && application.Appeals.TryGetValue(AppealWindow.Final, out var appeal) && appeal.Accepted == true;
        if (!correcting && round.Requires(RoundStage.Skb) is { } wrongStage)
        {
            return wrongStage;
        }

        if (DisqualificationDecisions.Guard(application) is { } disqualified)
        {
            return disqualified;
        }

        if (application.CutOff is not (Ranking.CutOffOutcome.Admitted or Ranking.CutOffOutcome.AdmittedOnTie))
        {
            return new Refusal(RefusalKind.Rule, "skb.not-admitted", $"Application {application.RegistrationNumber} was not admitted to the SKB by the cut-off (R13).");
        }

        if (!correcting && (application.SkbScore is not null || application.SkbAbsent))
        {
            return new Refusal(RefusalKind.Conflict, "skb.already-recorded", $"An SKB outcome is already recorded for {application.RegistrationNumber}.");
        }

        return null;
    }

    /// <summary>A PPPK round has one competence test and no SKB (brief 2.11): nothing SKB-related is decided in it.</summary>
    internal static Refusal NoSkb(Round round) =>
        new(RefusalKind.Rule, "skb.not-in-rule-set", $"Rule set {round.RuleSetVersion} has no SKB stage; its final result ranks the test of stage Skd directly.");

    private static bool OutOfScale(decimal value) => value is < 0 or > 100;
}
