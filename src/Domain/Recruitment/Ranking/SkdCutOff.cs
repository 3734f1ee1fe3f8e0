using System.Globalization;

namespace Merit.Recruitment.Ranking;

/// <summary>An applicant who sat the SKD (or reused a certificate), as the cut-off of their formation sees them.</summary>
public sealed record SkdCandidate(Guid ApplicationId, string RegistrationNumber, SkdScore Score, bool ThresholdMet, IReadOnlyList<string> Shortfalls);

/// <summary>How the cut-off treated one applicant.</summary>
public enum CutOffOutcome
{
    /// <summary>Within 3 × allocation: admitted to the SKB (P/L at the SKD stage).</summary>
    Admitted,
    /// <summary>Beyond the quota by position, but equal on every criterion to the last admitted: admitted (R13).</summary>
    AdmittedOnTie,
    /// <summary>Did not meet the threshold of the formation's category.</summary>
    BelowThreshold,
    /// <summary>Met the threshold, ranked beyond the quota.</summary>
    OverQuota,
}

/// <summary>One line of the cut-off list, with the reason an auditor reads.</summary>
public sealed record CutOffEntry(Guid ApplicationId, string RegistrationNumber, int Twk, int Tiu, int Tkp, int Total, int? Rank, CutOffOutcome Outcome, string Reason);

/// <summary>The cut-off of one formation: the quota, how many were admitted, and every applicant's line.</summary>
public sealed record CutOffResult(int Quota, int Admitted, IReadOnlyList<CutOffEntry> Entries);

/// <summary>
/// Ambang batas and the SKB quota (R13, PermenPANRB 27/2021 Pasal 40(5)): threshold passers ranked by total,
/// then by the subtests in the rule set's order (TKP, TIU, TWK); at most multiplier × allocation advance, and
/// applicants equal on every criterion to the last place all advance.
/// </summary>
public static class SkdCutOff
{
    public static CutOffResult Decide(IReadOnlyList<SkdCandidate> candidates, int allocation, FormationCategory category, RuleSet rules)
    {
        var quota = rules.SkbQuotaMultiplier * allocation;
        var order = rules.Skd.CutOffOrder;
        int[] Keys(SkdCandidate c) => [c.Score.Total, .. order.Select(s => c.Score[s])];

        var passers = candidates.Where(c => c.ThresholdMet)
            .OrderByDescending(Keys, KeyComparer.Instance)
            .ThenBy(c => c.RegistrationNumber, StringComparer.Ordinal)
            .ToList();

        var entries = new List<CutOffEntry>(candidates.Count);
        var rank = 0;
        int[]? previous = null;
        for (var position = 1; position <= passers.Count; position++)
        {
            var candidate = passers[position - 1];
            var keys = Keys(candidate);
            if (previous is null || KeyComparer.Instance.Compare(keys, previous) != 0)
            {
                rank = position; // competition ranking: 1, 2, 2, 4
            }

            previous = keys;
            var (outcome, reason) = rank > quota
                ? (CutOffOutcome.OverQuota, Invariant($"excluded: rank {rank} beyond quota {quota} ({rules.SkbQuotaMultiplier} × {allocation})"))
                : position > quota
                    ? (CutOffOutcome.AdmittedOnTie, Invariant($"admitted on tie at the boundary: total {candidate.Score.Total}, {string.Join(", ", order.Select(s => $"{s} {candidate.Score[s]}"))} equal to rank {rank}"))
                    : (CutOffOutcome.Admitted, Invariant($"admitted: rank {rank} within quota {quota} ({rules.SkbQuotaMultiplier} × {allocation})"));
            entries.Add(Entry(candidate, rank, outcome, reason));
        }

        entries.AddRange(candidates.Where(c => !c.ThresholdMet)
            .OrderBy(c => c.RegistrationNumber, StringComparer.Ordinal)
            .Select(c => Entry(c, null, CutOffOutcome.BelowThreshold, $"excluded: below threshold: {string.Join(", ", c.Shortfalls)} ({category.Code()}, rule set {rules.Version})")));

        return new CutOffResult(quota, entries.Count(e => e.Outcome is CutOffOutcome.Admitted or CutOffOutcome.AdmittedOnTie), entries);
    }

    private static CutOffEntry Entry(SkdCandidate c, int? rank, CutOffOutcome outcome, string reason) =>
        new(c.ApplicationId, c.RegistrationNumber, c.Score.Twk, c.Score.Tiu, c.Score.Tkp, c.Score.Total, rank, outcome, reason);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>Lexicographic order over the ranking keys.</summary>
    private sealed class KeyComparer : IComparer<int[]>
    {
        public static readonly KeyComparer Instance = new();

        public int Compare(int[]? x, int[]? y)
        {
            for (var i = 0; i < x!.Length; i++)
            {
                var c = x[i].CompareTo(y![i]);
                if (c != 0)
                {
                    return c;
                }
            }

            return 0;
        }
    }
}
