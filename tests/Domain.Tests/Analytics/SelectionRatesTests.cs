using Merit.Analytics;
using Xunit;

namespace Merit.Tests.Analytics;

/// <summary>Selection-rate ratios with intervals and Fisher's exact test, against values computed independently (exact binomial sums).</summary>
public class SelectionRatesTests
{
    [Theory]
    [InlineData(3, 4, 1, 4, 0.4857142857)] // Fisher's tea-tasting table
    [InlineData(1, 10, 11, 14, 0.0027594562)]
    [InlineData(40, 100, 60, 100, 0.0070595155)]
    [InlineData(5, 10, 5, 10, 1.0)]
    public void Fisher_s_exact_test_gives_the_two_sided_p_value(int a, int n1, int c, int n2, double expected) =>
        Assert.Equal(expected, SelectionRates.FisherExact(a, n1, c, n2), 8);

    [Fact]
    public void Each_group_is_compared_with_the_highest_rate_with_Wilson_and_Katz_intervals()
    {
        var result = SelectionRates.Compare([new GroupRate("F", 10, 1), new GroupRate("M", 14, 11), new GroupRate("X", 0, 0)]);

        var reference = result[1];
        Assert.Equal((1.0, (double?)null, false), (reference.RatioToHighest!.Value, reference.FisherP, reference.BelowFourFifths!.Value));
        var f = result[0];
        Assert.Equal(0.1, f.Rate);
        Assert.Equal((0.1273, 0.0194, 0.8336), (f.RatioToHighest!.Value, f.RatioLower!.Value, f.RatioUpper!.Value));
        Assert.Equal(0.0027594562, f.FisherP!.Value, 8);
        Assert.True(f.BelowFourFifths);
        Assert.Null(result[2].Rate);

        Assert.Equal((0.4902, 0.9433), (Math.Round(SelectionRates.Wilson(8, 10, 1.959963984540054).Lower, 4), Math.Round(SelectionRates.Wilson(8, 10, 1.959963984540054).Upper, 4)));
    }

    [Fact]
    public void Large_groups_are_tested_without_overflow()
    {
        var p = SelectionRates.FisherExact(300_000, 1_400_000, 310_000, 1_450_000);
        Assert.InRange(p, 0.0, 1.0);
        Assert.Equal(1.0, SelectionRates.FisherExact(500_000, 1_000_000, 500_000, 1_000_000), 6);
    }
}
