using Merit.Recruitment;
using Merit.Recruitment.Ranking;
using Xunit;
using static Merit.Tests.Recruitment.Fixtures;
using static Merit.Tests.Scenario;

namespace Merit.Tests.Recruitment;

/// <summary>The per-formation decisions and what follows them: SKB, final, optimisation (R17), withdrawal (R18), NIP (R22–R23).</summary>
public class SelectionAndAppointmentTests
{
    private static Application Applicant(string number, int twk, int tiu, int tkp, params object[] more)
    {
        var registered = Registered(registrationNumber: number);
        var met = SkdRules.Assess(RuleSetCatalog.Get("CPNS-2024").ThresholdFor(FormationCategory.Umum)!, new SkdScore(twk, tiu, tkp));
        object[] events =
        [
            registered,
            Verified(registered),
            new SkdResultRecorded(registered.ApplicationId, registered.FormationId, twk, tiu, tkp, twk + tiu + tkp, FormationCategory.Umum, met.Met, met.Shortfalls, "CPNS-2024", Now),
            .. more.Select(m => m is Func<Guid, Guid, object> f ? f(registered.ApplicationId, registered.FormationId) : m),
        ];
        return events.Aggregate((Application?)null, Application.Evolve)!;
    }

    private static Func<Guid, Guid, object> CutOff(CutOffOutcome outcome) => (id, f) => new SkdCutOffApplied(id, f, outcome, 1, "", "CPNS-2024", Now);

    private static Func<Guid, Guid, object> Skb(decimal score) => (id, f) => new SkbResultRecorded(id, f, score, null, null, "CPNS-2024", Now);

    private static Func<Guid, Guid, object> Final(FinalStatus status) => (id, f) => new FinalResultApplied(id, f, status, 1, 80m, "", "CPNS-2024", Now);

    [Fact]
    public void The_cut_off_is_one_formation_event_plus_one_outcome_per_applicant_R13()
    {
        var applications = new[] { Applicant("A", 100, 100, 200), Applicant("B", 60, 120, 200) };
        var decision = SelectionDecisions.DecideSkdCutOff(RoundIn(RoundStage.Skb), FormationIn(), applications, new DecideSkdCutOff(FormationIn().Id, Now));

        var formationEvent = Assert.IsType<SkdCutOffDecided>(decision.Events[0]);
        Assert.Equal((6, 1), (formationEvent.Quota, formationEvent.Admitted));
        var outcomes = decision.Events.OfType<SkdCutOffApplied>().ToDictionary(e => e.ApplicationId, e => e.Outcome);
        Assert.Equal(CutOffOutcome.Admitted, outcomes[applications[0].Id]);
        Assert.Equal(CutOffOutcome.BelowThreshold, outcomes[applications[1].Id]);
        Assert.Contains("TWK 60 < 65 (umum, rule set CPNS-2024)", formationEvent.Entries[1].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void The_cut_off_waits_for_the_SKD_stage_to_close_and_is_taken_once()
    {
        var applications = new[] { Applicant("A", 100, 100, 200) };
        Given<Formation>(Formation.Evolve, FormationOpened())
            .When(f => SelectionDecisions.DecideSkdCutOff(RoundIn(RoundStage.Skd), f!, applications, new DecideSkdCutOff(f!.Id, Now)))
            .ThenRefused("round.wrong-stage");
        Given<Formation>(Formation.Evolve, FormationOpened(), new SkdCutOffDecided(FormationIn().Id, RoundId, "F-001", FormationCategory.Umum, 2, 6, 1, [], "CPNS-2024", Now))
            .When(f => SelectionDecisions.DecideSkdCutOff(RoundIn(RoundStage.Skb), f!, applications, new DecideSkdCutOff(f!.Id, Now)))
            .ThenRefused("cutoff.already-decided");
    }

    [Fact]
    public void SKB_results_are_taken_only_from_applicants_the_cut_off_admitted_R13()
    {
        var excluded = Applicant("B", 100, 100, 200, CutOff(CutOffOutcome.OverQuota));
        Assert.Equal("skb.not-admitted", SkbDecisions.Record(RoundIn(RoundStage.Skb), FormationIn(), excluded, new RecordSkbResult(excluded.Id, 80m, null, Now)).Refusal!.Code);

        var admitted = Applicant("A", 100, 100, 200, CutOff(CutOffOutcome.AdmittedOnTie));
        var decision = SkbDecisions.Record(RoundIn(RoundStage.Skb), FormationIn(), admitted, new RecordSkbResult(admitted.Id, 80.25m, null, Now));
        Assert.Equal(80.25m, Assert.IsType<SkbResultRecorded>(decision.Events.Single()).Score);
        Assert.Equal("skb.score", SkbDecisions.Record(RoundIn(RoundStage.Skb), FormationIn(), admitted, new RecordSkbResult(admitted.Id, 80.255m, null, Now)).Refusal!.Code);
    }

    [Theory]
    [InlineData(0.6, 0.3, 0.1, null)]
    [InlineData(0.5, 0.4, 0.1, null)]
    [InlineData(0.4, 0.5, 0.1, "skb.cat-weight")] // CAT below 50% (brief 2.7)
    [InlineData(0.5, 0.45, 0.05, "skb.additional-weight")]
    [InlineData(0.6, 0.2, 0.2, "skb.interview-weight")]
    [InlineData(0.6, 0.3, 0.2, "skb.weights-sum")]
    public void SKB_weights_are_validated_against_the_rule_set_R14(double cat, double additional, double interview, string? refusal)
    {
        var decision = SkbDecisions.SetWeights(RoundIn(RoundStage.Registration), FormationIn(), new SetSkbWeights(FormationIn().Id, new SkbWeights((decimal)cat, (decimal)additional, (decimal)interview), Now));
        Assert.Equal(refusal, decision.Refusal?.Code);
    }

    [Fact]
    public void SKB_components_are_weighted_with_the_formations_weights_R14()
    {
        var formation = Formation.Evolve(FormationIn(), new SkbWeightsSet(FormationIn().Id, 0.6m, 0.3m, 0.1m, "CPNS-2024", Now))!;
        var admitted = Applicant("A", 100, 100, 200, CutOff(CutOffOutcome.Admitted));
        var decision = SkbDecisions.Record(RoundIn(RoundStage.Skb), formation, admitted, new RecordSkbResult(admitted.Id, null, new SkbComponents(80m, 70m, 90m), Now));
        Assert.Equal(78.00m, Assert.IsType<SkbResultRecorded>(decision.Events.Single()).Score); // 48 + 21 + 9
    }

    [Fact]
    public void A_passer_who_withdraws_is_banned_for_two_budget_years_and_refused_inside_the_ban_R18()
    {
        var passer = Applicant("P", 120, 120, 200, CutOff(CutOffOutcome.Admitted), Skb(90m), Final(FinalStatus.PL));
        var decision = AppointmentDecisions.Withdraw(RoundIn(RoundStage.Appointment), passer, new WithdrawAfterPassing(passer.Id, "diterima di tempat lain", Now));
        var withdrawal = Assert.IsType<WithdrewAfterPassing>(decision.Events[0]);
        Assert.Equal(2026, withdrawal.BannedThroughYear);
        Assert.IsType<PlaceVacatedByWithdrawal>(decision.Events[1]);

        Given<Application>(Application.Evolve)
            .When(a => ApplicationDecisions.Register(RoundIn(RoundStage.Registration), FormationIn(), a, false, Register("24100099"), bannedThroughYear: 2026))
            .ThenRefused("application.withdrawal-ban");
        Given<Application>(Application.Evolve)
            .When(a => ApplicationDecisions.Register(RoundIn(RoundStage.Registration), FormationIn(), a, false, Register("24100099"), bannedThroughYear: 2023))
            .Then(RegisteredBy(Register("24100099"), RegistrationCloses, ApplicationDateSource.RegistrationWindowClose));
    }

    [Fact]
    public void Only_a_passer_withdraws_with_APS_R18()
    {
        var loser = Applicant("L", 100, 100, 200, CutOff(CutOffOutcome.Admitted), Skb(50m), Final(FinalStatus.TL));
        Assert.Equal("withdrawal.not-a-passer", AppointmentDecisions.Withdraw(RoundIn(RoundStage.Appointment), loser, new WithdrawAfterPassing(loser.Id, "x", Now)).Refusal!.Code);
    }

    [Fact]
    public void The_NIP_sequence_follows_the_last_issued_for_the_same_first_15_digits_R23()
    {
        var passer = Applicant("P", 120, 120, 200, CutOff(CutOffOutcome.Admitted), Skb(90m), Final(FinalStatus.PL));
        var tmt = new DateOnly(2025, 3, 1);
        var first = AppointmentDecisions.IssueNip(RoundIn(RoundStage.Appointment), passer, new IssueNip(passer.Id, tmt, new DateOnly(1998, 8, 5), 0, Now));
        Assert.Equal((2025, 3, 1), Assert.IsType<NipAssigned>(first.Events.Single()) is var e1 ? (e1.TmtYear, e1.TmtMonth, e1.Sequence) : default);
        var collision = AppointmentDecisions.IssueNip(RoundIn(RoundStage.Appointment), passer, new IssueNip(passer.Id, tmt, new DateOnly(1998, 8, 5), 1, Now));
        Assert.Equal(2, Assert.IsType<NipAssigned>(collision.Events.Single()).Sequence);
        Assert.Equal("nip.tmt-not-first", AppointmentDecisions.IssueNip(RoundIn(RoundStage.Appointment), passer, new IssueNip(passer.Id, new DateOnly(2025, 3, 2), new DateOnly(1998, 8, 5), 0, Now)).Refusal!.Code);

        var appointed = Application.Evolve(passer, new NipAssigned(passer.Id, passer.FormationId, 2025, 3, 1, "CPNS-2024", Now))!;
        Assert.Equal("nip.already-issued", AppointmentDecisions.IssueNip(RoundIn(RoundStage.Appointment), appointed, new IssueNip(passer.Id, tmt, new DateOnly(1998, 8, 5), 1, Now)).Refusal!.Code);
    }

    [Fact]
    public void A_NIP_never_repeats_one_already_recorded_elsewhere_R23()
    {
        // 1998-08-05, TMT 2025-03, female: an imported workforce record already holds sequence 004 for these 15 digits.
        var passer = Applicant("P", 120, 120, 200, CutOff(CutOffOutcome.Admitted), Skb(90m), Final(FinalStatus.PL));
        var issued = AppointmentDecisions.IssueNip(RoundIn(RoundStage.Appointment), passer, new IssueNip(passer.Id, new DateOnly(2025, 3, 1), new DateOnly(1998, 8, 5), 4, Now));
        Assert.Equal(5, Assert.IsType<NipAssigned>(issued.Events.Single()).Sequence);
    }

    [Theory]
    [InlineData("3171014508980001", null)] // female, 5 Aug 1998: agrees with the NIP
    [InlineData("3171010508980001", "sex")] // day 05: a man's NIK
    [InlineData("3171014608980001", "day")] // 6 Aug
    [InlineData("3171014508990001", "year")]
    public void The_NIP_is_checked_against_the_NIK_and_a_mismatch_is_recorded_as_a_finding_R24(string nik, string? differs)
    {
        var passer = Applicant("P", 120, 120, 200, CutOff(CutOffOutcome.Admitted), Skb(90m), Final(FinalStatus.PL));
        var decision = AppointmentDecisions.IssueNip(RoundIn(RoundStage.Appointment), passer, new IssueNip(passer.Id, new DateOnly(2025, 3, 1), new DateOnly(1998, 8, 5), 0, Now, nik));
        Assert.IsType<NipAssigned>(decision.Events[0]);
        if (differs is null)
        {
            Assert.Single(decision.Events);
            return;
        }

        var finding = Assert.IsType<IdentityMismatchFound>(decision.Events[1]);
        var sentence = Assert.Single(finding.Mismatches);
        Assert.Contains(differs, sentence, StringComparison.Ordinal);
        Assert.DoesNotContain("1998", sentence, StringComparison.Ordinal); // parts named, never digits
    }

    [Fact]
    public void A_NIP_is_not_issued_twice_R23()
    {
        var passer = Applicant("P", 120, 120, 200, CutOff(CutOffOutcome.Admitted), Skb(90m), Final(FinalStatus.PL));
        var tmt = new DateOnly(2025, 3, 1);
        var appointed = Application.Evolve(passer, new NipAssigned(passer.Id, passer.FormationId, 2025, 3, 1, "CPNS-2024", Now))!;
        Assert.Equal("nip.already-issued", AppointmentDecisions.IssueNip(RoundIn(RoundStage.Appointment), appointed, new IssueNip(passer.Id, tmt, new DateOnly(1998, 8, 5), 1, Now)).Refusal!.Code);
    }
}
