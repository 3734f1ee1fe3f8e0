using MathNet.Numerics.Distributions;

namespace Merit.Analytics;

/// <summary>A group's count of applicants who reached a step (<see cref="Entered"/>) and of those who passed it.</summary>
public sealed record GroupRate(string Group, long Entered, long Passed);

/// <summary>
/// One group against the group with the highest rate (the reference): its rate with a Wilson interval, the ratio of
/// its rate to the reference's (the selection-rate ratio of the four-fifths rule of thumb) with a Katz log interval,
/// and the two-sided p-value of Fisher's exact test of the 2×2 table (this group, the reference) × (passed, not).
/// Null where undefined: no one entered, the reference rate is 0, or (for the ratio's interval) a zero cell.
/// </summary>
public sealed record RateComparison(
    string Group,
    long Entered,
    long Passed,
    double? Rate,
    double? RateLower,
    double? RateUpper,
    double? RatioToHighest,
    double? RatioLower,
    double? RatioUpper,
    double? FisherP,
    bool? BelowFourFifths);

/// <summary>Selection-rate ratios with their uncertainty (brief 1.2: no group may be disadvantaged; the ratio alone misleads on small groups).</summary>
public static class SelectionRates
{
    public const double FourFifths = 0.8;

    /// <summary>Compares every group with the one of highest rate (the first by order on a tie), at the given confidence.</summary>
    public static IReadOnlyList<RateComparison> Compare(IReadOnlyList<GroupRate> groups, double confidence = 0.95)
    {
        ArgumentNullException.ThrowIfNull(groups);
        if (groups.Any(g => g.Entered < 0 || g.Passed < 0 || g.Passed > g.Entered))
        {
            throw new ArgumentException("Each group's passed count is between 0 and its entered count.", nameof(groups));
        }

        var z = Normal.InvCDF(0, 1, 1 - ((1 - confidence) / 2));
        var reference = groups
            .Select((g, i) => (Group: g, Index: i))
            .Where(x => x.Group.Entered > 0)
            .OrderByDescending(x => (double)x.Group.Passed / x.Group.Entered)
            .ThenBy(x => x.Index)
            .Select(x => x.Group)
            .FirstOrDefault();
        return groups.Select(g => Compare(g, reference, z)).ToList();
    }

    private static RateComparison Compare(GroupRate group, GroupRate? reference, double z)
    {
        if (group.Entered == 0)
        {
            return new RateComparison(group.Group, 0, 0, null, null, null, null, null, null, null, null);
        }

        var rate = (double)group.Passed / group.Entered;
        var (lower, upper) = Wilson(group.Passed, group.Entered, z);
        double? ratio = null, ratioLower = null, ratioUpper = null, p = null;
        if (reference is not null && reference.Passed > 0)
        {
            var referenceRate = (double)reference.Passed / reference.Entered;
            ratio = rate / referenceRate;
            if (group.Passed > 0)
            {
                // Katz: ln(ratio) ± z × sqrt(1/a − 1/n₁ + 1/c − 1/n₂).
                var se = Math.Sqrt((1.0 / group.Passed) - (1.0 / group.Entered) + (1.0 / reference.Passed) - (1.0 / reference.Entered));
                ratioLower = Math.Exp(Math.Log(ratio.Value) - (z * se));
                ratioUpper = Math.Exp(Math.Log(ratio.Value) + (z * se));
            }

            p = ReferenceEquals(group, reference) ? null : FisherExact(group.Passed, group.Entered, reference.Passed, reference.Entered);
        }

        return new RateComparison(group.Group, group.Entered, group.Passed, Round(rate), Round(lower), Round(upper), Round(ratio), Round(ratioLower), Round(ratioUpper), p, ratio is { } r ? r < FourFifths : null);
    }

    /// <summary>The Wilson score interval of a proportion.</summary>
    public static (double Lower, double Upper) Wilson(long passed, long entered, double z)
    {
        if (entered <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(entered), entered, "At least one entered.");
        }

        var n = (double)entered;
        var phat = passed / n;
        var z2 = z * z;
        var centre = (phat + (z2 / (2 * n))) / (1 + (z2 / n));
        var half = z / (1 + (z2 / n)) * Math.Sqrt((phat * (1 - phat) / n) + (z2 / (4 * n * n)));
        return (Math.Max(0, centre - half), Math.Min(1, centre + half));
    }

    /// <summary>
    /// Two-sided Fisher's exact test of <paramref name="a"/> passed of <paramref name="n1"/> against <paramref name="c"/>
    /// of <paramref name="n2"/>: the probability, under the hypergeometric law of the table's margins, of every table
    /// no more likely than the one observed. The terms follow from one another by their ratio, in logs, from the first.
    /// </summary>
    public static double FisherExact(long a, long n1, long c, long n2)
    {
        var population = checked((int)(n1 + n2));
        var successes = checked((int)(a + c));
        var draws = checked((int)n1);
        var low = Math.Max(0, draws + successes - population);
        var high = Math.Min(draws, successes);
        var observed = Hypergeometric.PMFLn(population, successes, draws, checked((int)a));
        var logP = Hypergeometric.PMFLn(population, successes, draws, low);
        var sum = 0.0;
        for (var k = low; k <= high; k++)
        {
            if (k > low)
            {
                // P(k) / P(k−1) = (K − k + 1)(n − k + 1) / (k (N − K − n + k)).
                logP += Math.Log((double)(successes - k + 1) * (draws - k + 1) / ((double)k * (population - successes - draws + k)));
            }

            if (logP <= observed + 1e-7)
            {
                sum += Math.Exp(logP);
            }
        }

        return Math.Min(1.0, sum);
    }

    private static double? Round(double? value) => value is { } v ? Math.Round(v, 4) : null;
}
