using Merit.Recruitment;
using Merit.Recruitment.Ranking;
using Xunit;
using static Merit.Tests.Recruitment.Cases;
using static Merit.Tests.Recruitment.Fixtures;
using static Merit.Tests.Scenario;

namespace Merit.Tests.Recruitment;

/// <summary>The final result of a formation (R14–R16): a status for every applicant, what refuses it, Panselnas on a tie, DIS.</summary>
public class FinalResultTests
{
    // One place; a cut-off already decided.
    private static readonly FormationOpened Opening1 = Opening("F-001", allocation: 1);
    private static readonly object[] CutOffHistory =
        [Opening1, new SkdCutOffDecided(Opening1.FormationId, RoundId, "F-001", FormationCategory.Umum, 1, 3, 3, [], "CPNS-2024", Now)];

    private static Guid Id(string number) => ApplicationDecisions.IdFor(RoundId, number);

    private static Application Case(string number, params object[] after) =>
        Fold<Application>(Application.Evolve, [RegisteredIn(Opening1, number), .. after]);

    private static SkdCutOffApplied CutOff(string number, CutOffOutcome outcome) => new(Id(number), Opening1.FormationId, outcome, 1, "", "CPNS-2024", Now);

    private static Application Admitted(string number, (int, int, int) skd, params object[] after) =>
        Fold<Application>(Application.Evolve, [.. UpToSkd(Opening1, number, skd.Item1, skd.Item2, skd.Item3), CutOff(number, CutOffOutcome.Admitted), .. after]);

    private static Outcome Final(IReadOnlyList<Application> applications, RoundStage stage = RoundStage.Integration) =>
        Given<Formation>(Formation.Evolve, CutOffHistory)
            .When(f => SelectionDecisions.DecideFinal(RoundIn(stage), f!, applications, new Dictionary<Guid, DateOnly>(), new DecideFinalResult(f!.Id, Now)));

    [Fact]
    public void Every_applicant_of_the_formation_ends_with_a_final_status_code_R16()
    {
        var r = Fixtures.Registered(registrationNumber: "TMS");
        Application[] applications =
        [
            Admitted("PL", (120, 120, 200), new SkbResultRecorded(Id("PL"), Opening1.FormationId, 90m, null, null, "CPNS-2024", Now)),
            Admitted("TL", (100, 100, 180), new SkbResultRecorded(Id("TL"), Opening1.FormationId, 60m, null, null, "CPNS-2024", Now)),
            Admitted("THSKB", (100, 100, 180), new SkbAbsenceRecorded(Id("THSKB"), Opening1.FormationId, "CPNS-2024", Now)),
            Fold<Application>(Application.Evolve, [.. UpToSkd(Opening1, "P", 100, 100, 170), CutOff("P", CutOffOutcome.OverQuota)]),
            Fold<Application>(Application.Evolve, [.. UpToSkd(Opening1, "TLSKD", 60, 100, 170), CutOff("TLSKD", CutOffOutcome.BelowThreshold)]),
            Case("THSKD", Verified(RegisteredIn(Opening1, "THSKD")), new SkdAbsenceRecorded(Id("THSKD"), Opening1.FormationId, "CPNS-2024", Now)),
            Case("TMS", Verified(RegisteredIn(Opening1, "TMS"), AdministrativeResult.TMS)),
            Case("DIS", Verified(RegisteredIn(Opening1, "DIS")), new ApplicantDisqualified(Id("DIS"), Opening1.FormationId, "joki", "BA-CAT-17", RoundStage.Skd, false, "CPNS-2024", Now)),
        ];

        var decision = Final(applications).Decision;
        Assert.Null(decision.Refusal);
        var decided = Assert.IsType<FinalResultDecided>(decision.Events[0]);
        Assert.Equal(
            ["PL P/L", "TL TL", "DIS DIS", "P P", "THSKB TH", "THSKD TH", "TLSKD TL", "TMS TMS"],
            decided.Entries.Select(e => $"{e.RegistrationNumber} {e.Status.Code()}"));
        Assert.Equal(applications.Length, decision.Events.OfType<FinalResultApplied>().Count());
        Assert.Contains("beyond the SKB quota", decided.Entries.Single(e => e.RegistrationNumber == "P").Reason, StringComparison.Ordinal);
        Assert.Contains("TWK 60 < 65", decided.Entries.Single(e => e.RegistrationNumber == "TLSKD").Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_SKB_score_refuses_the_final_naming_whom_TH_is_only_a_recorded_absence_R16()
    {
        var noScore = Admitted("NOSCORE", (100, 100, 180));
        var absent = Admitted("ABSENT", (100, 100, 180), new SkbAbsenceRecorded(Id("ABSENT"), Opening1.FormationId, "CPNS-2024", Now));
        var refusal = Final([noScore, absent]).ThenRefused("final.results-missing");
        Assert.Contains("NOSCORE (no SKB score and no recorded absence)", refusal.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("ABSENT", refusal.Message, StringComparison.Ordinal);

        var recorded = Final([absent]).Decision;
        Assert.Equal(FinalStatus.TH, Assert.IsType<FinalResultDecided>(recorded.Events[0]).Entries.Single().Status);
    }

    [Fact]
    public void An_unverified_applicant_or_a_missing_SKD_result_refuses_the_final_too_R16()
    {
        var unverified = Case("UNVERIFIED");
        var noSkd = Case("NOSKD", Verified(RegisteredIn(Opening1, "NOSKD")));
        var refusal = Final([unverified, noSkd]).ThenRefused("final.results-missing");
        Assert.Contains("UNVERIFIED (no administrative verification)", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("NOSKD (no SKD result and no recorded absence)", refusal.Message, StringComparison.Ordinal);
    }

    private static (object[] History, Application[] Tied, FinalResultDecided Decided) TieAcrossTheLastPlace()
    {
        // Two applicants equal on every criterion (the birth date unknown to the decision) for one place.
        Application Tied(string number) => Admitted(number, (100, 100, 180), new SkbResultRecorded(Id(number), Opening1.FormationId, 80m, null, null, "CPNS-2024", Now));
        var applications = new[] { Tied("X1"), Tied("X2") };
        var decision = Final(applications).Decision;
        var decided = Assert.IsType<FinalResultDecided>(decision.Events[0]);
        var tied = applications.Select(a => decision.Events.OfType<FinalResultApplied>().Where(e => e.ApplicationId == a.Id).Aggregate(a, (s, e) => Application.Evolve(s, e)!)).ToArray();
        return ([.. CutOffHistory, decided], tied, decided);
    }

    [Fact]
    public void A_full_tie_across_the_last_place_is_referred_to_Panselnas_and_nobody_passes_R16()
    {
        var (_, tied, decided) = TieAcrossTheLastPlace();
        Assert.True(decided.UnresolvedTieAtBoundary);
        Assert.Equal(0, decided.Passed);
        Assert.All(tied, a => Assert.True(a.TiedAcrossLastPlace));
        Assert.All(decided.Entries, e => Assert.Equal(FinalStatus.TL, e.Status));
    }

    [Fact]
    public void Panselnas_resolves_a_referred_tie_naming_whom_and_why_R16()
    {
        var (history, tied, _) = TieAcrossTheLastPlace();
        const string Why = "hasil klarifikasi dokumen";
        Given<Formation>(Formation.Evolve, history)
            .When(f => SelectionDecisions.ResolveTie(RoundIn(RoundStage.Integration), f!, tied, new ResolveTie(f!.Id, [tied[1].Id], Why, Now)))
            .Then(
                new TieResolvedByPanselnas(Opening1.FormationId, 1, ["X2"], ["X1"], Why, "CPNS-2024", Now),
                new FinalResultApplied(tied[0].Id, Opening1.FormationId, FinalStatus.TL, 1, tied[0].FinalScore, $"not passed: tied across the last place, not chosen by Panselnas ({Why})", "CPNS-2024", Now),
                new FinalResultApplied(tied[1].Id, Opening1.FormationId, FinalStatus.PL, 1, tied[1].FinalScore, $"passed: tied across the last place, chosen by Panselnas ({Why})", "CPNS-2024", Now));

        var resolved = SelectionDecisions.ResolveTie(RoundIn(RoundStage.Integration), Fold(history), tied, new ResolveTie(Opening1.FormationId, [tied[1].Id], Why, Now));
        var formation = resolved.Events.OfType<TieResolvedByPanselnas>().Aggregate(Fold(history), (f, e) => Formation.Evolve(f, e)!);
        Assert.Equal((1, 0, false), (formation.Passed, formation.Vacant, formation.TieReferred));
    }

    [Fact]
    public void Panselnas_chooses_exactly_the_places_left_among_the_tied_R16()
    {
        var (history, tied, _) = TieAcrossTheLastPlace();
        var round = RoundIn(RoundStage.Integration);
        var given = Given<Formation>(Formation.Evolve, history);
        Assert.Equal("chosen", given.When(f => SelectionDecisions.ResolveTie(round, f!, tied, new ResolveTie(f!.Id, [tied[0].Id, tied[1].Id], "keduanya", Now))).ThenRefused("tie.places").Field);
        given.When(f => SelectionDecisions.ResolveTie(round, f!, tied, new ResolveTie(f!.Id, [Guid.NewGuid()], "orang lain", Now))).ThenRefused("tie.not-tied");
        Given<Formation>(Formation.Evolve, CutOffHistory)
            .When(f => SelectionDecisions.ResolveTie(round, f!, tied, new ResolveTie(f!.Id, [tied[0].Id], "x", Now)))
            .ThenRefused("tie.none-referred");
    }
}
