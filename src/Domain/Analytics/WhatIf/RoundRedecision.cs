using Merit.Deciding;
using Merit.Recruitment;
using Merit.Recruitment.Ranking;

namespace Merit.Analytics.WhatIf;

/// <summary>One formation's state and its applications' states under one rule set.</summary>
public sealed record FormationState(Formation Formation, IReadOnlyList<Application> Applications);

/// <summary>
/// Decides a recorded round's formations again under a rule set, with the product's own decisions
/// (<see cref="SelectionDecisions"/>, <see cref="AppointmentDecisions"/>): the threshold is assessed again
/// (<see cref="SkdRules"/>), then the SKD cut-off and the final result are decided for each formation whose round
/// decided them, and the decisions recorded after the final result — optimisation placements into a target
/// formation, withdrawals of passers — are taken again in recorded order. Nothing is decided that the round has not
/// decided yet (docs/adr/0042).
/// </summary>
public static class RoundRedecision
{
    /// <summary>
    /// The formation's state before any of its decisions, with each application's SKD score counted and assessed under
    /// <paramref name="rules"/>, then the cut-off and the final result as the round recorded them having been taken.
    /// </summary>
    /// <param name="round">The round as recorded (its stage is irrelevant: each decision is taken in its own stage).</param>
    /// <param name="tiesWithoutSeniority">Applicants the final ranking could order only by a birth date the record does not give.</param>
    public static FormationState Decide(Round round, RuleSet rules, FormationRecord record, out int tiesWithoutSeniority)
    {
        ArgumentNullException.ThrowIfNull(round);
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(record);
        var recorded = record.Formation;
        var threshold = rules.ThresholdFor(recorded.Category)
            ?? throw new ArgumentException($"Rule set {rules.Version} has no threshold for category {recorded.Category.Code()}.", nameof(rules));
        var formation = recorded with { CutOffDecided = false, FinalDecided = false, Passed = 0, FilledByOptimisation = 0 };
        var applications = record.Applications.Select(a => BeforeDecisions(a, rules, threshold, record.ClaimedBonus)).ToList();
        tiesWithoutSeniority = 0;
        var hasSkb = rules.HasStage(RoundStage.Skb);
        if (hasSkb && recorded.CutOffDecided)
        {
            var cutOff = SelectionDecisions.DecideSkdCutOff(round with { Stage = RoundStage.Skb }, rules, formation, applications, new DecideSkdCutOff(formation.Id, round.StageSince));
            (formation, applications) = Apply(Accepted(cutOff, recorded), formation, applications);
        }

        if (recorded.FinalDecided)
        {
            // Admitted only under these rules: no SKB was sat, so they stay out of the ranking (AdmittedWithoutSkbResult).
            var wasAdmitted = record.Applications.Where(a => Outcomes.IsAdmitted(a.CutOff)).Select(a => a.Id).ToHashSet();
            var ranked = hasSkb ? applications.Where(a => !Outcomes.IsAdmitted(a.CutOff) || wasAdmitted.Contains(a.Id)).ToList() : applications;
            var seniority = Seniority(record);
            tiesWithoutSeniority = TiesWithoutSeniority(ranked, seniority, hasSkb, rules.FinalWeights.Skb == 0m);
            var final = SelectionDecisions.DecideFinal(round with { Stage = RoundStage.Integration }, rules, formation, ranked, seniority, new DecideFinalResult(formation.Id, round.StageSince));
            (formation, applications) = Apply(Accepted(final, recorded), formation, applications);
        }

        return new FormationState(formation, applications);
    }

    /// <summary>
    /// Takes again, in recorded order, the decisions recorded after the final result in one group of formations that
    /// share a position and an education level (the reach of optimisation, R17): a placement into a target formation
    /// places the best of the variant's pool there if the target still has a vacancy; a withdrawal withdraws the
    /// applicant if the variant made them a passer. Returns the states after, and the counts of placements and
    /// withdrawals that had no object under the variant.
    /// </summary>
    public static (IReadOnlyList<FormationState> States, int PlacementsNotPossible, int WithdrawalsNotApplicable) AfterFinal(
        Round round, RuleSet rules, IReadOnlyList<FormationState> group, IEnumerable<RecordedEvent> recorded)
    {
        ArgumentNullException.ThrowIfNull(round);
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(recorded);
        var formations = group.ToDictionary(s => s.Formation.Id, s => s.Formation);
        var applications = group.SelectMany(s => s.Applications).ToDictionary(a => a.Id);
        var optimisation = round with { Stage = RoundStage.Optimisation };
        var (notPossible, notApplicable) = (0, 0);

        void Apply(Decision decision)
        {
            if (decision.Refusal is { } refusal)
            {
                throw new InvalidOperationException($"Taking a recorded decision again was refused: {refusal.Message} [{refusal.Code}]");
            }

            foreach (var evolved in decision.Events)
            {
                if (evolved is IApplicationEvent a)
                {
                    applications[a.ApplicationId] = Application.Evolve(applications[a.ApplicationId], evolved)!;
                }
                else if (evolved is IFormationEvent f)
                {
                    formations[f.FormationId] = Formation.Evolve(formations[f.FormationId], evolved)!;
                }
            }
        }

        foreach (var e in recorded.OrderBy(e => e.Sequence))
        {
            switch (e.Data)
            {
                case PlacedByOptimisation placed when formations.TryGetValue(placed.TargetFormationId, out var target):
                    // The variant's own pool for the target (R17): its best, proposed and approved, as the two recorded decisions were.
                    var pool = AppointmentDecisions.Pool(target, applications.Values.Select(a => (formations[a.FormationId], a)), rules);
                    if (pool.Count == 0 || target.OpenToProposal == 0 || !target.FinalDecided)
                    {
                        notPossible++;
                        continue;
                    }

                    var best = pool[0].Application;
                    Apply(AppointmentDecisions.ProposeOptimisation(optimisation, target, pool, best, new ProposeOptimisation(target.Id, best.Id, placed.Reason, round.StageSince)));
                    Apply(AppointmentDecisions.DecideOptimisationProposal(optimisation, formations[target.Id], applications[best.Id], new DecideOptimisationProposal(target.Id, best.Id, true, placed.Reason, round.StageSince)));
                    break;
                case WithdrewAfterPassing withdrew when applications.TryGetValue(withdrew.ApplicationId, out var applicant):
                    if (!applicant.IsPasser)
                    {
                        notApplicable++;
                        continue;
                    }

                    Apply(AppointmentDecisions.Withdraw(optimisation, applicant, new WithdrawAfterPassing(applicant.Id, withdrew.Reason, round.StageSince)));
                    break;
            }
        }

        var states = group
            .Select(s => new FormationState(formations[s.Formation.Id], s.Applications.Select(a => applications[a.Id]).ToList()))
            .ToList();
        return (states, notPossible, notApplicable);
    }

    /// <summary>The application before its cut-off and final result, its score counted and assessed under <paramref name="rules"/>.</summary>
    private static Application BeforeDecisions(Application recorded, RuleSet rules, Threshold threshold, IReadOnlyDictionary<Guid, int> claimed)
    {
        var score = recorded.Skd;
        if (score is not null && rules.Skd.CertificateBonus is not null)
        {
            // R21: the bonus as claimed, capped under these rules.
            score = SkdRules.WithBonusCapped(rules.Skd, new SkdScore(score.Components, claimed.GetValueOrDefault(recorded.Id, score.Bonus)));
        }
        else if (score is not null && score.Bonus > 0)
        {
            score = new SkdScore(score.Components);
        }

        return recorded with
        {
            Skd = score,
            SkdThresholdMet = score is null ? null : SkdRules.Assess(threshold, score).Met,
            CutOff = null,
            FinalStatus = null,
            FinalRank = null,
            PlacedInFormation = null,
            Withdrawn = false,
            BannedThroughYear = null,
            NipSequence = null,
            NiPppkSequence = null,
        };
    }

    /// <summary>
    /// The last tie-break of R15 (older first) needs birth dates, personal data an analyst never reads. Applicants tied
    /// on every other criterion are tied on facts no rule set changes (SKD components, SKB score, IPK), so the recorded
    /// final ranking already ordered them by age: its rank stands in for the birth date, the earlier rank as the older.
    /// </summary>
    private static Dictionary<Guid, DateOnly> Seniority(FormationRecord record) =>
        record.Applications.Where(a => a.FinalRank is not null).ToDictionary(a => a.Id, a => DateOnly.MinValue.AddDays(a.FinalRank!.Value));

    /// <summary>
    /// Ranked applicants who share every fact the ranking compares before age with another, where the recorded rank
    /// cannot stand in for age: one of them has no recorded rank, or the SKB weight is zero and their SKB scores differ
    /// (the recorded rank then reflects the SKB, not age).
    /// </summary>
    private static int TiesWithoutSeniority(IEnumerable<Application> ranked, Dictionary<Guid, DateOnly> seniority, bool hasSkb, bool skbUnweighted) =>
        ranked
            .Where(a => a.Skd is not null && (hasSkb ? a.SkbScore is not null && Outcomes.IsAdmitted(a.CutOff) : a.SkdThresholdMet == true))
            .GroupBy(a => (Components: string.Join(",", a.Skd!.Components.Select(kv => $"{kv.Key}={kv.Value}")), a.Skd.Bonus, Skb: skbUnweighted ? null : a.SkbScore, a.Gpa))
            .Where(g => g.Count() > 1 && (g.Any(a => !seniority.ContainsKey(a.Id)) || g.Select(a => a.SkbScore).Distinct().Count() > 1))
            .Sum(g => g.Count());

    private static Decision Accepted(Decision decision, Formation formation) =>
        decision.Refusal is { } refusal
            ? throw new InvalidOperationException($"Formation {formation.Code}: the decision was refused when taken again: {refusal.Message} [{refusal.Code}]")
            : decision;

    private static (Formation, List<Application>) Apply(Decision decision, Formation formation, List<Application> applications)
    {
        var index = applications.Select((a, i) => (a.Id, i)).ToDictionary(x => x.Id, x => x.i);
        foreach (var e in decision.Events)
        {
            if (e is IApplicationEvent a)
            {
                var i = index[a.ApplicationId];
                applications[i] = Application.Evolve(applications[i], e)!;
            }
            else
            {
                formation = Formation.Evolve(formation, e)!;
            }
        }

        return (formation, applications);
    }
}
