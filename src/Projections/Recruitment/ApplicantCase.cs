using JasperFx.Events;
using Merit.Recruitment;
using Merit.Recruitment.Ranking;

namespace Merit.Projections.Recruitment;

/// <summary>
/// An applicant's case as the committee reads it: every stage's outcome from registration to the NIP or NI PPPK, each
/// with the rule set it applied, and <see cref="Status"/>, where the case stands now. Updated inline, in the same
/// transaction as the events; it handles every event of an application's stream, so its revision is its stream's
/// version (the published lists check that, docs/adr/0040). No personal data: the NIP and NI PPPK embed a birth date,
/// so only their TMT, code and sequence are shown.
/// </summary>
public sealed record ApplicantCase(
    Guid Id,
    Guid RoundId,
    Guid FormationId,
    string FormationCode,
    string RegistrationNumber,
    string Status,
    AdministrativeResult? Administrative,
    string? AdministrativeReason,
    SkdCaseResult? Skd,
    DateTimeOffset RegisteredAt,
    DateTimeOffset LastDecidedAt,
    long Version)
{
    /// <summary>The day the registration was judged on (R06) and where it came from; null for a registration recorded before they were.</summary>
    public DateOnly? AppliedOn { get; init; }

    public ApplicationDateSource? AppliedOnSource { get; init; }

    public string? RegistrationRuleSetVersion { get; init; }

    /// <summary>
    /// The administrative result as first announced (MS/TMS), before any appeal, with <see cref="AdministrativeReason"/>;
    /// <see cref="Administrative"/> is the result after appeals.
    /// </summary>
    public AdministrativeResult? AdministrativeAnnounced { get; init; }

    /// <summary>Sanggah, per window: filed, then answered (R07).</summary>
    public IReadOnlyList<AppealCaseStep> Appeals { get; init; } = [];

    /// <summary>The PPPK competence test part of a case, where the round's test is that one.</summary>
    public CompetenceCaseResult? Competence { get; init; }

    /// <summary>TH at the round's test.</summary>
    public bool SkdAbsent { get; init; }

    /// <summary>The round whose SKD certificate the application reuses (R12).</summary>
    public string? SkdCertificateFrom { get; init; }

    /// <summary>The SKD cut-off's outcome for this applicant (R13).</summary>
    public CutOffCaseResult? CutOff { get; init; }

    public SkbCaseResult? Skb { get; init; }

    /// <summary>The final status as announced (R14–R16), or as Panselnas resolved a tie.</summary>
    public FinalCaseResult? Final { get; init; }

    /// <summary>An optimisation proposal awaiting Panselnas, or declined, and the placement it approved (R17).</summary>
    public OptimisationCaseResult? Optimisation { get; init; }

    public WithdrawalCaseResult? Withdrawal { get; init; }

    public DisqualificationCaseResult? Disqualification { get; init; }

    /// <summary>The employee number issued: NIP (TMT and sequence) or NI PPPK (year, code, sequence).</summary>
    public AppointmentCaseResult? Appointment { get; init; }

    /// <summary>R24 findings: the parts in which NIP and NIK disagree.</summary>
    public IReadOnlyList<string> IdentityFindings { get; init; } = [];

    /// <summary>The global sequence number of the last event applied to this document (events it ignores do not move it).</summary>
    public long LastSequence { get; init; }
}

/// <summary>The competence test part of a case: components by code, the certificate bonus counted (R21), total and threshold (R20).</summary>
public sealed record CompetenceCaseResult(IReadOnlyList<ComponentScore> Components, int CertificateBonus, int Total, bool ThresholdMet, IReadOnlyList<string> Shortfalls, string RuleSetVersion);

/// <summary>The SKD part of a case.</summary>
public sealed record SkdCaseResult(int Twk, int Tiu, int Tkp, int Total, bool ThresholdMet, IReadOnlyList<string> Shortfalls, string RuleSetVersion);

/// <summary>One sanggah: its window, when filed, and the instansi's answer once given.</summary>
public sealed record AppealCaseStep(AppealWindow Window, DateTimeOffset FiledAt, bool? Accepted, string? AnswerReason, DateTimeOffset? AnsweredAt, string RuleSetVersion);

public sealed record CutOffCaseResult(CutOffOutcome Outcome, int? Rank, string Reason, string RuleSetVersion);

public sealed record SkbCaseResult(decimal? Score, bool Absent, string RuleSetVersion);

/// <summary>The final status code as announced (P/L, TL, TH, TMS, P, DIS), rank and score, why, and whether a tie referred it to Panselnas.</summary>
public sealed record FinalCaseResult(string Code, int? Rank, decimal? FinalScore, string Reason, bool TiedAcrossLastPlace, string RuleSetVersion);

/// <summary>Optimisation: the formation proposed for or placed in, the sub-code, the pool rank, the decision's reason.</summary>
public sealed record OptimisationCaseResult(Guid TargetFormationId, string State, string? SubCode, int PoolRank, string? Reason, string RuleSetVersion);

public sealed record WithdrawalCaseResult(string Reason, int BannedThroughYear, string RuleSetVersion);

public sealed record DisqualificationCaseResult(string Reason, string EvidenceReference, RoundStage Stage, string RuleSetVersion);

/// <summary>The number issued, without its birth-date digits: "NIP" with TMT year and month, or "NI PPPK" with year and code; the sequence.</summary>
public sealed record AppointmentCaseResult(string Number, int Year, int? Month, string? Code, int Sequence, string RuleSetVersion);

public sealed class ApplicantCaseProjection : WriteModelProjection<ApplicantCase>
{
    /// <summary>The last event this document reflects (docs/adr/0012).</summary>
    public override ApplicantCase ApplyMetadata(ApplicantCase aggregate, IEvent lastEvent) => aggregate with { LastSequence = lastEvent.Sequence };

    public static ApplicantCase Create(IEvent<ApplicantRegistered> e) => new(
        e.Data.ApplicationId,
        e.Data.RoundId,
        e.Data.FormationId,
        e.Data.FormationCode,
        e.Data.RegistrationNumber,
        "Registered",
        null,
        null,
        null,
        e.Data.RegisteredAt,
        e.Data.RegisteredAt,
        e.Version)
    {
        AppliedOn = e.Data.AppliedOn,
        AppliedOnSource = e.Data.AppliedOnSource,
        RegistrationRuleSetVersion = e.Data.RuleSetVersion,
    };

    public static ApplicantCase Apply(IEvent<AdministrativeVerificationRecorded> e, ApplicantCase current) => current with
    {
        Status = e.Data.Result.ToString(),
        Administrative = e.Data.Result,
        AdministrativeAnnounced = e.Data.Result,
        AdministrativeReason = e.Data.Reason,
        LastDecidedAt = e.Data.VerifiedAt,
        Version = e.Version,
    };

    public static ApplicantCase Apply(IEvent<AppealFiled> e, ApplicantCase current) => current with
    {
        Status = "AppealFiled",
        Appeals = [.. current.Appeals, new AppealCaseStep(e.Data.Window, e.Data.FiledAt, null, null, null, e.Data.RuleSetVersion)],
        LastDecidedAt = e.Data.FiledAt,
        Version = e.Version,
    };

    public static ApplicantCase Apply(IEvent<AppealAnswered> e, ApplicantCase current) => current with
    {
        Status = e.Data.Accepted ? "AppealAccepted" : "AppealRejected",
        Appeals = [.. current.Appeals.Select(a => a.Window == e.Data.Window ? a with { Accepted = e.Data.Accepted, AnswerReason = e.Data.Reason, AnsweredAt = e.Data.AnsweredAt } : a)],
        LastDecidedAt = e.Data.AnsweredAt,
        Version = e.Version,
    };

    public static ApplicantCase Apply(IEvent<AdministrativeResultReannounced> e, ApplicantCase current) => current with
    {
        Status = e.Data.Result.ToString(),
        Administrative = e.Data.Result,
        LastDecidedAt = e.Data.At,
        Version = e.Version,
    };

    public static ApplicantCase Apply(IEvent<SkdResultRecorded> e, ApplicantCase current) => current with
    {
        Status = e.Data.ThresholdMet ? "SkdThresholdMet" : "SkdThresholdNotMet",
        Skd = new SkdCaseResult(e.Data.Twk, e.Data.Tiu, e.Data.Tkp, e.Data.Total, e.Data.ThresholdMet, e.Data.Shortfalls, e.Data.RuleSetVersion),
        LastDecidedAt = e.Data.RecordedAt,
        Version = e.Version,
    };

    public static ApplicantCase Apply(IEvent<CompetenceResultRecorded> e, ApplicantCase current) => current with
    {
        Status = e.Data.ThresholdMet ? "SkdThresholdMet" : "SkdThresholdNotMet",
        Competence = new CompetenceCaseResult(e.Data.Components, e.Data.CertificateBonus, e.Data.Total, e.Data.ThresholdMet, e.Data.Shortfalls, e.Data.RuleSetVersion),
        LastDecidedAt = e.Data.RecordedAt,
        Version = e.Version,
    };

    public static ApplicantCase Apply(IEvent<SkdAbsenceRecorded> e, ApplicantCase current) => current with
    {
        Status = "SkdAbsent",
        SkdAbsent = true,
        LastDecidedAt = e.Data.RecordedAt,
        Version = e.Version,
    };

    public static ApplicantCase Apply(IEvent<SkdCertificateReused> e, ApplicantCase current) => current with
    {
        Status = e.Data.ThresholdMet ? "SkdThresholdMet" : "SkdThresholdNotMet",
        Skd = new SkdCaseResult(e.Data.Twk, e.Data.Tiu, e.Data.Tkp, e.Data.Total, e.Data.ThresholdMet, e.Data.Shortfalls, e.Data.RuleSetVersion),
        SkdCertificateFrom = e.Data.FromRoundCode,
        LastDecidedAt = e.Data.RecordedAt,
        Version = e.Version,
    };

    public static ApplicantCase Apply(IEvent<SkdCutOffApplied> e, ApplicantCase current) => current with
    {
        Status = e.Data.Outcome is CutOffOutcome.Admitted or CutOffOutcome.AdmittedOnTie ? "AdmittedToSkb" : "NotAdmittedToSkb",
        CutOff = new CutOffCaseResult(e.Data.Outcome, e.Data.Rank, e.Data.Reason, e.Data.RuleSetVersion),
        LastDecidedAt = e.Data.At,
        Version = e.Version,
    };

    public static ApplicantCase Apply(IEvent<SkbResultRecorded> e, ApplicantCase current) => current with
    {
        Status = "SkbRecorded",
        Skb = new SkbCaseResult(e.Data.Score, false, e.Data.RuleSetVersion),
        LastDecidedAt = e.Data.RecordedAt,
        Version = e.Version,
    };

    public static ApplicantCase Apply(IEvent<SkbAbsenceRecorded> e, ApplicantCase current) => current with
    {
        Status = "SkbAbsent",
        Skb = new SkbCaseResult(null, true, e.Data.RuleSetVersion),
        LastDecidedAt = e.Data.RecordedAt,
        Version = e.Version,
    };

    public static ApplicantCase Apply(IEvent<FinalResultApplied> e, ApplicantCase current) => current with
    {
        Status = e.Data.Status.Code(),
        Final = new FinalCaseResult(e.Data.Status.Code(), e.Data.Rank, e.Data.FinalScore, e.Data.Reason, e.Data.TiedAcrossLastPlace, e.Data.RuleSetVersion),
        LastDecidedAt = e.Data.At,
        Version = e.Version,
    };

    public static ApplicantCase Apply(IEvent<ProposedForOptimisation> e, ApplicantCase current) => current with
    {
        Status = "ProposedForOptimisation",
        Optimisation = new OptimisationCaseResult(e.Data.TargetFormationId, "Proposed", e.Data.SubCode, e.Data.PoolRank, null, e.Data.RuleSetVersion),
        LastDecidedAt = e.Data.At,
        Version = e.Version,
    };

    public static ApplicantCase Apply(IEvent<OptimisationProposalDeclined> e, ApplicantCase current) => current with
    {
        Status = current.Final?.Code ?? current.Status,
        Optimisation = current.Optimisation is { } proposal ? proposal with { State = "Declined", Reason = e.Data.Reason, RuleSetVersion = e.Data.RuleSetVersion } : null,
        LastDecidedAt = e.Data.At,
        Version = e.Version,
    };

    public static ApplicantCase Apply(IEvent<PlacedByOptimisation> e, ApplicantCase current) => current with
    {
        Status = FinalStatus.PL2.Code(),
        Optimisation = new OptimisationCaseResult(e.Data.TargetFormationId, "Placed", e.Data.SubCode, e.Data.PoolRank, e.Data.Reason, e.Data.RuleSetVersion),
        LastDecidedAt = e.Data.At,
        Version = e.Version,
    };

    public static ApplicantCase Apply(IEvent<WithdrewAfterPassing> e, ApplicantCase current) => current with
    {
        Status = FinalStatus.APS.Code(),
        Withdrawal = new WithdrawalCaseResult(e.Data.Reason, e.Data.BannedThroughYear, e.Data.RuleSetVersion),
        LastDecidedAt = e.Data.At,
        Version = e.Version,
    };

    public static ApplicantCase Apply(IEvent<ApplicantDisqualified> e, ApplicantCase current) => current with
    {
        Status = FinalStatus.DIS.Code(),
        Disqualification = new DisqualificationCaseResult(e.Data.Reason, e.Data.EvidenceReference, e.Data.Stage, e.Data.RuleSetVersion),
        LastDecidedAt = e.Data.At,
        Version = e.Version,
    };

    public static ApplicantCase Apply(IEvent<NipAssigned> e, ApplicantCase current) => current with
    {
        Status = "NipIssued",
        Appointment = new AppointmentCaseResult("NIP", e.Data.TmtYear, e.Data.TmtMonth, null, e.Data.Sequence, e.Data.RuleSetVersion),
        LastDecidedAt = e.Data.At,
        Version = e.Version,
    };

    public static ApplicantCase Apply(IEvent<NiPppkAssigned> e, ApplicantCase current) => current with
    {
        Status = "NiPppkIssued",
        Appointment = new AppointmentCaseResult("NI PPPK", e.Data.AppointmentYear, null, e.Data.Code, e.Data.Sequence, e.Data.RuleSetVersion),
        LastDecidedAt = e.Data.At,
        Version = e.Version,
    };

    public static ApplicantCase Apply(IEvent<IdentityMismatchFound> e, ApplicantCase current) => current with
    {
        IdentityFindings = [.. current.IdentityFindings, .. e.Data.Mismatches],
        LastDecidedAt = e.Data.At,
        Version = e.Version,
    };
}
