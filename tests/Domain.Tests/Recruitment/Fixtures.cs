using Merit.Recruitment;

namespace Merit.Tests.Recruitment;

/// <summary>Events and commands of a small CPNS 2024 round, for the Given/When/Then tests.</summary>
public static class Fixtures
{
    public static readonly DateTimeOffset Opened = new(2024, 8, 19, 0, 0, 0, TimeSpan.FromHours(7));
    public static readonly DateTimeOffset Now = new(2024, 10, 20, 9, 0, 0, TimeSpan.FromHours(7));
    public static readonly Guid RoundId = RoundDecisions.IdFor("CPNS-2024");
    public static readonly Guid PersonId = Guid.Parse("0b9a3c1e-0000-4000-8000-000000000001");

    public static object[] RoundHistory(RoundStage upTo, string ruleSet = "CPNS-2024")
    {
        var events = new List<object> { new RoundOpened(RoundId, "CPNS-2024", "CPNS 2024", ruleSet, Opened) };
        for (var stage = RoundStage.Announcement; stage < upTo; stage++)
        {
            events.Add(new RoundStageAdvanced(RoundId, stage, stage + 1, Opened.AddDays((int)stage + 1)));
        }

        return events.ToArray();
    }

    public static Round RoundIn(RoundStage stage, string ruleSet = "CPNS-2024") =>
        RoundHistory(stage, ruleSet).Aggregate((Round?)null, Round.Evolve)!;

    public static FormationOpened FormationOpened(FormationCategory category = FormationCategory.Umum, string code = "F-001", string ruleSet = "CPNS-2024", string? positionKind = null) =>
        new(FormationDecisions.IdFor(RoundId, code), RoundId, code, "A5EB03E23CCCF6A0E040640A040252AD", "Analis Kebijakan Ahli Pertama", "Jakarta", category, 2, EducationLevel.S1, ruleSet, Opened, positionKind);

    public static Formation FormationIn(FormationCategory category = FormationCategory.Umum, string? positionKind = null) =>
        Merit.Recruitment.Formation.Evolve(null, FormationOpened(category, positionKind: positionKind))!;

    public static ApplicantRegistered Registered(FormationCategory category = FormationCategory.Umum, string registrationNumber = "24100001")
    {
        var formation = FormationOpened(category);
        return new(ApplicationDecisions.IdFor(RoundId, registrationNumber), RoundId, formation.FormationId, formation.Code, registrationNumber, PersonId, Sex.F, EducationLevel.S1, 3.50m, Opened.AddDays(2));
    }

    public static AdministrativeVerificationRecorded Verified(ApplicantRegistered registered, AdministrativeResult result = AdministrativeResult.MS) =>
        new(registered.ApplicationId, registered.FormationId, result, "Dokumen lengkap", "CPNS-2024", Opened.AddDays(20));

    /// <summary>The last day of the CPNS-2024 registration window (brief 2.2), the day a registration without a date of its own is judged on.</summary>
    public static readonly DateOnly RegistrationCloses = new(2024, 9, 10);

    public static RegisterApplicant Register(string registrationNumber = "24100001", DateOnly? birthDate = null, DateOnly? appliedOn = null, DateTimeOffset? appliedAt = null, EducationLevel education = EducationLevel.S1, DateTimeOffset? now = null) =>
        new(RoundId, FormationDecisions.IdFor(RoundId, "F-001"), registrationNumber, PersonId, Sex.F, birthDate ?? new DateOnly(1998, 8, 5), education, 3.50m, now ?? Now, appliedOn, appliedAt);

    /// <summary>What <see cref="Register"/> appends when accepted: the day judged on and where it came from, under CPNS-2024.</summary>
    public static ApplicantRegistered RegisteredBy(RegisterApplicant command, DateOnly appliedOn, ApplicationDateSource source) =>
        new(ApplicationDecisions.IdFor(RoundId, command.RegistrationNumber), RoundId, command.FormationId, "F-001", command.RegistrationNumber, command.PersonId, command.Sex, command.EducationLevel, command.Gpa, command.Now, appliedOn, source, "CPNS-2024");
}
