using Merit.Recruitment;
using Xunit;
using static Merit.Tests.Recruitment.Fixtures;
using static Merit.Tests.Scenario;

namespace Merit.Tests.Recruitment;

public class RegistrationTests
{
    private static readonly DateOnly AppliedOn = new(2024, 8, 25);

    private static Outcome Registering(RegisterApplicant command, Formation? formation = null, Round? round = null) =>
        Given<Application>(Application.Evolve)
            .When(a => ApplicationDecisions.Register(round ?? RoundIn(RoundStage.Registration), formation ?? FormationIn(), a, false, command));

    private static DateOnly Date(string iso) => DateOnly.Parse(iso, System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void An_applicant_registers_with_a_pseudonym_and_no_birth_date_in_the_event() =>
        Given<Application>(Application.Evolve)
            .When(a => ApplicationDecisions.Register(RoundIn(RoundStage.Registration), FormationIn(), a, false, Register()))
            .Then(new ApplicantRegistered(
                ApplicationDecisions.IdFor(RoundId, "24100001"), RoundId, FormationDecisions.IdFor(RoundId, "F-001"), "F-001", "24100001", PersonId, Sex.F, EducationLevel.S1, 3.50m, Now,
                RegistrationCloses, ApplicationDateSource.RegistrationWindowClose, "CPNS-2024"));

    [Fact]
    public void The_decision_names_the_application_date_it_used_and_its_rule_set_R06() =>
        Registering(Register(appliedOn: AppliedOn))
            .Then(RegisteredBy(Register(appliedOn: AppliedOn), AppliedOn, ApplicationDateSource.Given));

    [Fact]
    public void A_registration_recorded_years_later_is_judged_on_the_day_the_person_applied_not_on_the_clock_R06()
    {
        // 35 on 25 Aug 2024, 37 on 7 Dec 2026: the clock at import decides nothing.
        var importedToday = Register(birthDate: Date("1989-01-15"), appliedOn: AppliedOn, now: new DateTimeOffset(2026, 12, 7, 10, 0, 0, TimeSpan.FromHours(7)));
        Registering(importedToday).Then(RegisteredBy(importedToday, AppliedOn, ApplicationDateSource.Given));
    }

    [Theory]
    [InlineData("1988-08-26", false)] // 35 on 25 Aug 2024, a day short of 36
    [InlineData("1988-08-25", true)] // 36 that day
    [InlineData("2006-08-25", false)] // 18 that day
    [InlineData("2006-08-26", true)] // still 17
    public void Age_on_the_application_date_must_be_18_to_35_R06(string birthDate, bool refused)
    {
        var outcome = Registering(Register(birthDate: Date(birthDate), appliedOn: AppliedOn));
        if (refused)
        {
            var refusal = outcome.ThenRefused("application.age-limit");
            Assert.Equal("birthDate", refusal.Field);
            Assert.Contains("judged on 2024-08-25 (WIB)", refusal.Message, StringComparison.Ordinal);
            Assert.Contains("CPNS-2024", refusal.Message, StringComparison.Ordinal);
        }
        else
        {
            outcome.Then(RegisteredBy(Register(birthDate: Date(birthDate), appliedOn: AppliedOn), AppliedOn, ApplicationDateSource.Given));
        }
    }

    [Theory]
    [InlineData("1984-08-26", "dokter_spesialis", false)] // 40 on 25 Aug 2024
    [InlineData("1983-08-25", "dokter_spesialis", true)] // 41
    [InlineData("1983-08-26", "peneliti", false)] // 40, a day short of 41
    [InlineData("1984-08-26", null, true)] // 40 in a position without the extended limit
    [InlineData("1988-08-25", "perekayasa", false)] // 36: refused elsewhere, accepted here
    public void The_extended_maximum_of_40_applies_to_the_position_kinds_the_rule_set_lists_R06(string birthDate, string? positionKind, bool refused)
    {
        var command = Register(birthDate: Date(birthDate), appliedOn: AppliedOn);
        var outcome = Registering(command, FormationIn(positionKind: positionKind));
        if (refused)
        {
            outcome.ThenRefused("application.age-limit");
        }
        else
        {
            outcome.Then(RegisteredBy(command, AppliedOn, ApplicationDateSource.Given));
        }
    }

    [Fact]
    public void A_formation_opens_only_with_a_position_kind_its_rule_set_knows_R06()
    {
        var open = new OpenFormation(RoundId, "F-009", "A5EB03E23CCCF6A0E040640A040252AD", "Dokter Spesialis", "Jakarta", FormationCategory.Umum, 1, EducationLevel.S2, Now, "dokter_spesialis");
        var opened = Assert.IsType<FormationOpened>(FormationDecisions.Open(RoundIn(RoundStage.Announcement), null, open).Events.Single());
        Assert.Equal("dokter_spesialis", opened.PositionKind);
        Assert.Equal("positionKind", FormationDecisions.Open(RoundIn(RoundStage.Announcement), null, open with { PositionKind = "astronaut" }).Refusal!.Field);
    }

    [Fact]
    public void Without_a_date_of_its_own_a_registration_is_judged_on_the_last_day_of_the_registration_window_R06()
    {
        // 35 on 9 Sep, 36 on 10 Sep 2024, the window's last day (brief 2.2).
        Registering(Register(birthDate: Date("1988-09-10"))).ThenRefused("application.age-limit");
        Registering(Register(birthDate: Date("1988-09-11"))).Then(RegisteredBy(Register(birthDate: Date("1988-09-11")), RegistrationCloses, ApplicationDateSource.RegistrationWindowClose));
    }

    [Fact]
    public void A_registration_at_01_00_WIB_on_the_last_day_counts_on_that_day()
    {
        // 18:00 UTC on 9 September: in WIB the window's last day.
        var at = new DateTimeOffset(2024, 9, 10, 1, 0, 0, TimeSpan.FromHours(7));
        Registering(Register(appliedAt: at)).Then(RegisteredBy(Register(appliedAt: at), RegistrationCloses, ApplicationDateSource.GivenInstant));

        // Born 10 Sep 1988: 36 on that day in WIB, though still 35 on the UTC date.
        Registering(Register(birthDate: Date("1988-09-10"), appliedAt: at)).ThenRefused("application.age-limit");

        // 00:30 WIB on 11 September is after the window, though the UTC date is still the 10th.
        var late = Registering(Register(appliedAt: new DateTimeOffset(2024, 9, 11, 0, 30, 0, TimeSpan.FromHours(7))))
            .ThenRefused("application.outside-registration-window");
        Assert.Equal("registeredOn", late.Field);
    }

    [Fact]
    public void A_round_in_WITA_reads_the_same_instant_on_its_own_calendar()
    {
        // 23:30 WIB on 10 September is 00:30 WITA on the 11th: after the window of a round kept in WITA.
        var at = new DateTimeOffset(2024, 9, 10, 23, 30, 0, TimeSpan.FromHours(7));
        Registering(Register(appliedAt: at)).Then(RegisteredBy(Register(appliedAt: at), RegistrationCloses, ApplicationDateSource.GivenInstant));
        var wita = RoundIn(RoundStage.Registration) with { TimeZone = RoundTimeZone.WITA };
        Registering(Register(appliedAt: at), round: wita).ThenRefused("application.outside-registration-window");
    }

    [Fact]
    public void A_round_without_a_registration_window_needs_the_application_date()
    {
        var round = RoundIn(RoundStage.Registration, "CPNS-2023");
        Assert.Null(round.RegistrationWindow);
        Assert.Equal("registeredOn", Registering(Register(), round: round).ThenRefused("application.date-unknown").Field);
    }

    [Theory]
    [InlineData(EducationLevel.S1, false)]
    [InlineData(EducationLevel.S2, false)] // a higher level meets an S1 requirement
    [InlineData(EducationLevel.D4, false)] // D-IV ranks with S1 (brief 3.1)
    [InlineData(EducationLevel.D3, true)]
    [InlineData(EducationLevel.SLTA, true)]
    public void The_applicants_education_must_meet_the_formations_requirement(EducationLevel education, bool refused)
    {
        var command = Register(appliedOn: AppliedOn, education: education);
        var outcome = Registering(command);
        if (refused)
        {
            Assert.Equal("educationLevel", outcome.ThenRefused("application.education").Field);
        }
        else
        {
            outcome.Then(RegisteredBy(command, AppliedOn, ApplicationDateSource.Given));
        }
    }

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
