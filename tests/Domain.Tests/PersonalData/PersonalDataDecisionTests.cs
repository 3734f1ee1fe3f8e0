using Merit.PersonalData;
using Xunit;

namespace Merit.Tests.PersonalData;

/// <summary>Who may read personal data for what, and erasure (docs/adr/0014).</summary>
public class PersonalDataDecisionTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);
    private static readonly PrivacyPolicy Policy = PrivacyPolicies.InForceOn(new DateOnly(2026, 11, 23));
    private static readonly Guid Person = Guid.Parse("0b4f6c1e-2a3d-4e5f-8a9b-0c1d2e3f4a5b");
    private static readonly Guid Other = Guid.Parse("1c5a7d2f-3b4e-4f60-9bac-1d2e3f4a5b6c");

    [Fact]
    public void No_policy_version_lets_an_analyst_read_personal_data()
    {
        Assert.NotEmpty(PrivacyPolicies.Versions);
        Assert.All(PrivacyPolicies.Versions.SelectMany(p => p.Purposes), p => Assert.DoesNotContain(PrivacyPolicy.AnalystRole, p.Roles));
    }

    [Fact]
    public void A_committee_read_for_the_tie_break_logs_one_read_per_person_naming_reader_purpose_and_policy()
    {
        var decision = PersonalDataDecisions.Read(Policy, new ReadPersonalData([Person, Other, Person], "panitia-ani", ["committee"], "final-tie-break", "POST /formations/F/final-result", Now));

        Assert.Null(decision.Refusal);
        Assert.Equal(
            [
                new PersonalDataRead(Person, "panitia-ani", "final-tie-break", "POST /formations/F/final-result", Policy.Version, Now),
                new PersonalDataRead(Other, "panitia-ani", "final-tie-break", "POST /formations/F/final-result", Policy.Version, Now),
            ],
            decision.Events);
    }

    [Theory]
    [InlineData("analyst", "case-review")]
    [InlineData("admin", "case-review")]
    [InlineData("auditor", "nip-issuance")]
    [InlineData("committee", "decision-recompute")]
    public void A_role_the_purpose_does_not_name_is_refused_and_nothing_is_logged(string role, string purpose) =>
        Scenario.Given<PersonalDataLog>(PersonalDataLog.Evolve)
            .When(_ => PersonalDataDecisions.Read(Policy, new ReadPersonalData([Person], "someone", [role], purpose, "GET /x", Now)))
            .ThenRefused("personal-data.role-not-allowed");

    [Theory]
    [InlineData("committee", "nip-issuance", "personal-data.role-not-allowed")]
    [InlineData("committee", "ni-pppk-issuance", "personal-data.role-not-allowed")]
    [InlineData("committee", "cpns-appointment", "personal-data.role-not-allowed")]
    [InlineData("bkn", "cpns-appointment", "personal-data.role-not-allowed")]
    [InlineData("bkn", "nip-issuance", null)]
    [InlineData("bkn", "ni-pppk-issuance", null)]
    [InlineData("ppk", "cpns-appointment", null)]
    public void From_PDP_2026_BKN_reads_the_birth_date_to_issue_a_number_and_the_PPK_to_appoint(string role, string purpose, string? refusal)
    {
        var policy = PrivacyPolicies.InForceOn(new DateOnly(2026, 12, 7));
        var decision = PersonalDataDecisions.Read(policy, new ReadPersonalData([Person], "someone", [role], purpose, "POST /x", Now));

        Assert.Equal(("PDP-2026", refusal), (policy.Version, decision.Refusal?.Code));
    }

    [Fact]
    public void An_unknown_purpose_is_refused() =>
        Scenario.Given<PersonalDataLog>(PersonalDataLog.Evolve)
            .When(_ => PersonalDataDecisions.Read(Policy, new ReadPersonalData([Person], "someone", ["auditor"], "curiosity", "GET /x", Now)))
            .ThenRefused("personal-data.unknown-purpose");

    [Fact]
    public void Erasure_records_who_when_and_the_legal_basis_and_nothing_about_the_person_but_the_pseudonym() =>
        Scenario.Given<PersonalDataLog>(PersonalDataLog.Evolve, new PersonalDataRead(Person, "panitia-ani", "case-review", "GET /x", Policy.Version, Now.AddDays(-1)))
            .When(log => PersonalDataDecisions.Erase(Policy, log, stored: true, readable: true, new ErasePersonalData(Person, "admin-budi", "subject-request", "ND-123/2026", Now)))
            .Then(new PersonalDataErased(Person, "admin-budi", "subject-request", "ND-123/2026", Policy.Version, Now));

    [Fact]
    public void A_second_erasure_is_accepted_with_no_event() =>
        Scenario.Given<PersonalDataLog>(PersonalDataLog.Evolve, new PersonalDataErased(Person, "admin-budi", "subject-request", "ND-123/2026", Policy.Version, Now.AddDays(-1)))
            .When(log => PersonalDataDecisions.Erase(Policy, log, stored: true, readable: false, new ErasePersonalData(Person, "admin-budi", "subject-request", "ND-124/2026", Now)))
            .Then();

    [Fact]
    public void Data_stored_again_after_an_erasure_is_erased_again() =>
        Scenario.Given<PersonalDataLog>(PersonalDataLog.Evolve, new PersonalDataErased(Person, "admin-budi", "subject-request", "ND-123/2026", Policy.Version, Now.AddDays(-400)))
            .When(log => PersonalDataDecisions.Erase(Policy, log, stored: true, readable: true, new ErasePersonalData(Person, "admin-budi", "retention-expired", "ND-9/2027", Now)))
            .Then(new PersonalDataErased(Person, "admin-budi", "retention-expired", "ND-9/2027", Policy.Version, Now));

    [Fact]
    public void Erasure_needs_a_legal_basis_of_the_policy() =>
        Scenario.Given<PersonalDataLog>(PersonalDataLog.Evolve)
            .When(log => PersonalDataDecisions.Erase(Policy, log, stored: true, readable: true, new ErasePersonalData(Person, "admin-budi", "because", "ND-1", Now)))
            .ThenRefused("erasure.unknown-legal-basis");

    [Theory]
    [InlineData("Surat dari Budi Santoso")]
    [InlineData("")]
    [InlineData("ND/123\n")]
    public void The_reference_is_a_number_that_cannot_carry_a_name(string reference) =>
        Scenario.Given<PersonalDataLog>(PersonalDataLog.Evolve)
            .When(log => PersonalDataDecisions.Erase(Policy, log, stored: true, readable: true, new ErasePersonalData(Person, "admin-budi", "subject-request", reference, Now)))
            .ThenRefused("erasure.reference");

    [Fact]
    public void Erasure_of_a_person_with_no_stored_data_is_not_found() =>
        Scenario.Given<PersonalDataLog>(PersonalDataLog.Evolve)
            .When(log => PersonalDataDecisions.Erase(Policy, log, stored: false, readable: false, new ErasePersonalData(Person, "admin-budi", "subject-request", "ND-1", Now)))
            .ThenRefused("erasure.no-personal-data");

    [Fact]
    public void Each_person_has_a_log_stream_of_their_own_distinct_from_the_pseudonym()
    {
        Assert.NotEqual(Person, PersonalDataLog.StreamFor(Person));
        Assert.NotEqual(PersonalDataLog.StreamFor(Other), PersonalDataLog.StreamFor(Person));
    }
}
