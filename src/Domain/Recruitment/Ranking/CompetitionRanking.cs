using static System.FormattableString;

namespace Merit.Recruitment.Ranking;

/// <summary>
/// Candidates equal on every ranking criterion. They share the rank of the first of them (competition ranking:
/// 1, 2, 2, 4), so the order inside a group, by registration number, is for display only.
/// </summary>
internal sealed record RankGroup<T>(int Rank, IReadOnlyList<T> Members)
{
    /// <summary>The 1-based list position of the group's last member; beyond the quota when the group straddles it.</summary>
    public int LastPosition => Rank + Members.Count - 1;
}

internal static class CompetitionRanking
{
    /// <summary>
    /// Sorts best first by <paramref name="criteria"/> (negative when the first argument ranks higher), then by
    /// registration number so that the same candidates in any input order give the same list, and groups the
    /// candidates the criteria cannot tell apart.
    /// </summary>
    public static IReadOnlyList<RankGroup<T>> Rank<T>(IEnumerable<T> candidates, Comparison<T> criteria, Func<T, string> registrationNumber)
    {
        var sorted = candidates
            .OrderBy(c => c, Comparer<T>.Create(criteria))
            .ThenBy(registrationNumber, StringComparer.Ordinal)
            .ToList();
        var groups = new List<RankGroup<T>>();
        var start = 0;
        for (var i = 1; i <= sorted.Count; i++)
        {
            if (i == sorted.Count || criteria(sorted[start], sorted[i]) != 0)
            {
                groups.Add(new RankGroup<T>(start + 1, sorted.GetRange(start, i - start)));
                start = i;
            }
        }

        return groups;
    }

    /// <summary>
    /// Application ids and registration numbers are unique in a formation; a duplicate would make the display
    /// order depend on the input order, so it is a caller's error.
    /// </summary>
    public static void RequireDistinct<T>(IReadOnlyList<T> candidates, Func<T, Guid> applicationId, Func<T, string> registrationNumber, string paramName)
    {
        if (candidates.GroupBy(applicationId).FirstOrDefault(g => g.Count() > 1) is { } sameId)
        {
            throw new ArgumentException($"Application {sameId.Key} appears more than once.", paramName);
        }

        if (candidates.GroupBy(registrationNumber, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } sameNumber)
        {
            throw new ArgumentException($"Registration number {sameNumber.Key} appears more than once.", paramName);
        }
    }
}

/// <summary>The SKD order of R13 and R15 (2): total first, then the subtests in the rule set's cut-off order.</summary>
internal static class SkdOrder
{
    /// <summary>Negative when <paramref name="a"/> ranks higher than <paramref name="b"/>.</summary>
    public static int Compare(SkdScore a, SkdScore b, SkdBlueprint blueprint)
    {
        var byTotal = b.Total.CompareTo(a.Total);
        if (byTotal != 0)
        {
            return byTotal;
        }

        foreach (var code in blueprint.CutOffOrder)
        {
            var bySubtest = b[code].CompareTo(a[code]);
            if (bySubtest != 0)
            {
                return bySubtest;
            }
        }

        return 0;
    }

    /// <summary>The compared values in comparison order, e.g. "total 367, TKP 146, TIU 112, TWK 109".</summary>
    public static string Describe(SkdScore score, SkdBlueprint blueprint) =>
        string.Join(", ", blueprint.CutOffOrder.Select(code => Invariant($"{code} {score[code]}")).Prepend(Invariant($"total {score.Total}")));
}
