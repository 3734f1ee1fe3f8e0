using Merit.Deciding;

namespace Merit.Recruitment;

/// <summary>An SKD result and whether it meets the threshold of the formation's category under the rule set (R08–R11).</summary>
public sealed record SkdResultRecorded(
    Guid ApplicationId,
    Guid FormationId,
    int Twk,
    int Tiu,
    int Tkp,
    int Total,
    FormationCategory Category,
    bool ThresholdMet,
    IReadOnlyList<string> Shortfalls,
    string RuleSetVersion,
    DateTimeOffset RecordedAt) : IApplicationEvent;

/// <summary>One component of a competence test result, as the blueprint names it.</summary>
public sealed record ComponentScore(string Code, int Score);

/// <summary>
/// A PPPK competence test result (seleksi kompetensi: technical, managerial, socio-cultural, interview), in the
/// blueprint's component order; the certificate bonus as claimed and as counted after the cap (R21); the total with
/// the bonus; and whether it meets the category's threshold under the rule set (R20; PPPK-2024 has none).
/// </summary>
public sealed record CompetenceResultRecorded(
    Guid ApplicationId,
    Guid FormationId,
    IReadOnlyList<ComponentScore> Components,
    int CertificateBonusClaimed,
    int CertificateBonus,
    int Total,
    FormationCategory Category,
    bool ThresholdMet,
    IReadOnlyList<string> Shortfalls,
    string RuleSetVersion,
    DateTimeOffset RecordedAt) : IApplicationEvent;

/// <summary>TH (tidak hadir): the applicant did not sit the SKD.</summary>
public sealed record SkdAbsenceRecorded(Guid ApplicationId, Guid FormationId, string RuleSetVersion, DateTimeOffset RecordedAt) : IApplicationEvent;

/// <summary>
/// The previous round's SKD score carried over (R12, KepmenPANRB 344/2024): same person, same education level,
/// a score that met that round's threshold; assessed here against this round's threshold for the formation.
/// </summary>
public sealed record SkdCertificateReused(
    Guid ApplicationId,
    Guid FormationId,
    Guid FromApplicationId,
    string FromRoundCode,
    int Twk,
    int Tiu,
    int Tkp,
    int Total,
    FormationCategory Category,
    bool ThresholdMet,
    IReadOnlyList<string> Shortfalls,
    string RuleSetVersion,
    DateTimeOffset RecordedAt) : IApplicationEvent;

/// <summary>
/// Record an applicant's result of the round's test as reported by CAT BKN: the SKD for CPNS, the competence test
/// for PPPK (with the certificate bonus claimed as <see cref="SkdScore.Bonus"/>; the decision caps it, R21).
/// </summary>
public sealed record RecordSkdResult(Guid ApplicationId, SkdScore Score, DateTimeOffset Now);

public sealed record RecordSkdAbsence(Guid ApplicationId, DateTimeOffset Now);

/// <summary>Reuse the SKD certificate of <paramref name="FromApplicationId"/> (the same person's application in the previous round).</summary>
public sealed record ReuseSkdCertificate(Guid ApplicationId, Guid FromApplicationId, DateTimeOffset Now);

public static class SkdStageDecisions
{
    public static Decision RecordAbsence(Round round, Application application, RecordSkdAbsence command)
    {
        if (Guard(round, application) is { } refusal)
        {
            return refusal;
        }

        return Decision.Accept(new SkdAbsenceRecorded(application.Id, application.FormationId, round.RuleSetVersion, command.Now));
    }

    /// <param name="previousRound">The round the certificate comes from.</param>
    /// <param name="previous">The application in that round the certificate belongs to; null when unknown.</param>
    public static Decision ReuseCertificate(Round round, Formation formation, Application application, Round? previousRound, Application? previous, ReuseSkdCertificate command)
    {
        if (Guard(round, application) is { } refusal)
        {
            return refusal;
        }

        var reuse = round.Rules().CertificateReuse;
        if (reuse is null)
        {
            return new Refusal(RefusalKind.Rule, "certificate.not-allowed", $"Rule set {round.RuleSetVersion} allows no reuse of an earlier SKD certificate (R12).");
        }

        if (previous is null || previousRound is null)
        {
            return new Refusal(RefusalKind.Invalid, "certificate.unknown", $"No application {command.FromApplicationId} to take a certificate from.", "fromApplicationId");
        }

        if (previousRound.RuleSetVersion != reuse.FromRuleSet)
        {
            return new Refusal(RefusalKind.Rule, "certificate.wrong-period", $"A certificate is valid for the next period only: {round.RuleSetVersion} accepts certificates of {reuse.FromRuleSet}, not {previousRound.RuleSetVersion} (R12).");
        }

        if (previous.PersonId != application.PersonId)
        {
            return new Refusal(RefusalKind.Rule, "certificate.other-person", "The certificate belongs to another NIK (R12).", "fromApplicationId");
        }

        if (reuse.RequiresSameEducationLevel && previous.EducationLevel != application.EducationLevel)
        {
            return new Refusal(RefusalKind.Rule, "certificate.education-level", $"The certificate was earned with education level {previous.EducationLevel}, this application has {application.EducationLevel} (R12).");
        }

        if (previous.Skd is not { } score || previous.SkdThresholdMet != true)
        {
            return new Refusal(RefusalKind.Rule, "certificate.threshold-not-met", $"The {previousRound.Code} SKD score did not meet its threshold (R12).");
        }

        var threshold = round.Rules().ThresholdFor(formation.Category)!;
        var assessment = SkdRules.Assess(threshold, score);
        return Decision.Accept(new SkdCertificateReused(
            application.Id, application.FormationId, previous.Id, previousRound.Code, score.Twk, score.Tiu, score.Tkp, score.Total,
            formation.Category, assessment.Met, assessment.Shortfalls, round.RuleSetVersion, command.Now));
    }

    /// <summary>What every SKD-stage command needs: the stage, an MS application, and no SKD outcome yet.</summary>
    internal static Refusal? Guard(Round round, Application application)
    {
        if (round.Requires(RoundStage.Skd) is { } wrongStage)
        {
            return wrongStage;
        }

        if (DisqualificationDecisions.Guard(application) is { } disqualified)
        {
            return disqualified;
        }

        if (application.Administrative != AdministrativeResult.MS)
        {
            return new Refusal(RefusalKind.Rule, "skd.not-qualified", $"Application {application.RegistrationNumber} is not MS in the administrative selection; only MS applicants sit the SKD.");
        }

        if (application.SkdCertificateFrom is not null)
        {
            return new Refusal(RefusalKind.Conflict, "skd.certificate-reused", $"Application {application.RegistrationNumber} reuses the {application.SkdCertificateFrom} certificate and cannot also sit this SKD (R12).");
        }

        if (application.Skd is not null || application.SkdAbsent)
        {
            return new Refusal(RefusalKind.Conflict, "skd.already-recorded", $"An SKD outcome is already recorded for {application.RegistrationNumber}.");
        }

        return null;
    }
}

/// <summary>The SKD (for PPPK, the competence test) result of one application, judged against its formation's threshold (R08–R11, R20, R21).</summary>
public static partial class ApplicationDecisions
{
    public static Decision RecordSkd(Round round, Formation formation, Application application, RecordSkdResult command)
    {
        if (SkdStageDecisions.Guard(round, application) is { } refusal)
        {
            return refusal;
        }

        var rules = round.Rules();
        var violation = SkdRules.RangeViolations(rules.Skd, command.Score).FirstOrDefault();
        if (violation.Field is not null)
        {
            return new Refusal(RefusalKind.Invalid, "skd.out-of-range", violation.Message, violation.Field);
        }

        var threshold = rules.ThresholdFor(formation.Category)
            ?? throw new InvalidOperationException($"Formation {formation.Code} was opened with a category its rule set lacks.");
        if (rules.Kind == SelectionKind.Pppk)
        {
            var counted = SkdRules.WithBonusCapped(rules.Skd, command.Score);
            var met = SkdRules.Assess(threshold, counted);
            return Decision.Accept(new CompetenceResultRecorded(
                application.Id,
                application.FormationId,
                rules.Skd.Subtests.Select(s => new ComponentScore(s.Code, counted[s.Code])).ToList(),
                command.Score.Bonus,
                counted.Bonus,
                counted.Total,
                formation.Category,
                met.Met,
                met.Shortfalls,
                rules.Version,
                command.Now));
        }

        var assessment = SkdRules.Assess(threshold, command.Score);
        return Decision.Accept(new SkdResultRecorded(
            application.Id,
            application.FormationId,
            command.Score.Twk,
            command.Score.Tiu,
            command.Score.Tkp,
            command.Score.Total,
            formation.Category,
            assessment.Met,
            assessment.Shortfalls,
            rules.Version,
            command.Now));
    }
}
