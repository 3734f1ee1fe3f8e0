namespace Merit.Recruitment.Ranking;

/// <summary>
/// Integrasi nilai SKD dan SKB (R14): final = wSkd × (SKD / SKD maximum × 100) + wSkb × SKB.
/// SKD / 550 has no finite decimal expansion, so decisions compare the exact <see cref="Scaled"/> value
/// (final × SKD maximum, a finite decimal) and only the display is rounded.
/// </summary>
public static class FinalScore
{
    /// <summary>Decimals of the announced final score.</summary>
    public const byte DisplayDecimals = 3;

    /// <summary>
    /// final × SKD maximum = wSkd × 100 × SKD + wSkb × SKB × SKD maximum, exact in decimal; when the rule set takes
    /// the test total unscaled (PPPK), wSkd × SKD × SKD maximum + wSkb × SKB × SKD maximum.
    /// </summary>
    public static decimal Scaled(int skdTotal, decimal skb, RuleSet rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var skd = rules.FinalWeights.ScaleSkdTo100 ? 100m * skdTotal : (decimal)skdTotal * rules.Skd.Maximum;
        return (rules.FinalWeights.Skd * skd) + (rules.FinalWeights.Skb * skb * rules.Skd.Maximum);
    }

    /// <summary>
    /// The final score rounded half away from zero to <see cref="DisplayDecimals"/> decimals, for display only.
    /// Rounded exactly: by integer division with remainder of the scaled value, not after a rounded division.
    /// </summary>
    public static decimal Rounded(int skdTotal, decimal skb, RuleSet rules) => Rounded(Scaled(skdTotal, skb, rules), rules);

    /// <inheritdoc cref="Rounded(int, decimal, RuleSet)"/>
    public static decimal Rounded(decimal scaled, RuleSet rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var maximum = (decimal)rules.Skd.Maximum;
        var step = new decimal(1, 0, 0, false, DisplayDecimals); // 0.001, so the result keeps three decimals
        var unit = 1m / step;

        // |scaled| × 10³ = quotient × maximum + remainder with 0 ≤ remainder < maximum; the decimal division only
        // estimates the quotient, the correction makes it exact.
        var numerator = Math.Abs(scaled) * unit;
        var quotient = decimal.Truncate(numerator / maximum);
        var remainder = numerator - (quotient * maximum);
        while (remainder < 0)
        {
            quotient--;
            remainder += maximum;
        }

        while (remainder >= maximum)
        {
            quotient++;
            remainder -= maximum;
        }

        if (remainder * 2 >= maximum)
        {
            quotient++;
        }

        return Math.Sign(scaled) * quotient * step;
    }

    /// <summary>
    /// Orders candidates by their exact final score, lowest first (the usual comparer sense); a candidate without
    /// an SKB score sorts below every score.
    /// </summary>
    public static IComparer<FinalCandidate> ExactComparer(RuleSet rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        return Comparer<FinalCandidate>.Create((a, b) => Nullable.Compare(ScaledOrNull(a, rules), ScaledOrNull(b, rules)));
    }

    private static decimal? ScaledOrNull(FinalCandidate? candidate, RuleSet rules) =>
        candidate?.SkbScore is { } skb ? Scaled(candidate.Skd.Total, skb, rules) : null;
}
