using static System.FormattableString;

namespace Merit.Recruitment.Ranking;

/// <summary>An applicant's SKD result as the cut-off needs it, as recorded by <see cref="SkdResultRecorded"/>.</summary>
public sealed record SkdCandidate(Guid ApplicationId, string RegistrationNumber, SkdScore Score, bool ThresholdMet, IReadOnlyList<string> Shortfalls);

/// <summary>Whether an applicant goes on to the SKB, and why not.</summary>
public enum CutOffOutcome
{
    /// <summary>Met the threshold and ranks within the quota: P/L to the SKB.</summary>
    Admitted,
    /// <summary>Met the threshold and is fully tied with the applicant at the last place of the quota, though listed beyond it.</summary>
    AdmittedOnTie,
    /// <summary>Did not meet the threshold (nilai ambang batas) of the formation's category: never ranked.</summary>
    BelowThreshold,
    /// <summary>Met the threshold but ranks beyond the quota.</summary>
    OverQuota,
}

/// <summary>One applicant's line in the cut-off list; <see cref="Rank"/> is null for those below the threshold.</summary>
public sealed record CutOffEntry(Guid ApplicationId, string RegistrationNumber, int Twk, int Tiu, int Tkp, int Total, int? Rank, CutOffOutcome Outcome, string Reason);

/// <summary>
/// The cut-off of one formation: the quota, how many were admitted (more than the quota when a tie straddles
/// it) and every applicant's line, ranked passers first.
/// </summary>
public sealed record CutOffResult(int Quota, int Admitted, IReadOnlyList<CutOffEntry> Entries);

/// <summary>
/// From SKD to SKB (R13, brief 2.6): threshold passers are ranked by SKD total, then by the subtests in the rule
/// set's cut-off order (TKP, TIU, TWK); those ranked within SKB quota multiplier × allocation go on, and everyone
/// fully tied at the last place goes on with them.
/// </summary>
public static class SkdCutOff
{
    public static CutOffResult Decide(IReadOnlyList<SkdCandidate> candidates, int allocation, FormationCategory category, RuleSet rules)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentOutOfRangeException.ThrowIfNegative(allocation);
        CompetitionRanking.RequireDistinct(candidates, c => c.ApplicationId, c => c.RegistrationNumber, nameof(candidates));
        if (rules.ThresholdFor(category) is null)
        {
            throw new ArgumentException($"Rule set {rules.Version} has no threshold for category {category.Code()}.", nameof(category));
        }

        var quota = rules.SkbQuotaMultiplier * allocation;
        var quotaText = Invariant($"quota {quota} ({rules.SkbQuotaMultiplier} × {allocation})");
        var entries = new List<CutOffEntry>(candidates.Count);

        var groups = CompetitionRanking.Rank(
            candidates.Where(c => c.ThresholdMet),
            (a, b) => SkdOrder.Compare(a.Score, b.Score, rules.Skd),
            c => c.RegistrationNumber);
        foreach (var group in groups)
        {
            for (var i = 0; i < group.Members.Count; i++)
            {
                var candidate = group.Members[i];
                var position = group.Rank + i;
                var (outcome, reason) =
                    group.Rank > quota ? (CutOffOutcome.OverQuota, Invariant($"excluded: rank {group.Rank} beyond {quotaText}"))
                    : position > quota ? (CutOffOutcome.AdmittedOnTie, Invariant($"admitted on tie at the boundary: {SkdOrder.Describe(candidate.Score, rules.Skd)} equal to rank {group.Rank}"))
                    : (CutOffOutcome.Admitted, Invariant($"admitted: rank {group.Rank} within {quotaText}"));
                entries.Add(Entry(candidate, group.Rank, outcome, reason));
            }
        }

        var thresholdText = Invariant($"{category.Code()}, rule set {rules.Version}");
        foreach (var candidate in candidates.Where(c => !c.ThresholdMet).OrderBy(c => c.RegistrationNumber, StringComparer.Ordinal))
        {
            var shortfalls = candidate.Shortfalls.Count == 0 ? "" : ": " + string.Join(", ", candidate.Shortfalls);
            entries.Add(Entry(candidate, null, CutOffOutcome.BelowThreshold, $"excluded: below threshold{shortfalls} ({thresholdText})"));
        }

        var admitted = entries.Count(e => e.Outcome is CutOffOutcome.Admitted or CutOffOutcome.AdmittedOnTie);
        return new CutOffResult(quota, admitted, entries);
    }

    private static CutOffEntry Entry(SkdCandidate candidate, int? rank, CutOffOutcome outcome, string reason) =>
        new(candidate.ApplicationId, candidate.RegistrationNumber, candidate.Score.Twk, candidate.Score.Tiu, candidate.Score.Tkp, candidate.Score.Total, rank, outcome, reason);
}
