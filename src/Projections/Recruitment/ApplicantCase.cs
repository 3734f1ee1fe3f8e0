using JasperFx.Events;
using Marten.Events.Aggregation;
using Merit.Recruitment;

namespace Merit.Projections.Recruitment;

/// <summary>
/// An applicant's case as the committee reads it: where the application stands and what was decided, with the
/// rule set each decision applied. Updated inline, in the same transaction as the events. No personal data.
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
    /// <summary>The PPPK competence test part of a case, where the round's test is that one.</summary>
    public CompetenceCaseResult? Competence { get; init; }

    /// <summary>The global sequence number of the last event applied to this document (events it ignores do not move it).</summary>
    public long LastSequence { get; init; }
}

/// <summary>The competence test part of a case: components by code, the certificate bonus counted (R21), total and threshold (R20).</summary>
public sealed record CompetenceCaseResult(IReadOnlyList<ComponentScore> Components, int CertificateBonus, int Total, bool ThresholdMet, IReadOnlyList<string> Shortfalls, string RuleSetVersion);

/// <summary>The SKD part of a case.</summary>
public sealed record SkdCaseResult(int Twk, int Tiu, int Tkp, int Total, bool ThresholdMet, IReadOnlyList<string> Shortfalls, string RuleSetVersion);

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
        e.Version);

    public static ApplicantCase Apply(IEvent<AdministrativeVerificationRecorded> e, ApplicantCase current) => current with
    {
        Status = e.Data.Result.ToString(),
        Administrative = e.Data.Result,
        AdministrativeReason = e.Data.Reason,
        LastDecidedAt = e.Data.VerifiedAt,
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
}
