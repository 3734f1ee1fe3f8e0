using Merit.Recruitment;
using Merit.Recruitment.Ranking;
using Xunit;
using static Merit.Tests.Recruitment.Cases;
using static Merit.Tests.Recruitment.Fixtures;
using static Merit.Tests.Scenario;

namespace Merit.Tests.Recruitment;

/// <summary>Optimalisasi (R17, brief 2.8–2.9): who is in the pool of a vacancy, in which order, and the two decisions that place one.</summary>
public class OptimisationTests
{
    private static readonly RuleSet Rules = RuleSetCatalog.Get("CPNS-2024");

    // A vacancy: two places, one passed.
    private static readonly FormationOpened TargetOpening = Opening("T-UMUM");
    private static readonly object[] TargetHistory = DecidedHistory(TargetOpening, passed: 1);
    private static readonly Formation Target = Fold(TargetHistory);
    private static readonly FormationOpened Elsewhere = Opening("S-JKT");

    private static IReadOnlyList<PoolCandidate> PoolOf(Formation target, params (FormationOpened Formation, Application Application)[] candidates) =>
        AppointmentDecisions.Pool(target, candidates.Select(c => (Fold(c.Formation), c.Application)), Rules);

    private static List<string> Numbers(IReadOnlyList<PoolCandidate> pool) => pool.Select(c => c.Application.RegistrationNumber).ToList();

    [Fact]
    public void The_pool_holds_only_the_same_position_and_education_R17()
    {
        var otherPosition = Opening("S-AUD", position: "Auditor Ahli Pertama");
        var otherEducation = Opening("S-D3", education: EducationLevel.D3);
        var pool = PoolOf(Target,
            (Elsewhere, Sitter(Elsewhere, "A", (100, 100, 200), 70m)),
            (otherPosition, Sitter(otherPosition, "B", (100, 100, 200), 90m)),
            (otherEducation, Sitter(otherEducation, "C", (100, 100, 200), 90m)));
        Assert.Equal(["A"], Numbers(pool));
    }

    [Fact]
    public void An_umum_place_takes_only_those_meeting_the_umum_threshold_a_khusus_place_their_own_R17()
    {
        // TWK 60 < 65: below the umum threshold, above the disabilitas one (total 320 >= 286, TIU 90 >= 60).
        var disabilitas = Opening("S-DIS", FormationCategory.Disabilitas);
        var candidate = Sitter(disabilitas, "D", (60, 90, 170), 90m);
        Assert.True(candidate.SkdThresholdMet);

        Assert.Empty(PoolOf(Target, (disabilitas, candidate)));
        var papuaPlace = Decided(Opening("T-PAPUA", FormationCategory.Papua), passed: 0);
        Assert.Equal(["D"], Numbers(PoolOf(papuaPlace, (disabilitas, candidate))));
    }

    [Fact]
    public void The_pool_takes_only_those_who_sat_the_SKB_R17()
    {
        var overQuota = Fold<Application>(Application.Evolve, [.. UpToSkd(Elsewhere, "P", 120, 120, 200),
            new SkdCutOffApplied(ApplicationDecisions.IdFor(RoundId, "P"), Elsewhere.FormationId, CutOffOutcome.OverQuota, 7, "", "CPNS-2024", Now),
            new FinalResultApplied(ApplicationDecisions.IdFor(RoundId, "P"), Elsewhere.FormationId, FinalStatus.P, null, null, "", "CPNS-2024", Now)]);
        var absent = Sitter(Elsewhere, "H", (120, 120, 200), null, FinalStatus.TH);
        var sat = Sitter(Elsewhere, "S", (90, 90, 170), 60m);
        Assert.Equal(["S"], Numbers(PoolOf(Target, (Elsewhere, overQuota), (Elsewhere, absent), (Elsewhere, sat))));
    }

    [Fact]
    public void The_pool_is_ranked_by_the_final_combined_score_not_the_SKD_total_R17()
    {
        // A: SKD 410, SKB 60 -> 0.4 x 74.545 + 36 = 65.818. B: SKD 370, SKB 80 -> 26.909 + 48 = 74.909.
        var a = Sitter(Elsewhere, "A", (120, 120, 170), 60m);
        var b = Sitter(Elsewhere, "B", (100, 100, 170), 80m);
        Assert.Equal(["B", "A"], Numbers(PoolOf(Target, (Elsewhere, a), (Elsewhere, b))));
    }

    [Fact]
    public void The_formations_own_applicants_tied_across_its_last_place_come_first_R17()
    {
        var tied = Sitter(TargetOpening, "OWN", (100, 100, 170), 70m, FinalStatus.TL, tied: true);
        var better = Sitter(Elsewhere, "BETTER", (120, 120, 200), 95m);
        var pool = PoolOf(Target, (Elsewhere, better), (TargetOpening, tied));
        Assert.Equal(["OWN", "BETTER"], Numbers(pool));
        Assert.True(pool[0].OwnTie);
    }

    [Theory]
    [InlineData("umum", "Jakarta", "umum", "Jakarta", "U-1")]
    [InlineData("disabilitas", "Jakarta", "umum", "Jakarta", "U-1")]
    [InlineData("umum", "Bandung", "umum", "Jakarta", "U-3")]
    [InlineData("papua", "Bandung", "papua", "Jakarta", "E-1")]
    [InlineData("papua", "Jakarta", "disabilitas", "Jakarta", "E-2")]
    [InlineData("umum", "Jakarta", "cumlaude", "Jakarta", "E-2")]
    [InlineData("umum", "Bandung", "cumlaude", "Jakarta", "E-3")]
    public void Each_placement_takes_the_sub_code_of_its_source_and_target_R17(string sourceCategory, string sourceLocation, string targetCategory, string targetLocation, string code)
    {
        var source = Fold(Opening("S", FormationCategories.Parse(sourceCategory), sourceLocation));
        var target = Fold(Opening("T", FormationCategories.Parse(targetCategory), targetLocation));
        Assert.Equal(code, AppointmentDecisions.SubCode(Rules, source, target));
    }

    [Fact]
    public void The_instansi_proposes_the_best_ranked_and_Panselnas_approves_two_decisions_R17()
    {
        var best = Sitter(Elsewhere, "B", (110, 110, 200), 90m);
        var second = Sitter(Elsewhere, "C", (100, 100, 180), 70m);
        var pool = PoolOf(Target, (Elsewhere, best), (Elsewhere, second));
        var round = RoundIn(RoundStage.Optimisation);

        Given<Formation>(Formation.Evolve, TargetHistory)
            .When(t => AppointmentDecisions.ProposeOptimisation(round, t!, pool, second, new ProposeOptimisation(t!.Id, second.Id, "usul PPK", Now)))
            .ThenRefused("optimisation.not-best-ranked");

        var proposal = AppointmentDecisions.ProposeOptimisation(round, Target, pool, best, new ProposeOptimisation(Target.Id, best.Id, "usul PPK", Now));
        Assert.Null(proposal.Refusal);
        var proposed = Assert.IsType<OptimisationProposed>(proposal.Events[0]);
        Assert.Equal((Target.Id, best.Id, Elsewhere.FormationId, 1, 2, "U-1"), (proposed.FormationId, proposed.ApplicationId, proposed.SourceFormationId, proposed.PoolRank, proposed.PoolSize, proposed.SubCode));
        Assert.IsType<ProposedForOptimisation>(proposal.Events[1]);

        // Proposed, not placed: the vacancy awaits Panselnas, the applicant is out of other pools.
        var pending = Formation.Evolve(Target, proposed)!;
        var candidate = Application.Evolve(best, proposal.Events[1])!;
        Assert.Equal((1, 0), (pending.Vacant, pending.OpenToProposal));
        Assert.False(candidate.IsPasser);
        Assert.Equal("optimisation.no-vacancy", AppointmentDecisions.ProposeOptimisation(round, pending, PoolOf(pending, (Elsewhere, second)), second, new ProposeOptimisation(Target.Id, second.Id, "usul", Now)).Refusal!.Code);

        Given<Formation>(Formation.Evolve, [.. TargetHistory, proposed])
            .When(t => AppointmentDecisions.DecideOptimisationProposal(round, t!, candidate, new DecideOptimisationProposal(t!.Id, best.Id, true, "sesuai kualifikasi", Now)))
            .Then(
                new PlacedByOptimisation(best.Id, Elsewhere.FormationId, Target.Id, "P/L-2", 1, "placed in T-UMUM by optimisation, approved by Panselnas: sesuai kualifikasi", "CPNS-2024", Now, "U-1"),
                new VacancyFilledByOptimisation(Target.Id, best.Id, Elsewhere.FormationId, "CPNS-2024", Now));
    }

    [Fact]
    public void Panselnas_may_reject_a_proposal_and_the_next_best_is_proposed_R17()
    {
        var best = Sitter(Elsewhere, "B", (110, 110, 200), 90m);
        var second = Sitter(Elsewhere, "C", (100, 100, 180), 70m);
        var round = RoundIn(RoundStage.Optimisation);
        var proposal = AppointmentDecisions.ProposeOptimisation(round, Target, PoolOf(Target, (Elsewhere, best), (Elsewhere, second)), best, new ProposeOptimisation(Target.Id, best.Id, "usul PPK", Now));
        var pending = Formation.Evolve(Target, proposal.Events[0])!;
        var proposedApplicant = Application.Evolve(best, proposal.Events[1])!;

        var rejection = AppointmentDecisions.DecideOptimisationProposal(round, pending, proposedApplicant, new DecideOptimisationProposal(Target.Id, best.Id, false, "lokasi tidak sesuai", Now));
        Assert.Equal([typeof(OptimisationProposalRejected), typeof(OptimisationProposalDeclined)], rejection.Events.Select(e => e.GetType()));

        var open = Formation.Evolve(pending, rejection.Events[0])!;
        var declined = Application.Evolve(proposedApplicant, rejection.Events[1])!;
        Assert.Equal(1, open.OpenToProposal);
        Assert.Equal(["C"], Numbers(PoolOf(open, (Elsewhere, declined), (Elsewhere, second))));
    }

    [Fact]
    public void Panselnas_decides_only_a_pending_proposal_R17()
    {
        var best = Sitter(Elsewhere, "B", (110, 110, 200), 90m);
        Given<Formation>(Formation.Evolve, TargetHistory)
            .When(t => AppointmentDecisions.DecideOptimisationProposal(RoundIn(RoundStage.Optimisation), t!, best, new DecideOptimisationProposal(t!.Id, best.Id, true, "ok", Now)))
            .ThenRefused("optimisation.no-proposal");
    }

    [Fact]
    public void Optimisation_needs_a_vacancy_R17()
    {
        var full = DecidedHistory(Opening("F-FULL"), passed: 2);
        var candidate = Sitter(Elsewhere, "B", (100, 100, 200), 80m);
        Given<Formation>(Formation.Evolve, full)
            .When(f => AppointmentDecisions.ProposeOptimisation(RoundIn(RoundStage.Optimisation), f!, PoolOf(f!, (Elsewhere, candidate)), candidate, new ProposeOptimisation(f!.Id, candidate.Id, "usul", Now)))
            .ThenRefused("optimisation.no-vacancy");
    }
}
