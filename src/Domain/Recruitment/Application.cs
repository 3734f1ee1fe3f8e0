using Merit.Deciding;

namespace Merit.Recruitment;

/// <summary>
/// An applicant registered to a formation. <see cref="PersonId"/> is a pseudonym: the NIK, name and birth date
/// stay in the encrypted personal-data store and never enter the event stream (docs/adr/0004).
/// <see cref="AppliedOn"/> is the day the eligibility (age R06, education, registration window) was judged on, in the
/// round's zone, and <see cref="AppliedOnSource"/> where that day came from; <see cref="RuleSetVersion"/> the rules applied.
/// <see cref="RegisteredAt"/> is when the registration was recorded, which decides nothing.
/// </summary>
public sealed record ApplicantRegistered(
    Guid ApplicationId,
    Guid RoundId,
    Guid FormationId,
    string FormationCode,
    string RegistrationNumber,
    Guid PersonId,
    Sex Sex,
    EducationLevel EducationLevel,
    decimal? Gpa,
    DateTimeOffset RegisteredAt,
    DateOnly? AppliedOn = null,
    ApplicationDateSource? AppliedOnSource = null,
    string? RuleSetVersion = null) : IApplicationEvent;

/// <summary>Where the application date a registration was judged on came from.</summary>
public enum ApplicationDateSource
{
    /// <summary>The date the applicant applied, as given (SSCASN's registration date).</summary>
    Given,
    /// <summary>The instant the applicant applied, as given, read as a date in the round's zone.</summary>
    GivenInstant,
    /// <summary>None given: the last day of the round's registration window as announced.</summary>
    RegistrationWindowClose,
}

/// <summary>
/// Every event of an application stream names its formation, so that per-formation read models group by it
/// without looking anything up.
/// </summary>
public interface IApplicationEvent
{
    Guid ApplicationId { get; }

    Guid FormationId { get; }
}

/// <summary>Administrative verification result: MS (memenuhi syarat) or TMS (tidak memenuhi syarat).</summary>
public enum AdministrativeResult
{
    /// <summary>Memenuhi syarat: qualified.</summary>
    MS,
    /// <summary>Tidak memenuhi syarat: not qualified.</summary>
    TMS,
}

/// <summary>Seleksi administrasi: the verifier's MS/TMS result with its reason.</summary>
public sealed record AdministrativeVerificationRecorded(
    Guid ApplicationId,
    Guid FormationId,
    AdministrativeResult Result,
    string Reason,
    string RuleSetVersion,
    DateTimeOffset VerifiedAt) : IApplicationEvent;

/// <summary>An application (lamaran) as decisions need it. Rebuilt from its events; never mutated.</summary>
public sealed record Application(
    Guid Id,
    Guid RoundId,
    Guid FormationId,
    string RegistrationNumber,
    Guid PersonId,
    Sex Sex,
    EducationLevel EducationLevel,
    decimal? Gpa,
    AdministrativeResult? Administrative,
    SkdScore? Skd,
    bool? SkdThresholdMet)
{
    /// <summary>TH at the SKD: recorded absent.</summary>
    public bool SkdAbsent { get; init; }

    /// <summary>The round whose SKD certificate this application reuses (R12), if any.</summary>
    public string? SkdCertificateFrom { get; init; }

    /// <summary>Sanggah per window: at most one each (R07).</summary>
    public IReadOnlyDictionary<AppealWindow, AppealState> Appeals { get; init; } = new Dictionary<AppealWindow, AppealState>();

    public Ranking.CutOffOutcome? CutOff { get; init; }

    public decimal? SkbScore { get; init; }

    public bool SkbAbsent { get; init; }

    public Ranking.FinalStatus? FinalStatus { get; init; }

    public int? FinalRank { get; init; }

    /// <summary>The final score as announced (three decimals), for the ranked.</summary>
    public decimal? FinalScore { get; init; }

    /// <summary>Tied on every criterion across the formation's last place: referred to Panselnas, not (yet) passed.</summary>
    public bool TiedAcrossLastPlace { get; init; }

    /// <summary>The formation this applicant was placed in by optimalisasi (R17), if any.</summary>
    public Guid? PlacedInFormation { get; init; }

    /// <summary>The optimisation sub-code of the placement (U-1, E-2, …), where the rule set has them.</summary>
    public string? PlacementSubCode { get; init; }

    /// <summary>The instansi's optimisation proposal of this applicant awaiting Panselnas (R17), if any.</summary>
    public OptimisationProposal? Proposal { get; init; }

    /// <summary>The formation a proposal awaiting Panselnas names.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public Guid? ProposedForFormation => Proposal?.TargetFormationId;

    /// <summary>Formations Panselnas declined this applicant for: not proposed for them again.</summary>
    public IReadOnlyList<Guid> OptimisationDeclinedFor { get; init; } = [];

    public bool Withdrawn { get; init; }

    /// <summary>DIS: disqualified, at any stage, with the reason recorded on the event.</summary>
    public bool Disqualified { get; init; }

    /// <summary>Last budget year of the ban after a withdrawal (R18).</summary>
    public int? BannedThroughYear { get; init; }

    /// <summary>The NIP's sequence digits once issued; the NIP itself embeds the birth date and is rebuilt from the personal-data store.</summary>
    public int? NipSequence { get; init; }

    /// <summary>The NI PPPK's sequence digits once issued (a PPPK passer receives it instead of a NIP).</summary>
    public int? NiPppkSequence { get; init; }

    /// <summary>An employee number (NIP or NI PPPK) was issued: the appointment is made.</summary>
    public bool IsAppointed => NipSequence is not null || NiPppkSequence is not null;

    /// <summary>Whether the SKD stage left this application with a score (sat it, or reused a certificate).</summary>
    public bool HasSkdScore => Skd is not null;

    /// <summary>Passed the selection: P/L in its own formation, or placed by optimisation (P/L-2); neither withdrawn nor disqualified.</summary>
    public bool IsPasser => !Withdrawn && !Disqualified && (FinalStatus == Ranking.FinalStatus.PL || PlacedInFormation is not null);

    /// <summary>The next state after an event of the application's stream; the event store calls only this.</summary>
    public static Application? Evolve(Application? state, object @event) => @event switch
    {
        ApplicantRegistered e => new(e.ApplicationId, e.RoundId, e.FormationId, e.RegistrationNumber, e.PersonId, e.Sex, e.EducationLevel, e.Gpa, null, null, null),
        AdministrativeVerificationRecorded e => state! with { Administrative = e.Result },
        SkdResultRecorded e => state! with { Skd = new SkdScore(e.Twk, e.Tiu, e.Tkp), SkdThresholdMet = e.ThresholdMet },
        CompetenceResultRecorded e => state! with { Skd = new SkdScore(e.Components.ToDictionary(c => c.Code, c => c.Score, StringComparer.Ordinal), e.CertificateBonus), SkdThresholdMet = e.ThresholdMet },
        SkdAbsenceRecorded => state! with { SkdAbsent = true },
        SkdCertificateReused e => state! with { Skd = new SkdScore(e.Twk, e.Tiu, e.Tkp), SkdThresholdMet = e.ThresholdMet, SkdCertificateFrom = e.FromRoundCode },
        AppealFiled e => state! with { Appeals = With(state.Appeals, e.Window, new AppealState(e.FiledAt, null, null)) },
        AppealAnswered e => state! with { Appeals = With(state.Appeals, e.Window, state.Appeals[e.Window] with { Accepted = e.Accepted, AnsweredAt = e.AnsweredAt }) },
        AdministrativeResultReannounced e => state! with { Administrative = e.Result },
        SkdCutOffApplied e => state! with { CutOff = e.Outcome },
        SkbResultRecorded e => state! with { SkbScore = e.Score, SkbAbsent = false },
        SkbAbsenceRecorded => state! with { SkbAbsent = true, SkbScore = null },
        FinalResultApplied e => state! with { FinalStatus = e.Status, FinalRank = e.Rank, FinalScore = e.FinalScore, TiedAcrossLastPlace = e.TiedAcrossLastPlace },
        ProposedForOptimisation e => state! with { Proposal = new OptimisationProposal(e.TargetFormationId, e.PoolRank, e.SubCode) },
        OptimisationProposalDeclined e => state! with { Proposal = null, OptimisationDeclinedFor = [.. state.OptimisationDeclinedFor, e.TargetFormationId] },
        PlacedByOptimisation e => state! with { PlacedInFormation = e.TargetFormationId, PlacementSubCode = e.SubCode, Proposal = null },
        ApplicantDisqualified => state! with { Disqualified = true },
        WithdrewAfterPassing e => state! with { Withdrawn = true, BannedThroughYear = e.BannedThroughYear },
        NipAssigned e => state! with { NipSequence = e.Sequence },
        NiPppkAssigned e => state! with { NiPppkSequence = e.Sequence },
        _ => state,
    };

    private static Dictionary<AppealWindow, AppealState> With(IReadOnlyDictionary<AppealWindow, AppealState> appeals, AppealWindow window, AppealState state) =>
        new(appeals) { [window] = state };
}

/// <summary>An optimisation proposal awaiting Panselnas: the target, the pool rank and the sub-code the placement would take.</summary>
public sealed record OptimisationProposal(Guid TargetFormationId, int PoolRank, string? SubCode);

/// <summary>
/// Register an applicant to a formation. The birth date is used for the age limit and then kept only in the
/// personal-data store. The application date is <see cref="AppliedOn"/>, else <see cref="AppliedAt"/> read in the
/// round's zone, else the last day of the round's registration window; never <see cref="Now"/>, the recording time.
/// </summary>
public sealed record RegisterApplicant(
    Guid RoundId,
    Guid FormationId,
    string RegistrationNumber,
    Guid PersonId,
    Sex Sex,
    DateOnly BirthDate,
    EducationLevel EducationLevel,
    decimal? Gpa,
    DateTimeOffset Now,
    DateOnly? AppliedOn = null,
    DateTimeOffset? AppliedAt = null);

/// <summary>Record the administrative verification of an application.</summary>
public sealed record VerifyApplication(Guid ApplicationId, AdministrativeResult Result, string Reason, DateTimeOffset Now);

public static partial class ApplicationDecisions
{
    public static Guid IdFor(Guid roundId, string registrationNumber) =>
        StableId.For("application", roundId.ToString(), registrationNumber);

    /// <param name="personHasApplicationInRound">Whether the same person (by keyed NIK hash) already applied in this round.</param>
    /// <param name="bannedThroughYear">The last year of a ban from an earlier withdrawal (R18), if any.</param>
    public static Decision Register(Round round, Formation? formation, Application? existing, bool personHasApplicationInRound, RegisterApplicant command, int? bannedThroughYear = null)
    {
        if (round.Requires(RoundStage.Registration) is { } wrongStage)
        {
            return wrongStage;
        }

        if (formation is null || formation.RoundId != round.Id)
        {
            return new Refusal(RefusalKind.Invalid, "formation.unknown", $"No formation {command.FormationId} in round {round.Code}.", "formationId");
        }

        if (existing is not null)
        {
            return new Refusal(RefusalKind.Conflict, "application.exists", $"Registration number {command.RegistrationNumber} is already registered in round {round.Code}.", "registrationNumber");
        }

        if (personHasApplicationInRound)
        {
            return new Refusal(RefusalKind.Rule, "application.person-already-registered", $"This person already has an application in round {round.Code}: one application per person per round.", "nik");
        }

        if (bannedThroughYear is { } banned && round.Rules().Year <= banned)
        {
            return new Refusal(RefusalKind.Rule, "application.withdrawal-ban", $"This person withdrew after passing an earlier selection and is barred through {banned} (R18).", "nik");
        }

        var rules = round.Rules();
        if (ApplicationDate(round, command) is not ({ } on, var source))
        {
            return new Refusal(RefusalKind.Invalid, "application.date-unknown", $"Round {round.Code} announced no registration window: the date of application is needed to judge the age limit (R06).", "registeredOn");
        }

        if (round.RegistrationWindow is { } registration && !registration.Contains(on))
        {
            return new Refusal(RefusalKind.Rule, "application.outside-registration-window", $"Applied on {round.TimeZone.Describe(on)}, outside the registration window {registration} ({round.TimeZone}) of round {round.Code}.", "registeredOn");
        }

        var age = AgeOn(command.BirthDate, on);
        var limits = rules.AgeLimits;
        var maximum = limits.MaximumFor(formation.PositionKind);
        if (age < limits.Minimum || age > maximum)
        {
            var kind = formation.PositionKind is { } k && maximum != limits.Maximum ? $" (position kind {k})" : "";
            return new Refusal(RefusalKind.Rule, "application.age-limit", $"Age at application must be {limits.Minimum} to {maximum}{kind}; judged on {round.TimeZone.Describe(on)} ({source}), rule set {rules.Version} (R06).", "birthDate");
        }

        if (!Meets(rules, command.EducationLevel, formation.EducationLevel))
        {
            return new Refusal(RefusalKind.Rule, "application.education", $"Formation {formation.Code} requires education {formation.EducationLevel}; {command.EducationLevel} does not meet it (brief 2.3, rule set {rules.Version}).", "educationLevel");
        }

        return Decision.Accept(new ApplicantRegistered(
            IdFor(round.Id, command.RegistrationNumber),
            round.Id,
            formation.Id,
            formation.Code,
            command.RegistrationNumber,
            command.PersonId,
            command.Sex,
            command.EducationLevel,
            command.Gpa,
            command.Now,
            on,
            source,
            rules.Version));
    }

    /// <summary>The day a registration is judged on (R06): as given, else the given instant's day in the round's zone, else the window's last day.</summary>
    public static (DateOnly? Day, ApplicationDateSource Source) ApplicationDate(Round round, RegisterApplicant command) =>
        command.AppliedOn is { } day ? (day, ApplicationDateSource.Given)
        : command.AppliedAt is { } instant ? (round.DateOf(instant), ApplicationDateSource.GivenInstant)
        : (round.RegistrationWindow?.Closes, ApplicationDateSource.RegistrationWindowClose);

    /// <summary>The applicant's education meets the formation's requirement: the same level, or one the rule set ranks as high or higher.</summary>
    public static bool Meets(RuleSet rules, EducationLevel held, EducationLevel required) =>
        rules.Education is { } ranks ? ranks.Meets(held, required) : held == required;

    public static Decision Verify(Round round, Application application, VerifyApplication command)
    {
        if (round.Requires(RoundStage.AdministrativeSelection) is { } wrongStage)
        {
            return wrongStage;
        }

        if (application.Administrative is not null)
        {
            return new Refusal(RefusalKind.Conflict, "administrative.already-verified", $"Application {application.RegistrationNumber} is already verified ({application.Administrative}); a change goes through an appeal.");
        }

        return Decision.Accept(new AdministrativeVerificationRecorded(application.Id, application.FormationId, command.Result, command.Reason, round.RuleSetVersion, command.Now));
    }

    /// <summary>Age in whole years on a date.</summary>
    public static int AgeOn(DateOnly birthDate, DateOnly on)
    {
        var age = on.Year - birthDate.Year;
        return on < birthDate.AddYears(age) ? age - 1 : age;
    }
}
