using Merit.Identifiers;
using Merit.Recruitment;
using Merit.Recruitment.Ranking;
using Xunit;
using static Merit.Tests.Scenario;

namespace Merit.Tests.Recruitment;

/// <summary>PPPK rounds on the CPNS machinery (brief 2.11): stage order without SKB, R20 thresholds and rank only, R21 bonus cap, NI PPPK.</summary>
public class PppkTests
{
    private static readonly DateTimeOffset Opened = new(2024, 10, 1, 0, 0, 0, TimeSpan.FromHours(7));
    private static readonly DateTimeOffset Now = new(2024, 12, 2, 9, 0, 0, TimeSpan.FromHours(7));

    private static Guid RoundIdOf(string ruleSet) => RoundDecisions.IdFor(ruleSet);

    private static object[] RoundHistory(RoundStage upTo, string ruleSet)
    {
        var stages = RuleSetCatalog.Get(ruleSet).StageOrder;
        var events = new List<object> { new RoundOpened(RoundIdOf(ruleSet), ruleSet, ruleSet, ruleSet, Opened) };
        for (var i = 0; stages[i] < upTo; i++)
        {
            events.Add(new RoundStageAdvanced(RoundIdOf(ruleSet), stages[i], stages[i + 1], Opened.AddDays(i + 1)));
        }

        return events.ToArray();
    }

    private static Round RoundIn(RoundStage stage, string ruleSet) => RoundHistory(stage, ruleSet).Aggregate((Round?)null, Round.Evolve)!;

    private static Formation FormationOf(string ruleSet, int allocation = 2) => Formation.Evolve(null, new FormationOpened(
        FormationDecisions.IdFor(RoundIdOf(ruleSet), "P-001"), RoundIdOf(ruleSet), "P-001", "A5EB03E23CCCF6A0E040640A040252AD", "Guru Ahli Pertama", "Kupang", FormationCategory.Umum, allocation, EducationLevel.S1, ruleSet, Opened))!;

    private static ApplicantRegistered Registered(string ruleSet, string number, decimal? gpa = 3.2m) =>
        new(ApplicationDecisions.IdFor(RoundIdOf(ruleSet), number), RoundIdOf(ruleSet), FormationOf(ruleSet).Id, "P-001", number, Guid.Parse("0b9a3c1e-0000-4000-8000-000000000002"), Sex.F, EducationLevel.S1, gpa, Opened.AddDays(2));

    private static Application Verified(string ruleSet, string number, decimal? gpa = 3.2m)
    {
        var registered = Registered(ruleSet, number, gpa);
        return new object[] { registered, new AdministrativeVerificationRecorded(registered.ApplicationId, registered.FormationId, AdministrativeResult.MS, "ok", ruleSet, Opened.AddDays(10)) }
            .Aggregate((Application?)null, Application.Evolve)!;
    }

    private static SkdScore Competence(int technical, int managerial, int socioCultural, int interview, int certificate = 0) =>
        new(new Dictionary<string, int> { ["TEKNIS"] = technical, ["MANAJERIAL"] = managerial, ["SOSIOKULTURAL"] = socioCultural, ["WAWANCARA"] = interview }, certificate);

    private static Outcome Record(string ruleSet, SkdScore score, string number = "P0001") =>
        Given<Application>(Application.Evolve, Registered(ruleSet, number), new AdministrativeVerificationRecorded(ApplicationDecisions.IdFor(RoundIdOf(ruleSet), number), FormationOf(ruleSet).Id, AdministrativeResult.MS, "ok", ruleSet, Opened.AddDays(10)))
            .When(a => ApplicationDecisions.RecordSkd(RoundIn(RoundStage.Skd, ruleSet), FormationOf(ruleSet), a!, new RecordSkdResult(a!.Id, score, Now)));

    /// <summary>An applicant who sat the competence test, recorded through the decision itself.</summary>
    private static Application Sat(string ruleSet, string number, SkdScore score, decimal? gpa = 3.2m)
    {
        var application = Verified(ruleSet, number, gpa);
        var decision = ApplicationDecisions.RecordSkd(RoundIn(RoundStage.Skd, ruleSet), FormationOf(ruleSet), application, new RecordSkdResult(application.Id, score, Now));
        Assert.Null(decision.Refusal);
        return decision.Events.Aggregate(application, (a, e) => Application.Evolve(a, e)!);
    }

    private static FinalResultDecided Final(string ruleSet, int allocation, params Application[] applications)
    {
        var decision = SelectionDecisions.DecideFinal(RoundIn(RoundStage.Integration, ruleSet), FormationOf(ruleSet, allocation), applications, applications.ToDictionary(a => a.Id, _ => new DateOnly(1995, 1, 1)), new DecideFinalResult(FormationOf(ruleSet).Id, Now));
        Assert.Null(decision.Refusal);
        Assert.Equal(applications.Length, decision.Events.OfType<FinalResultApplied>().Count());
        return Assert.IsType<FinalResultDecided>(decision.Events[0]);
    }

    private static string Line(FinalEntry e) => $"{e.RegistrationNumber} {e.Rank?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"} {e.Status}";

    [Fact]
    public void Both_PPPK_rule_sets_describe_one_competence_test_without_SKB()
    {
        foreach (var version in new[] { "PPPK-2023", "PPPK-2024" })
        {
            var rules = RuleSetCatalog.Get(version);
            Assert.Equal(SelectionKind.Pppk, rules.Kind);
            Assert.Equal(["TEKNIS", "MANAJERIAL", "SOSIOKULTURAL", "WAWANCARA"], rules.Skd.Subtests.Select(s => s.Code));
            Assert.Equal(["technical", "managerial", "socio_cultural", "interview"], rules.Skd.Subtests.Select(s => s.FileColumn));
            Assert.False(rules.HasStage(RoundStage.Skb));
            Assert.Null(rules.SkbComponents);
            Assert.Equal(45, rules.Skd.CertificateBonus!.Cap(rules.Skd));
            Assert.Equal(EmployeeNumber.NiPppk, rules.EmployeeNumber);
        }

        Assert.True(RuleSetCatalog.Get("CPNS-2024").HasStage(RoundStage.Skb));
        Assert.Equal(EmployeeNumber.Nip, RuleSetCatalog.Get("CPNS-2024").EmployeeNumber);
    }

    [Fact]
    public void A_rule_set_naming_a_component_its_blueprint_lacks_or_its_stages_out_of_order_is_inconsistent()
    {
        var rules = RuleSetCatalog.Get("PPPK-2023");
        Assert.Null(rules.Inconsistency());
        var unknown = rules with { Thresholds = new Dictionary<string, Threshold> { ["umum"] = new(new Dictionary<string, int> { ["MANAJERIAL+SOSIAL"] = 117 }) } };
        Assert.Equal("names the component SOSIAL, which its blueprint lacks", unknown.Inconsistency());
        Assert.NotNull((rules with { Stages = [RoundStage.Announcement, RoundStage.Skd, RoundStage.Registration, RoundStage.Closed] }).Inconsistency());
    }

    [Fact]
    public void A_PPPK_round_goes_from_the_competence_test_straight_to_integration_R05()
    {
        Given<Round>(Round.Evolve, RoundHistory(RoundStage.Skd, "PPPK-2024"))
            .When(r => RoundDecisions.Advance(r!, new AdvanceRoundStage(r!.Id, RoundStage.Integration, Now)))
            .Then(new RoundStageAdvanced(RoundIdOf("PPPK-2024"), RoundStage.Skd, RoundStage.Integration, Now));
        var skb = Given<Round>(Round.Evolve, RoundHistory(RoundStage.Skd, "PPPK-2024"))
            .When(r => RoundDecisions.Advance(r!, new AdvanceRoundStage(r!.Id, RoundStage.Skb, Now)))
            .ThenRefused("round.stage-not-in-rule-set");
        Assert.Equal("to", skb.Field);
        var early = Given<Round>(Round.Evolve, RoundHistory(RoundStage.Skd, "PPPK-2024"))
            .When(r => RoundDecisions.Advance(r!, new AdvanceRoundStage(r!.Id, RoundStage.FinalAppeal, Now)))
            .ThenRefused("round.stage-order");
        Assert.Equal(nameof(RoundStage.Integration), early.RequiredStage);
    }

    [Fact]
    public void Nothing_of_the_SKB_is_decided_in_a_PPPK_round()
    {
        var application = Sat("PPPK-2024", "P0001", Competence(300, 80, 60, 30));
        Given<Formation>(Formation.Evolve, new FormationOpened(FormationOf("PPPK-2024").Id, RoundIdOf("PPPK-2024"), "P-001", "X", "Guru", "Kupang", FormationCategory.Umum, 2, EducationLevel.S1, "PPPK-2024", Opened))
            .When(f => SelectionDecisions.DecideSkdCutOff(RoundIn(RoundStage.Integration, "PPPK-2024"), f!, [application], new DecideSkdCutOff(f!.Id, Now)))
            .ThenRefused("skb.not-in-rule-set");
        Given<Formation>(Formation.Evolve, new FormationOpened(FormationOf("PPPK-2024").Id, RoundIdOf("PPPK-2024"), "P-001", "X", "Guru", "Kupang", FormationCategory.Umum, 2, EducationLevel.S1, "PPPK-2024", Opened))
            .When(f => SkbDecisions.SetWeights(RoundIn(RoundStage.Registration, "PPPK-2024"), f!, new SetSkbWeights(f!.Id, new SkbWeights(0.6m, 0.3m, 0.1m), Now)))
            .ThenRefused("skb.not-in-rule-set");
    }

    [Fact]
    public void PPPK_2023_threshold_met_on_the_managerial_group_but_not_on_the_interview_R20()
    {
        var recorded = Assert.IsType<CompetenceResultRecorded>(Record("PPPK-2023", Competence(300, 70, 50, 23)).Decision.Events.Single());
        Assert.False(recorded.ThresholdMet);
        Assert.Equal(["WAWANCARA 23 < 24"], recorded.Shortfalls);
    }

    [Fact]
    public void PPPK_2023_threshold_met_on_the_interview_but_not_on_the_managerial_group_R20()
    {
        var number = "P0001";
        Record("PPPK-2023", Competence(300, 70, 46, 40), number).Then(new CompetenceResultRecorded(
            ApplicationDecisions.IdFor(RoundIdOf("PPPK-2023"), number),
            FormationOf("PPPK-2023").Id,
            [new("TEKNIS", 300), new("MANAJERIAL", 70), new("SOSIOKULTURAL", 46), new("WAWANCARA", 40)],
            0,
            0,
            456,
            FormationCategory.Umum,
            false,
            ["MANAJERIAL+SOSIOKULTURAL 116 < 117"],
            "PPPK-2023",
            Now));
    }

    [Fact]
    public void PPPK_2023_threshold_met_on_both_groups_exactly_R20() =>
        Assert.True(Assert.IsType<CompetenceResultRecorded>(Record("PPPK-2023", Competence(0, 70, 47, 24)).Decision.Events.Single()).ThresholdMet);

    [Fact]
    public void PPPK_2024_has_no_threshold_R20()
    {
        var recorded = Assert.IsType<CompetenceResultRecorded>(Record("PPPK-2024", Competence(0, 10, 10, 1)).Decision.Events.Single());
        Assert.True(recorded.ThresholdMet);
        Assert.Empty(recorded.Shortfalls);
    }

    [Fact]
    public void The_certificate_bonus_is_capped_at_ten_percent_of_the_technical_maximum_R21()
    {
        var capped = Assert.IsType<CompetenceResultRecorded>(Record("PPPK-2024", Competence(300, 80, 60, 30, certificate: 90)).Decision.Events.Single());
        Assert.Equal((90, 45, 515), (capped.CertificateBonusClaimed, capped.CertificateBonus, capped.Total));
        var within = Assert.IsType<CompetenceResultRecorded>(Record("PPPK-2024", Competence(300, 80, 60, 30, certificate: 45)).Decision.Events.Single());
        Assert.Equal((45, 45, 515), (within.CertificateBonusClaimed, within.CertificateBonus, within.Total));
        Assert.Equal(470, Sat("PPPK-2024", "P0002", Competence(300, 80, 60, 30)).Skd!.Total);
    }

    [Fact]
    public void A_PPPK_result_is_checked_against_its_own_blueprint_R08()
    {
        Assert.Equal("components", Record("PPPK-2024", new SkdScore(100, 100, 200)).ThenRefused("skd.out-of-range").Field);
        Assert.Equal("teknis", Record("PPPK-2024", Competence(451, 80, 60, 30)).ThenRefused("skd.out-of-range").Field);
        Assert.Equal("teknis", Record("PPPK-2024", Competence(302, 80, 60, 30)).ThenRefused("skd.out-of-range").Field);
        Assert.Equal("wawancara", Record("PPPK-2024", Competence(300, 80, 60, 41)).ThenRefused("skd.out-of-range").Field);
        Assert.Equal("certificate", Record("PPPK-2024", Competence(300, 80, 60, 30, certificate: -5)).ThenRefused("skd.out-of-range").Field);
        Assert.Equal("components", Record("CPNS-2024", Competence(300, 80, 60, 30)).ThenRefused("skd.out-of-range").Field);
    }

    [Fact]
    public void PPPK_2024_passes_by_rank_within_the_allocation_without_a_cut_off_R20()
    {
        var final = Final(
            "PPPK-2024",
            2,
            Sat("PPPK-2024", "P0001", Competence(300, 80, 60, 30)),
            Sat("PPPK-2024", "P0002", Competence(100, 20, 20, 5)),
            Sat("PPPK-2024", "P0003", Competence(350, 80, 60, 30)));
        Assert.Equal(["P0003 1 PL", "P0001 2 PL", "P0002 3 TL"], final.Entries.Select(Line));
        Assert.Equal(2, final.Passed);
        Assert.Equal([520.000m, 470.000m, 145.000m], final.Entries.Select(e => e.FinalScore!.Value));
        Assert.Equal([520, 470, 145], final.Entries.Select(e => e.SkdTotal));
        Assert.All(final.Entries, e => Assert.Null(e.SkbScore));
        Assert.Equal("PPPK-2024", final.RuleSetVersion);
    }

    [Fact]
    public void PPPK_2024_with_fewer_applicants_than_places_passes_them_all_and_leaves_places_vacant_R20()
    {
        var final = Final("PPPK-2024", 3, Sat("PPPK-2024", "P0001", Competence(5, 1, 1, 1)));
        Assert.Equal(["P0001 1 PL"], final.Entries.Select(Line));
        Assert.Equal((1, 3), (final.Passed, final.Allocation));
    }

    [Fact]
    public void PPPK_2024_ties_share_a_rank_are_broken_by_the_rule_sets_order_and_a_full_tie_across_the_last_place_is_referred_R20()
    {
        // Same total 470: P0002 leads on TEKNIS. P0003 and P0004 are equal on everything, across place 3 of 3.
        var final = Final(
            "PPPK-2024",
            3,
            Sat("PPPK-2024", "P0001", Competence(295, 85, 60, 30)),
            Sat("PPPK-2024", "P0002", Competence(300, 80, 60, 30)),
            Sat("PPPK-2024", "P0003", Competence(250, 80, 60, 30)),
            Sat("PPPK-2024", "P0004", Competence(250, 80, 60, 30)));
        Assert.Equal(["P0002 1 PL", "P0001 2 PL", "P0003 3 TL", "P0004 3 TL"], final.Entries.Select(Line));
        Assert.True(final.UnresolvedTieAtBoundary);
        Assert.Equal("passed: rank 1 of allocation 3, final 470.000 (tie on final broken by TEKNIS 300 > 295 with P0001)", final.Entries[0].Reason);
        Assert.Contains("referred to Panselnas", final.Entries[2].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void PPPK_2023_lists_those_below_the_threshold_as_TL_without_a_rank_R20()
    {
        var final = Final(
            "PPPK-2023",
            2,
            Sat("PPPK-2023", "P0001", Competence(450, 70, 46, 40)),
            Sat("PPPK-2023", "P0002", Competence(200, 70, 47, 24)));
        Assert.Equal(["P0002 1 PL", "P0001 - TL"], final.Entries.Select(Line));
        Assert.Equal(1, final.Passed);
        Assert.Contains("below threshold (MANAJERIAL+SOSIOKULTURAL 116 < 117, rule set PPPK-2023)", final.Entries[1].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void The_certificate_bonus_counts_in_the_ranking_R21()
    {
        var final = Final(
            "PPPK-2024",
            1,
            Sat("PPPK-2024", "P0001", Competence(320, 80, 60, 30)),
            Sat("PPPK-2024", "P0002", Competence(300, 80, 60, 30, certificate: 100)));
        Assert.Equal(["P0002 1 PL", "P0001 2 TL"], final.Entries.Select(Line));
        Assert.Equal([515, 490], final.Entries.Select(e => e.SkdTotal));
    }

    private static Application Passer(string ruleSet, params object[] more)
    {
        var application = Sat(ruleSet, "P0001", ruleSet.StartsWith("CPNS", StringComparison.Ordinal) ? new SkdScore(100, 100, 200) : Competence(300, 80, 60, 30));
        object[] events = [new FinalResultApplied(application.Id, application.FormationId, FinalStatus.PL, 1, 470m, "", ruleSet, Now), .. more];
        return events.Aggregate(application, (a, e) => Application.Evolve(a, e)!);
    }

    [Fact]
    public void A_PPPK_passer_receives_an_NI_PPPK_numbered_after_the_last_for_the_same_first_15_digits_R26()
    {
        var passer = Passer("PPPK-2024");
        Given<Application>(Application.Evolve)
            .When(_ => AppointmentDecisions.IssueNiPppk(RoundIn(RoundStage.Appointment, "PPPK-2024"), passer, new IssueNiPppk(passer.Id, 2025, "24", new DateOnly(1990, 9, 13), 13, Now)))
            .Then(new NiPppkAssigned(passer.Id, passer.FormationId, 2025, "24", 14, "PPPK-2024", Now));

        // The brief's example, 1990-09-13, 2025, code 24, female, sequence 014.
        var prefix = NiPppk.Prefix(new DateOnly(1990, 9, 13), 2025, "24", Sex.F);
        Assert.Equal("199009132025242014", NiPppk.Compose(prefix, 14));
        Assert.Null(NiPppk.Problem(NiPppk.Compose(prefix, 14)));
    }

    [Fact]
    public void An_NI_PPPK_is_issued_once_to_a_passer_of_a_PPPK_round_in_the_appointment_stage_R26()
    {
        var round = RoundIn(RoundStage.Appointment, "PPPK-2024");
        IssueNiPppk Issue(Application a, int last = 0, string code = "24", int year = 2025) => new(a.Id, year, code, new DateOnly(1990, 9, 13), last, Now);
        var passer = Passer("PPPK-2024");
        Assert.Equal("round.wrong-stage", AppointmentDecisions.IssueNiPppk(RoundIn(RoundStage.Optimisation, "PPPK-2024"), passer, Issue(passer)).Refusal!.Code);
        Assert.Equal("ni-pppk.already-issued", AppointmentDecisions.IssueNiPppk(round, Passer("PPPK-2024", new NiPppkAssigned(passer.Id, passer.FormationId, 2025, "24", 1, "PPPK-2024", Now)), Issue(passer)).Refusal!.Code);
        Assert.Equal("ni-pppk.not-a-passer", AppointmentDecisions.IssueNiPppk(round, Sat("PPPK-2024", "P0009", Competence(5, 1, 1, 1)), Issue(passer)).Refusal!.Code);
        Assert.Equal("ni-pppk.sequence-exhausted", AppointmentDecisions.IssueNiPppk(round, passer, Issue(passer, last: 999)).Refusal!.Code);
        Assert.Equal("code", AppointmentDecisions.IssueNiPppk(round, passer, Issue(passer, code: "2A")).Refusal!.Field);
        Assert.Equal("appointmentYear", AppointmentDecisions.IssueNiPppk(round, passer, Issue(passer, year: 2023)).Refusal!.Field);

        // A PPPK passer gets no NIP, a CPNS passer no NI PPPK; the appointed PPPK passer cannot withdraw with APS.
        Assert.Equal("nip.not-for-rule-set", AppointmentDecisions.IssueNip(round, passer, new IssueNip(passer.Id, new DateOnly(2025, 3, 1), new DateOnly(1990, 9, 13), 0, Now)).Refusal!.Code);
        var cpns = Passer("CPNS-2024");
        Assert.Equal("ni-pppk.not-for-rule-set", AppointmentDecisions.IssueNiPppk(RoundIn(RoundStage.Appointment, "CPNS-2024"), cpns, Issue(cpns)).Refusal!.Code);
        Assert.Equal("withdrawal.appointed", AppointmentDecisions.Withdraw(round, Passer("PPPK-2024", new NiPppkAssigned(passer.Id, passer.FormationId, 2025, "24", 1, "PPPK-2024", Now)), new WithdrawAfterPassing(passer.Id, "x", Now)).Refusal!.Code);
    }
}
