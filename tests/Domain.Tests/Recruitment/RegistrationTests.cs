using Merit.Recruitment;
using Xunit;
using static Merit.Tests.Recruitment.Fixtures;
using static Merit.Tests.Scenario;

namespace Merit.Tests.Recruitment;

public class RegistrationTests
{
    [Fact]
    public void An_applicant_registers_with_a_pseudonym_and_no_birth_date_in_the_event() =>
        Given<Application>(Application.Evolve)
            .When(a => ApplicationDecisions.Register(RoundIn(RoundStage.Registration), FormationIn(), a, false, Register()))
            .Then(new ApplicantRegistered(
                ApplicationDecisions.IdFor(RoundId, "24100001"), RoundId, FormationDecisions.IdFor(RoundId, "F-001"), "F-001", "24100001", PersonId, Sex.F, EducationLevel.S1, 3.50m, Now));

    [Fact]
    public void Registration_outside_the_registration_stage_is_refused_R05()
    {
        var refusal = Given<Application>(Application.Evolve)
            .When(a => ApplicationDecisions.Register(RoundIn(RoundStage.Skd), FormationIn(), a, false, Register()))
            .ThenRefused("round.wrong-stage");
        Assert.Equal(nameof(RoundStage.Registration), refusal.RequiredStage);
    }

    [Fact]
    public void An_unknown_formation_is_refused_naming_the_field()
    {
        var refusal = Given<Application>(Application.Evolve)
            .When(a => ApplicationDecisions.Register(RoundIn(RoundStage.Registration), null, a, false, Register()))
            .ThenRefused("formation.unknown");
        Assert.Equal("formationId", refusal.Field);
    }

    [Fact]
    public void One_application_per_person_per_round() =>
        Given<Application>(Application.Evolve)
            .When(a => ApplicationDecisions.Register(RoundIn(RoundStage.Registration), FormationIn(), a, personHasApplicationInRound: true, Register("24100002")))
            .ThenRefused("application.person-already-registered");

    [Fact]
    public void A_registration_number_cannot_register_twice() =>
        Given<Application>(Application.Evolve, Registered())
            .When(a => ApplicationDecisions.Register(RoundIn(RoundStage.Registration), FormationIn(), a, false, Register()))
            .ThenRefused("application.exists");

    [Theory]
    [InlineData("2006-10-21", true)] // 17 on 20 Oct 2024
    [InlineData("2006-10-20", false)] // 18 that day
    [InlineData("1988-10-20", true)] // 36
    [InlineData("1988-10-21", false)] // still 35
    public void Age_at_application_must_be_18_to_35_R06(string birthDate, bool refused)
    {
        var outcome = Given<Application>(Application.Evolve)
            .When(a => ApplicationDecisions.Register(RoundIn(RoundStage.Registration), FormationIn(), a, false, Register(birthDate: DateOnly.Parse(birthDate, System.Globalization.CultureInfo.InvariantCulture))));
        Assert.Equal(refused, outcome.Decision.IsRefused);
        if (refused)
        {
            outcome.ThenRefused("application.age-limit");
        }
    }

    [Fact]
    public void Verification_records_MS_with_its_reason_and_rule_set()
    {
        var registered = Registered();
        Given<Application>(Application.Evolve, registered)
            .When(a => ApplicationDecisions.Verify(RoundIn(RoundStage.AdministrativeSelection), a!, new VerifyApplication(registered.ApplicationId, AdministrativeResult.MS, "Dokumen lengkap", Now)))
            .Then(new AdministrativeVerificationRecorded(registered.ApplicationId, registered.FormationId, AdministrativeResult.MS, "Dokumen lengkap", "CPNS-2024", Now));
    }

    [Fact]
    public void A_verified_application_is_not_verified_again()
    {
        var registered = Registered();
        Given<Application>(Application.Evolve, registered, Verified(registered, AdministrativeResult.TMS))
            .When(a => ApplicationDecisions.Verify(RoundIn(RoundStage.AdministrativeSelection), a!, new VerifyApplication(registered.ApplicationId, AdministrativeResult.MS, "ulang", Now)))
            .ThenRefused("administrative.already-verified");
    }
}
