using Merit.Recruitment;
using Xunit;
using static Merit.Tests.Recruitment.Fixtures;
using static Merit.Tests.Scenario;

namespace Merit.Tests.Recruitment;

public class SkdStageTests
{
    private static readonly Guid PreviousRoundId = RoundDecisions.IdFor("CPNS-2023");

    private static Round PreviousRound(string ruleSet = "CPNS-2023") =>
        Round.Evolve(null, new RoundOpened(PreviousRoundId, "CPNS-2023", "CPNS 2023", ruleSet, Opened.AddYears(-1)))!;

    private static Application Previous(int twk, int tiu, int tkp, bool met, EducationLevel education = EducationLevel.S1, Guid? person = null)
    {
        var id = ApplicationDecisions.IdFor(PreviousRoundId, "23100001");
        var formation = FormationDecisions.IdFor(PreviousRoundId, "F-9");
        return new object[]
        {
            new ApplicantRegistered(id, PreviousRoundId, formation, "F-9", "23100001", person ?? PersonId, Sex.F, education, 3.2m, Opened.AddYears(-1)),
            new AdministrativeVerificationRecorded(id, formation, AdministrativeResult.MS, "ok", "CPNS-2023", Opened.AddYears(-1)),
            new SkdResultRecorded(id, formation, twk, tiu, tkp, twk + tiu + tkp, FormationCategory.Umum, met, [], "CPNS-2023", Opened.AddYears(-1)),
        }.Aggregate((Application?)null, Application.Evolve)!;
    }

    private static Outcome Reuse(Application previous, Round? previousRound = null) =>
        Given<Application>(Application.Evolve, Registered(), Verified(Registered()))
            .When(a => SkdStageDecisions.ReuseCertificate(RoundIn(RoundStage.Skd), FormationIn(), a!, previousRound ?? PreviousRound(), previous, new ReuseSkdCertificate(a!.Id, previous.Id, Now)));

    [Fact]
    public void A_2023_certificate_that_met_the_threshold_is_reused_by_the_same_person_R12() =>
        Reuse(Previous(70, 90, 170, met: true)).Then(new SkdCertificateReused(
            Registered().ApplicationId, Registered().FormationId, Previous(70, 90, 170, true).Id, "CPNS-2023", 70, 90, 170, 330, FormationCategory.Umum, true, [], "CPNS-2024", Now));

    [Fact]
    public void A_certificate_below_its_threshold_is_refused_R12() =>
        Reuse(Previous(60, 90, 170, met: false)).ThenRefused("certificate.threshold-not-met");

    [Fact]
    public void Another_persons_certificate_is_refused_R12() =>
        Reuse(Previous(70, 90, 170, met: true, person: Guid.NewGuid())).ThenRefused("certificate.other-person");

    [Fact]
    public void A_certificate_earned_with_another_education_level_is_refused_R12() =>
        Reuse(Previous(70, 90, 170, met: true, education: EducationLevel.D3)).ThenRefused("certificate.education-level");

    [Fact]
    public void A_certificate_covers_only_the_next_period_R12() =>
        Reuse(Previous(70, 90, 170, met: true), PreviousRound("CPNS-2024")).ThenRefused("certificate.wrong-period");

    [Fact]
    public void An_applicant_reusing_a_certificate_cannot_also_sit_the_SKD_R12()
    {
        var reused = new SkdCertificateReused(Registered().ApplicationId, Registered().FormationId, Guid.NewGuid(), "CPNS-2023", 70, 90, 170, 330, FormationCategory.Umum, true, [], "CPNS-2024", Now);
        Given<Application>(Application.Evolve, Registered(), Verified(Registered()), reused)
            .When(a => ApplicationDecisions.RecordSkd(RoundIn(RoundStage.Skd), FormationIn(), a!, new RecordSkdResult(a!.Id, new SkdScore(100, 100, 200), Now)))
            .ThenRefused("skd.certificate-reused");
    }

    [Fact]
    public void An_absent_applicant_is_recorded_TH_and_gets_no_score_afterwards()
    {
        var given = Given<Application>(Application.Evolve, Registered(), Verified(Registered()), new SkdAbsenceRecorded(Registered().ApplicationId, Registered().FormationId, "CPNS-2024", Now));
        given.When(a => ApplicationDecisions.RecordSkd(RoundIn(RoundStage.Skd), FormationIn(), a!, new RecordSkdResult(a!.Id, new SkdScore(100, 100, 200), Now)))
            .ThenRefused("skd.already-recorded");
    }
}
