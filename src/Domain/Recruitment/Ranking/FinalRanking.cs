using System.Globalization;

namespace Merit.Recruitment.Ranking;

/// <summary>Final status codes (brief 2.8): P/L passed, TL not passed, TH absent, DIS disqualified, APS withdrew.</summary>
public enum FinalStatus
{
    PL,
    TL,
    TH,
    DIS,
    APS,
}

/// <summary>An applicant admitted to the SKB, as the final ranking of their formation sees them. The birth date is used only for the last tie-break.</summary>
public sealed record FinalCandidate(Guid ApplicationId, string RegistrationNumber, SkdScore Skd, decimal? SkbScore, decimal? Gpa, DateOnly BirthDate, FinalStatus? PresetStatus);

/// <summary>One line of the final list with the reason an auditor reads (never the birth date).</summary>
public sealed record FinalEntry(Guid ApplicationId, string RegistrationNumber, int SkdTotal, decimal? SkbScore, decimal? FinalScore, int? Rank, FinalStatus Status, string Reason);

/// <summary>The final result of one formation.</summary>
public sealed record FinalResult(int Allocation, int Passed, bool UnresolvedTieAtBoundary, IReadOnlyList<FinalEntry> Entries);

/// <summary>Integrasi nilai SKD dan SKB (R14): final = wSkd × (SKD / max × 100) + wSkb × SKB.</summary>
public static class FinalScore
{
    /// <summary>
    /// The final score multiplied by the SKD maximum: a finite decimal (SKD/550 is not), so comparisons are exact
    /// and never made after rounding.
    /// </summary>
    public static decimal Scaled(RuleSet rules, int skdTotal, decimal skb) =>
        (rules.FinalWeights.Skd * 100m * skdTotal) + (rules.FinalWeights.Skb * skb * rules.Skd.Maximum);

    /// <summary>The final score as published: three decimals, half away from zero.</summary>
    public static decimal Displayed(RuleSet rules, int skdTotal, decimal skb) =>
        Math.Round(Scaled(rules, skdTotal, skb) / rules.Skd.Maximum, 3, MidpointRounding.AwayFromZero);
}

/// <summary>
/// The final ranking of one formation (R15, PermenPANRB 6/2024 Pasal 45(4); R16): by final score, ties broken by
/// SKD total, TKP, TIU, TWK, then GPA, then the older applicant; the top allocation pass (P/L). A group equal on
/// every criterion across the last place is not split by chance: none of it passes automatically.
/// </summary>
public static class FinalRanking
{
    private static readonly string[] Criteria = ["final", "SKD total", "TKP", "TIU", "TWK", "GPA", "age"];

    public static FinalResult Decide(IReadOnlyList<FinalCandidate> candidates, int allocation, RuleSet rules)
    {
        IComparable[] Keys(FinalCandidate c) =>
            [FinalScore.Scaled(rules, c.Skd.Total, c.SkbScore!.Value), c.Skd.Total, c.Skd.Tkp, c.Skd.Tiu, c.Skd.Twk, c.Gpa ?? -1m, -c.BirthDate.DayNumber];
        int Compare(IComparable[] x, IComparable[] y) => x.Zip(y).Select(p => p.First.CompareTo(p.Second)).FirstOrDefault(c => c != 0);
        int FirstDifference(IComparable[] x, IComparable[] y) => Enumerable.Range(0, x.Length).FirstOrDefault(i => x[i].CompareTo(y[i]) != 0, -1);

        var ranked = candidates.Where(c => c.PresetStatus is null && c.SkbScore is not null)
            .Select(c => (Candidate: c, Keys: Keys(c)))
            .OrderByDescending(c => c.Keys, Comparer<IComparable[]>.Create(Compare))
            .ThenBy(c => c.Candidate.RegistrationNumber, StringComparer.Ordinal)
            .ToList();

        var ranks = new int[ranked.Count];
        for (var i = 0; i < ranked.Count; i++)
        {
            ranks[i] = i > 0 && Compare(ranked[i].Keys, ranked[i - 1].Keys) == 0 ? ranks[i - 1] : i + 1;
        }

        var entries = new List<FinalEntry>(candidates.Count);
        var unresolved = false;
        for (var i = 0; i < ranked.Count; i++)
        {
            var (c, keys) = ranked[i];
            var groupEnd = ranks[i] + ranked.Count(r => Compare(r.Keys, keys) == 0) - 1;
            var displayed = FinalScore.Displayed(rules, c.Skd.Total, c.SkbScore!.Value);
            var tieNote = TieNote(i, ranked.Select(r => r.Keys).ToList(), ranked.Select(r => r.Candidate).ToList(), FirstDifference);
            FinalStatus status;
            string reason;
            if (groupEnd <= allocation)
            {
                status = FinalStatus.PL;
                reason = Invariant($"passed: rank {ranks[i]} of allocation {allocation}, final {displayed:0.000}{tieNote}");
            }
            else if (ranks[i] <= allocation)
            {
                status = FinalStatus.TL;
                unresolved = true;
                reason = "tied on every criterion across the last place; referred to Panselnas";
            }
            else
            {
                status = FinalStatus.TL;
                reason = Invariant($"not passed: rank {ranks[i]} beyond allocation {allocation}, final {displayed:0.000}{tieNote}");
            }

            entries.Add(new FinalEntry(c.ApplicationId, c.RegistrationNumber, c.Skd.Total, c.SkbScore, displayed, ranks[i], status, reason));
        }

        entries.AddRange(candidates.Where(c => c.PresetStatus is not null || c.SkbScore is null)
            .OrderBy(c => c.RegistrationNumber, StringComparer.Ordinal)
            .Select(c =>
            {
                var status = c.PresetStatus ?? FinalStatus.TH;
                var reason = status switch
                {
                    FinalStatus.TH => "absent from SKB (TH)",
                    FinalStatus.DIS => "disqualified (DIS)",
                    FinalStatus.APS => "withdrew (APS)",
                    _ => status.ToString(),
                };
                return new FinalEntry(c.ApplicationId, c.RegistrationNumber, c.Skd.Total, c.SkbScore, null, null, status, reason);
            }));

        return new FinalResult(allocation, entries.Count(e => e.Status == FinalStatus.PL), unresolved, entries);
    }

    /// <summary>When the final score equals the neighbour's, which criterion separated them.</summary>
    private static string TieNote(int i, List<IComparable[]> keys, List<FinalCandidate> candidates, Func<IComparable[], IComparable[], int> firstDifference)
    {
        foreach (var j in new[] { i - 1, i + 1 })
        {
            if (j < 0 || j >= keys.Count || keys[j][0].CompareTo(keys[i][0]) != 0)
            {
                continue;
            }

            var d = firstDifference(keys[i], keys[j]);
            if (d > 0)
            {
                var criterion = Criteria[d];
                return criterion == "age"
                    ? Invariant($" (tie on final with {candidates[j].RegistrationNumber} broken by age: {(j > i ? "older" : "younger")} applicant)")
                    : Invariant($" (tie on final with {candidates[j].RegistrationNumber} broken by {criterion}: {keys[i][d]} vs {keys[j][d]})");
            }
        }

        return "";
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
