using Merit.Recruitment;
using Merit.Recruitment.Ranking;
using Xunit;
using static Merit.Tests.Recruitment.Cases;
using static Merit.Tests.Recruitment.Fixtures;
using static Merit.Tests.Scenario;

namespace Merit.Tests.Recruitment;

/// <summary>DIS: a disqualification at any stage, with its reason and the evidence it rests on (brief 2.8, R16).</summary>
public class DisqualificationTests
{
    private static readonly FormationOpened Opening1 = Opening("F-001");

    private static Disqualify Dis(Guid id) => new(id, "menggunakan joki pada SKD", "BA-CAT-2024-117", Now);

    [Theory]
    [InlineData(RoundStage.Registration)]
    [InlineData(RoundStage.Skd)]
    [InlineData(RoundStage.Integration)]
    [InlineData(RoundStage.Appointment)]
    public void An_applicant_is_disqualified_at_any_stage_with_reason_and_evidence(RoundStage stage)
    {
        var registered = RegisteredIn(Opening1, "24100001");
        Given<Application>(Application.Evolve, registered)
            .When(a => DisqualificationDecisions.Disqualify(RoundIn(stage), a!, Dis(a!.Id)))
            .Then(new ApplicantDisqualified(registered.ApplicationId, Opening1.FormationId, "menggunakan joki pada SKD", "BA-CAT-2024-117", stage, false, "CPNS-2024", Now));
    }

    [Fact]
    public void A_disqualification_needs_its_reason_and_evidence_and_happens_once()
    {
        var registered = RegisteredIn(Opening1, "24100001");
        var given = Given<Application>(Application.Evolve, registered);
        Assert.Equal("reason", given.When(a => DisqualificationDecisions.Disqualify(RoundIn(RoundStage.Skd), a!, Dis(a!.Id) with { Reason = " " })).ThenRefused("disqualification.reason").Field);
        Assert.Equal("evidenceReference", given.When(a => DisqualificationDecisions.Disqualify(RoundIn(RoundStage.Skd), a!, Dis(a!.Id) with { EvidenceReference = "" })).ThenRefused("disqualification.evidence").Field);

        var disqualified = new ApplicantDisqualified(registered.ApplicationId, Opening1.FormationId, "joki", "BA-1", RoundStage.Skd, false, "CPNS-2024", Now);
        Given<Application>(Application.Evolve, registered, disqualified)
            .When(a => DisqualificationDecisions.Disqualify(RoundIn(RoundStage.Skd), a!, Dis(a!.Id)))
            .ThenRefused("disqualification.already");
    }

    [Fact]
    public void A_disqualified_applicant_takes_no_further_result_nor_a_place_in_the_cut_off()
    {
        var events = UpToSkd(Opening1, "24100001", 100, 100, 200);
        var registered = (ApplicantRegistered)events[0];
        var beforeSkd = Fold<Application>(Application.Evolve, [events[0], events[1], new ApplicantDisqualified(registered.ApplicationId, Opening1.FormationId, "joki", "BA-1", RoundStage.Skd, false, "CPNS-2024", Now)]);
        Assert.Equal("application.disqualified", ApplicationDecisions.RecordSkd(RoundIn(RoundStage.Skd), Fold(Opening1), beforeSkd, new RecordSkdResult(beforeSkd.Id, new SkdScore(100, 100, 200), Now)).Refusal!.Code);

        var sat = Fold<Application>(Application.Evolve, [.. events, new ApplicantDisqualified(registered.ApplicationId, Opening1.FormationId, "joki", "BA-1", RoundStage.Skd, false, "CPNS-2024", Now)]);
        var cutOff = SelectionDecisions.DecideSkdCutOff(RoundIn(RoundStage.Skb), Fold(Opening1), [sat], new DecideSkdCutOff(Opening1.FormationId, Now));
        Assert.Empty(Assert.IsType<SkdCutOffDecided>(cutOff.Events[0]).Entries);
    }

    [Fact]
    public void A_disqualified_passer_leaves_the_place_vacant_for_optimisation()
    {
        var passer = Sitter(Opening1, "24100001", (120, 120, 200), 90m, FinalStatus.PL);
        var decision = DisqualificationDecisions.Disqualify(RoundIn(RoundStage.Optimisation), passer, Dis(passer.Id));
        Assert.True(Assert.IsType<ApplicantDisqualified>(decision.Events[0]).WasPasser);
        var vacated = Assert.IsType<PlaceVacatedByDisqualification>(decision.Events[1]);

        var formation = Formation.Evolve(Decided(Opening1, passed: 2), vacated)!;
        Assert.Equal(1, formation.Vacant);
        Assert.False(decision.Events.Aggregate(passer, (a, e) => Application.Evolve(a, e)!).IsPasser);
    }

    [Fact]
    public void An_appointed_passer_is_not_disqualified_by_the_selection()
    {
        var appointed = Sitter(Opening1, "24100001", (120, 120, 200), 90m, FinalStatus.PL, false,
            new NipAssigned(ApplicationDecisions.IdFor(RoundId, "24100001"), Opening1.FormationId, 2025, 3, 1, "CPNS-2024", Now));
        Assert.Equal("disqualification.appointed", DisqualificationDecisions.Disqualify(RoundIn(RoundStage.Appointment), appointed, Dis(appointed.Id)).Refusal!.Code);
    }
}
