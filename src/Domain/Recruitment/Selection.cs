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

/// <summary>
/// The final result of one formation (R14–R16): integration of SKD and SKB, ranking, and a status code for every
/// applicant of the formation, whatever stage they reached. <see cref="Reannouncement"/>: decided again after an
/// accepted appeal on the final result reopened it (R07).
/// </summary>
public sealed record FinalResultDecided(
    Guid FormationId,
    Guid RoundId,
    string FormationCode,
    int Allocation,
    int Passed,
    bool UnresolvedTieAtBoundary,
    IReadOnlyList<FinalEntry> Entries,
    string RuleSetVersion,
    DateTimeOffset DecidedAt,
    bool Reannouncement = false) : IFormationEvent;

/// <summary>One applicant's final status (P/L, TL, TH, TMS, P, DIS) and rank; <see cref="TiedAcrossLastPlace"/>: referred to Panselnas.</summary>
public sealed record FinalResultApplied(Guid ApplicationId, Guid FormationId, FinalStatus Status, int? Rank, decimal? FinalScore, string Reason, string RuleSetVersion, DateTimeOffset At, bool TiedAcrossLastPlace = false) : IApplicationEvent;

/// <summary>
/// Panselnas resolved a full tie across a formation's last place (R16): whom it chose for the places left, whom
/// not, and why. The chosen pass (P/L); the others stay TL.
/// </summary>
public sealed record TieResolvedByPanselnas(Guid FormationId, int Places, IReadOnlyList<string> Chosen, IReadOnlyList<string> NotChosen, string Reason, string RuleSetVersion, DateTimeOffset At) : IFormationEvent;

public sealed record DecideSkdCutOff(Guid FormationId, DateTimeOffset Now);

public sealed record DecideFinalResult(Guid FormationId, DateTimeOffset Now);

/// <summary>Panselnas' decision on a tie referred to it: the applications it chooses for the places left, and why.</summary>
public sealed record ResolveTie(Guid FormationId, IReadOnlyList<Guid> Chosen, string Reason, DateTimeOffset Now);

public static class SelectionDecisions
{
    /// <summary>In stage Skb, once the SKD results are closed: threshold, ranking, quota 3 × allocation, ties at the boundary admitted.</summary>
    public static Decision DecideSkdCutOff(Round round, Formation formation, IReadOnlyList<Application> applications, DecideSkdCutOff command) =>
        DecideSkdCutOff(round, round.Rules(), formation, applications, command);

    /// <summary>
    /// The cut-off under <paramref name="rules"/>, which may differ from the round's own: a what-if decides the round
    /// again under a variant rule set with this same function (docs/adr/0039).
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
            .Where(a => a.FormationId == formation.Id && a.Skd is not null && !a.Disqualified)
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
    /// In stage Integration, once the SKB results are closed; again in stage FinalAppeal when an accepted appeal reopened
    /// it, within the re-announcement days (R07). Every applicant of the formation receives a status: the SKB sitters
    /// ranked (P/L, TL), the others with the outcome of the stage they stopped at (TMS, TH, TL below the threshold, P
    /// beyond the quota, DIS). A result that is not recorded — an SKB score without a recorded absence, an SKD result,
    /// a verification — refuses the decision, naming whom; only a recorded absence is TH. The birth dates (personal data)
    /// are used only for the last tie-break, older first; they do not enter the events. An applicant without one (erased)
    /// ranks after the known ones in that tie-break only (docs/adr/0014).
    /// </summary>
    public static Decision DecideFinal(Round round, Formation formation, IReadOnlyList<Application> applications, IReadOnlyDictionary<Guid, DateOnly> birthDates, DecideFinalResult command) =>
        DecideFinal(round, round.Rules(), formation, applications, birthDates, command);

    /// <summary>The final result under <paramref name="rules"/>, which may differ from the round's own (a what-if, docs/adr/0039).</summary>
    public static Decision DecideFinal(Round round, RuleSet rules, Formation formation, IReadOnlyList<Application> applications, IReadOnlyDictionary<Guid, DateOnly> birthDates, DecideFinalResult command)
    {
        ArgumentNullException.ThrowIfNull(round);
        ArgumentNullException.ThrowIfNull(rules);
        var reannouncing = formation.FinalReopened;
        if (round.Requires(reannouncing ? RoundStage.FinalAppeal : RoundStage.Integration) is { } wrongStage)
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

        if (reannouncing && AppealDecisions.LateReannouncement(round, command.Now) is { } late)
        {
            return late;
        }

        var candidates = new List<FinalCandidate>();
        var carried = new List<FinalEntry>();
        var missing = new List<string>();
        foreach (var a in applications.Where(a => a.FormationId == formation.Id).OrderBy(a => a.RegistrationNumber, StringComparer.Ordinal))
        {
            FinalEntry Carried(FinalStatus status, string reason) => new(a.Id, a.RegistrationNumber, a.Skd?.Total, a.SkbScore, null, null, status, reason);
            FinalCandidate Candidate(FinalStatus? preset, IReadOnlyList<string>? shortfalls) =>
                new(a.Id, a.RegistrationNumber, a.Skd!, a.SkbScore, a.Gpa, birthDates.TryGetValue(a.Id, out var born) ? born : null, preset, shortfalls);

            if (a.Disqualified)
            {
                carried.Add(Carried(FinalStatus.DIS, "disqualified (DIS)"));
            }
            else if (a.Administrative is not { } administrative)
            {
                missing.Add($"{a.RegistrationNumber} (no administrative verification)");
            }
            else if (administrative == AdministrativeResult.TMS)
            {
                carried.Add(Carried(FinalStatus.TMS, "not qualified in the administrative selection (TMS)"));
            }
            else if (a.SkdAbsent)
            {
                carried.Add(Carried(FinalStatus.TH, $"absent from the {rules.Skd.Name} (TH)"));
            }
            else if (a.Skd is null)
            {
                missing.Add($"{a.RegistrationNumber} (no {rules.Skd.Name} result and no recorded absence)");
            }
            else if (!hasSkb)
            {
                // Without an SKB (PPPK): everyone who sat the test, those below its threshold listed TL with their shortfalls (R20).
                candidates.Add(Candidate(null, a.SkdThresholdMet == true ? null : Shortfalls(rules, formation, a.Skd)));
            }
            else
            {
                switch (a.CutOff)
                {
                    case null:
                        missing.Add($"{a.RegistrationNumber} (no SKD cut-off outcome)");
                        break;
                    case CutOffOutcome.BelowThreshold:
                        carried.Add(Carried(FinalStatus.TL, $"not passed: below the SKD threshold ({string.Join(", ", Shortfalls(rules, formation, a.Skd))}, rule set {rules.Version})"));
                        break;
                    case CutOffOutcome.OverQuota:
                        carried.Add(Carried(FinalStatus.P, "met the SKD threshold; ranked beyond the SKB quota (P)"));
                        break;
                    default:
                        if (a.SkbAbsent)
                        {
                            candidates.Add(Candidate(FinalStatus.TH, null));
                        }
                        else if (a.SkbScore is null)
                        {
                            missing.Add($"{a.RegistrationNumber} (no SKB score and no recorded absence)");
                        }
                        else
                        {
                            candidates.Add(Candidate(null, null));
                        }

                        break;
                }
            }
        }

        if (missing.Count > 0)
        {
            var shown = string.Join(", ", missing.Take(MissingShown)) + (missing.Count > MissingShown ? $", and {missing.Count - MissingShown} more" : "");
            return new Refusal(RefusalKind.Conflict, "final.results-missing", $"The final result of formation {formation.Code} needs every applicant's results; {missing.Count} missing: {shown}.");
        }

        var result = FinalRanking.Decide(candidates, formation.Allocation, rules);
        var entries = result.Entries.Where(e => e.Rank is not null)
            .Concat(result.Entries.Where(e => e.Rank is null).Concat(carried).OrderBy(e => e.RegistrationNumber, StringComparer.Ordinal))
            .ToList();

        var events = new List<object>
        {
            new FinalResultDecided(formation.Id, round.Id, formation.Code, formation.Allocation, result.Passed, result.UnresolvedTieAtBoundary, entries, rules.Version, command.Now, reannouncing),
        };
        events.AddRange(entries.Select(e => new FinalResultApplied(e.ApplicationId, formation.Id, e.Status, e.Rank, e.FinalScore, e.Reason, rules.Version, command.Now, e.TiedAcrossLastPlace)));
        return Decision.Accept(events.ToArray());
    }

    /// <summary>How many of the applicants whose results are missing a refusal names.</summary>
    public const int MissingShown = 20;

    /// <summary>
    /// Panselnas resolves a tie across the last place referred to it (R16), before optimisation: it names, from the
    /// applicants tied on every criterion, exactly as many as places are left, and says why. Those chosen pass (P/L).
    /// </summary>
    public static Decision ResolveTie(Round round, Formation formation, IReadOnlyList<Application> applications, ResolveTie command)
    {
        if (round.Requires(RoundStage.Integration, RoundStage.FinalAppeal) is { } wrongStage)
        {
            return wrongStage;
        }

        if (!formation.FinalDecided || !formation.TieReferred)
        {
            return new Refusal(RefusalKind.Conflict, "tie.none-referred", $"Formation {formation.Code} has no tie across its last place referred to Panselnas.");
        }

        if (string.IsNullOrWhiteSpace(command.Reason))
        {
            return new Refusal(RefusalKind.Invalid, "tie.reason", "Panselnas states why it chose whom it chose.", "reason");
        }

        var tied = applications.Where(a => a.FormationId == formation.Id && a.TiedAcrossLastPlace && !a.Disqualified)
            .OrderBy(a => a.RegistrationNumber, StringComparer.Ordinal)
            .ToList();
        var places = formation.Allocation - formation.Passed;
        var chosen = command.Chosen.Distinct().ToList();
        if (chosen.Count != command.Chosen.Count || chosen.Any(id => tied.All(a => a.Id != id)))
        {
            return new Refusal(RefusalKind.Rule, "tie.not-tied", $"Panselnas chooses among the applicants tied across the last place of {formation.Code}: {string.Join(", ", tied.Select(a => a.RegistrationNumber))} (R16).", "chosen");
        }

        if (chosen.Count != places)
        {
            return new Refusal(RefusalKind.Rule, "tie.places", $"{places} place(s) of {formation.Code} are left for the tied applicants; Panselnas chose {chosen.Count} (R16).", "chosen");
        }

        var rules = round.Rules();
        var events = new List<object>
        {
            new TieResolvedByPanselnas(
                formation.Id,
                places,
                tied.Where(a => chosen.Contains(a.Id)).Select(a => a.RegistrationNumber).ToList(),
                tied.Where(a => !chosen.Contains(a.Id)).Select(a => a.RegistrationNumber).ToList(),
                command.Reason,
                rules.Version,
                command.Now),
        };
        events.AddRange(tied.Select(a => chosen.Contains(a.Id)
            ? new FinalResultApplied(a.Id, formation.Id, FinalStatus.PL, a.FinalRank, a.FinalScore, $"passed: tied across the last place, chosen by Panselnas ({command.Reason})", rules.Version, command.Now)
            : new FinalResultApplied(a.Id, formation.Id, FinalStatus.TL, a.FinalRank, a.FinalScore, $"not passed: tied across the last place, not chosen by Panselnas ({command.Reason})", rules.Version, command.Now)));
        return Decision.Accept(events.ToArray());
    }

    private static IReadOnlyList<string> Shortfalls(RuleSet rules, Formation formation, SkdScore score) =>
        SkdRules.Assess(rules.ThresholdFor(formation.Category)!, score).Shortfalls;
}
