using Merit.Deciding;
using Merit.Recruitment.Ranking;

namespace Merit.Recruitment;

/// <summary>
/// The SKD cut-off of one formation as one decision (R13): the ranked list with, for every applicant who sat
/// the SKD, the outcome and its reason. Each application also receives its own outcome, so a case's history
/// reads on its own.
/// </summary>
public sealed record SkdCutOffDecided(
    Guid FormationId,
    Guid RoundId,
    string FormationCode,
    FormationCategory Category,
    int Allocation,
    int Quota,
    int Admitted,
    IReadOnlyList<CutOffEntry> Entries,
    string RuleSetVersion,
    DateTimeOffset DecidedAt) : IFormationEvent;

/// <summary>One applicant's outcome of the SKD cut-off of their formation.</summary>
public sealed record SkdCutOffApplied(Guid ApplicationId, Guid FormationId, CutOffOutcome Outcome, int? Rank, string Reason, string RuleSetVersion, DateTimeOffset At) : IApplicationEvent;

/// <summary>The final result of one formation (R14–R16): integration of SKD and SKB, ranking and status codes.</summary>
public sealed record FinalResultDecided(
    Guid FormationId,
    Guid RoundId,
    string FormationCode,
    int Allocation,
    int Passed,
    bool UnresolvedTieAtBoundary,
    IReadOnlyList<FinalEntry> Entries,
    string RuleSetVersion,
    DateTimeOffset DecidedAt) : IFormationEvent;

/// <summary>One applicant's final status (P/L, TL, TH, DIS, APS) and rank.</summary>
public sealed record FinalResultApplied(Guid ApplicationId, Guid FormationId, FinalStatus Status, int? Rank, decimal? FinalScore, string Reason, string RuleSetVersion, DateTimeOffset At) : IApplicationEvent;

public sealed record DecideSkdCutOff(Guid FormationId, DateTimeOffset Now);

public sealed record DecideFinalResult(Guid FormationId, DateTimeOffset Now);

public static class SelectionDecisions
{
    /// <summary>In stage Skb, once the SKD results are closed: threshold, ranking, quota 3 × allocation, ties at the boundary admitted.</summary>
    public static Decision DecideSkdCutOff(Round round, Formation formation, IReadOnlyList<Application> applications, DecideSkdCutOff command) =>
        DecideSkdCutOff(round, round.Rules(), formation, applications, command);

    /// <summary>
    /// The cut-off under <paramref name="rules"/>, which may differ from the round's own: a what-if decides the round
    /// again under a variant rule set with this same function (docs/adr/0040).
    /// </summary>
    public static Decision DecideSkdCutOff(Round round, RuleSet rules, Formation formation, IReadOnlyList<Application> applications, DecideSkdCutOff command)
    {
        ArgumentNullException.ThrowIfNull(round);
        ArgumentNullException.ThrowIfNull(rules);
        if (!rules.HasStage(RoundStage.Skb))
        {
            return SkbDecisions.NoSkb(round);
        }

        if (round.Requires(RoundStage.Skb) is { } wrongStage)
        {
            return wrongStage;
        }

        if (formation.CutOffDecided)
        {
            return new Refusal(RefusalKind.Conflict, "cutoff.already-decided", $"The SKD cut-off of formation {formation.Code} is already decided.");
        }

        var candidates = applications
            .Where(a => a.FormationId == formation.Id && a.Skd is not null)
            .Select(a => new SkdCandidate(a.Id, a.RegistrationNumber, a.Skd!, a.SkdThresholdMet == true, Shortfalls(rules, formation, a.Skd!)))
            .ToList();
        var result = SkdCutOff.Decide(candidates, formation.Allocation, formation.Category, rules);

        var events = new List<object>
        {
            new SkdCutOffDecided(formation.Id, round.Id, formation.Code, formation.Category, formation.Allocation, result.Quota, result.Admitted, result.Entries, rules.Version, command.Now),
        };
        events.AddRange(result.Entries.Select(e => new SkdCutOffApplied(e.ApplicationId, formation.Id, e.Outcome, e.Rank, e.Reason, rules.Version, command.Now)));
        return Decision.Accept(events.ToArray());
    }

    /// <summary>
    /// In stage Integration, once the SKB results are closed. The birth dates (personal data) are used only for
    /// the last tie-break, older first; they do not enter the events. An applicant without one (erased) ranks
    /// after the known ones in that tie-break only (docs/adr/0014).
    /// </summary>
    public static Decision DecideFinal(Round round, Formation formation, IReadOnlyList<Application> applications, IReadOnlyDictionary<Guid, DateOnly> birthDates, DecideFinalResult command) =>
        DecideFinal(round, round.Rules(), formation, applications, birthDates, command);

    /// <summary>The final result under <paramref name="rules"/>, which may differ from the round's own (a what-if, docs/adr/0040).</summary>
    public static Decision DecideFinal(Round round, RuleSet rules, Formation formation, IReadOnlyList<Application> applications, IReadOnlyDictionary<Guid, DateOnly> birthDates, DecideFinalResult command)
    {
        ArgumentNullException.ThrowIfNull(round);
        ArgumentNullException.ThrowIfNull(rules);
        if (round.Requires(RoundStage.Integration) is { } wrongStage)
        {
            return wrongStage;
        }

        var hasSkb = rules.HasStage(RoundStage.Skb);
        if (hasSkb && !formation.CutOffDecided)
        {
            return new Refusal(RefusalKind.Conflict, "final.no-cutoff", $"Formation {formation.Code} has no SKD cut-off yet.");
        }

        if (formation.FinalDecided)
        {
            return new Refusal(RefusalKind.Conflict, "final.already-decided", $"The final result of formation {formation.Code} is already decided.");
        }

        // With an SKB: those the cut-off admitted. Without (PPPK): everyone who sat the test, those below its
        // threshold listed TL with their shortfalls (R20).
        var candidates = applications
            .Where(a => a.FormationId == formation.Id && (hasSkb ? a.CutOff is CutOffOutcome.Admitted or CutOffOutcome.AdmittedOnTie : a.Skd is not null))
            .Select(a => new FinalCandidate(
                a.Id,
                a.RegistrationNumber,
                a.Skd!,
                a.SkbScore,
                a.Gpa,
                birthDates.TryGetValue(a.Id, out var born) ? born : null,
                hasSkb && (a.SkbAbsent || a.SkbScore is null) ? FinalStatus.TH : null,
                hasSkb || a.SkdThresholdMet == true ? null : Shortfalls(rules, formation, a.Skd!)))
            .ToList();
        var result = FinalRanking.Decide(candidates, formation.Allocation, rules);

        var events = new List<object>
        {
            new FinalResultDecided(formation.Id, round.Id, formation.Code, formation.Allocation, result.Passed, result.UnresolvedTieAtBoundary, result.Entries, rules.Version, command.Now),
        };
        events.AddRange(result.Entries.Select(e => new FinalResultApplied(e.ApplicationId, formation.Id, e.Status, e.Rank, e.FinalScore, e.Reason, rules.Version, command.Now)));
        return Decision.Accept(events.ToArray());
    }

    private static IReadOnlyList<string> Shortfalls(RuleSet rules, Formation formation, SkdScore score) =>
        SkdRules.Assess(rules.ThresholdFor(formation.Category)!, score).Shortfalls;
}
