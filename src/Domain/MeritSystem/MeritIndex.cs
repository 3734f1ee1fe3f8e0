using Merit.Deciding;

namespace Merit.MeritSystem;

/// <summary>One aspect's score with the references of the evidence it rests on (document numbers, links; never personal data).</summary>
public sealed record AspectScore(string Aspect, decimal Score, IReadOnlyList<string> Evidence);

/// <summary>An event of an instansi's merit assessment for one year (its own stream).</summary>
public interface IMeritAssessmentEvent
{
    Guid AssessmentId { get; }

    string InstansiCode { get; }
}

/// <summary>Penilaian mandiri: the instansi's self-assessment of one year, by aspect, under a policy version.</summary>
public sealed record MeritSelfAssessmentSubmitted(
    Guid AssessmentId, string InstansiCode, int Year, IReadOnlyList<AspectScore> Aspects, decimal Score, string AssessedBy, string PolicyVersion, DateTimeOffset At) : IMeritAssessmentEvent;

/// <summary>
/// Verification by the overseer (KASN, then BKN/KemenPANRB, then the independent body, brief 1.5): the verified aspect
/// scores, their total and the category the policy's bands give it (R02).
/// </summary>
public sealed record MeritAssessmentVerified(
    Guid AssessmentId, string InstansiCode, int Year, IReadOnlyList<AspectScore> Aspects, decimal Score, string Category, string CategoryLabel,
    decimal SelfScore, string VerifiedBy, string Overseer, string PolicyVersion, DateTimeOffset At) : IMeritAssessmentEvent;

/// <summary>An instansi's assessment of one year as decisions need it.</summary>
public sealed record MeritAssessment(Guid Id, string InstansiCode, int Year, string PolicyVersion, decimal SelfScore, string AssessedBy, bool Verified)
{
    public static MeritAssessment? Evolve(MeritAssessment? state, object @event) => @event switch
    {
        MeritSelfAssessmentSubmitted e => new(e.AssessmentId, e.InstansiCode, e.Year, e.PolicyVersion, e.Score, e.AssessedBy, false),
        MeritAssessmentVerified => state! with { Verified = true },
        _ => state,
    };
}

public sealed record SubmitMeritSelfAssessment(string InstansiCode, int Year, string PolicyVersion, IReadOnlyList<AspectScore> Aspects, string AssessedBy, DateTimeOffset Now);

public sealed record VerifyMeritAssessment(Guid AssessmentId, IReadOnlyList<AspectScore> Aspects, string VerifiedBy, string Overseer, DateTimeOffset Now);

public static class MeritAssessmentDecisions
{
    public static Guid IdFor(string instansiCode, int year) => StableId.For("merit-assessment", instansiCode, year.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public static Decision Submit(MeritAssessment? existing, SubmitMeritSelfAssessment command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (existing is not null)
        {
            return new Refusal(RefusalKind.Conflict, "merit.already-submitted", $"Instansi {command.InstansiCode} has already submitted its {command.Year} self-assessment.");
        }

        if (MeritIndexPolicies.Find(command.PolicyVersion) is not { } policy)
        {
            return new Refusal(RefusalKind.Invalid, "merit.policy-unknown", $"No merit-index policy '{command.PolicyVersion}'; known: {string.Join(", ", MeritIndexPolicies.Versions)}.", "policyVersion");
        }

        if (Scores(policy, command.Aspects) is { } refusal)
        {
            return refusal;
        }

        return Decision.Accept(new MeritSelfAssessmentSubmitted(
            IdFor(command.InstansiCode, command.Year), command.InstansiCode, command.Year, Ordered(policy, command.Aspects), command.Aspects.Sum(a => a.Score),
            command.AssessedBy, policy.Version, command.Now));
    }

    public static Decision Verify(MeritAssessment? assessment, VerifyMeritAssessment command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (assessment is null)
        {
            return new Refusal(RefusalKind.NotFound, "merit.not-submitted", $"No self-assessment {command.AssessmentId} to verify.");
        }

        if (assessment.Verified)
        {
            return new Refusal(RefusalKind.Conflict, "merit.already-verified", $"The {assessment.Year} assessment of {assessment.InstansiCode} is already verified.");
        }

        // Who assessed does not verify.
        if (string.Equals(command.VerifiedBy, assessment.AssessedBy, StringComparison.Ordinal))
        {
            return new Refusal(RefusalKind.Rule, "merit.verifier-is-assessor", "The verifier must not be the one who submitted the self-assessment.", "verifiedBy");
        }

        var policy = MeritIndexPolicies.Find(assessment.PolicyVersion)!;
        if (Scores(policy, command.Aspects) is { } refusal)
        {
            return refusal;
        }

        var score = command.Aspects.Sum(a => a.Score);
        var band = policy.BandOf(score)!;
        return Decision.Accept(new MeritAssessmentVerified(
            assessment.Id, assessment.InstansiCode, assessment.Year, Ordered(policy, command.Aspects), score, band.Category, band.Label,
            assessment.SelfScore, command.VerifiedBy, command.Overseer, policy.Version, command.Now));
    }

    /// <summary>Every aspect of the policy once, each within its range and with at least one evidence reference.</summary>
    private static Refusal? Scores(MeritIndexPolicy policy, IReadOnlyList<AspectScore> aspects)
    {
        var codes = policy.Aspects.Select(a => a.Code).ToList();
        if (aspects.Count != codes.Count || aspects.Select(a => a.Aspect).Distinct(StringComparer.Ordinal).Count() != codes.Count || !aspects.All(a => codes.Contains(a.Aspect)))
        {
            return new Refusal(RefusalKind.Invalid, "merit.aspects", $"Policy {policy.Version} scores the aspects {string.Join(", ", codes)}, each once.", "aspects");
        }

        foreach (var aspect in policy.Aspects)
        {
            var given = aspects.First(a => a.Aspect == aspect.Code);
            if (given.Score < aspect.Minimum || given.Score > aspect.Maximum)
            {
                return new Refusal(RefusalKind.Invalid, "merit.aspect-range", $"Aspect {aspect.Code} scores {aspect.Minimum} to {aspect.Maximum} under {policy.Version}.", "aspects");
            }

            if (given.Evidence.Count == 0 || given.Evidence.Any(string.IsNullOrWhiteSpace))
            {
                return new Refusal(RefusalKind.Invalid, "merit.evidence", $"Aspect {aspect.Code} needs at least one evidence reference.", "aspects");
            }
        }

        return policy.BandOf(aspects.Sum(a => a.Score)) is null
            ? new Refusal(RefusalKind.Rule, "R02.out-of-range", $"A merit index is {policy.Minimum} to {policy.Maximum} (R02).", "aspects")
            : null;
    }

    private static List<AspectScore> Ordered(MeritIndexPolicy policy, IReadOnlyList<AspectScore> aspects) =>
        policy.Aspects.Select(p => aspects.First(a => a.Aspect == p.Code)).ToList();
}
