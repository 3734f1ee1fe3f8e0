using Merit.Analytics;
using Merit.Projections.Analytics;
using Xunit;

namespace Merit.Tests.Analytics;

/// <summary>The small-cell rules on tables small enough to check by eye.</summary>
public class SmallCellsTests
{
    private static readonly SmallCells Five = new(5);

    private static Dictionary<string, long> Row(long registered, long ms, long formations = 1) =>
        new Dictionary<string, long> { ["registered"] = registered, ["ms"] = ms, ["formations"] = formations };

    [Fact]
    public void Counts_from_one_to_four_are_hidden_zero_and_five_are_shown_and_places_are_never_hidden()
    {
        var table = Five.Table([Row(4, 0, formations: 1), Row(5, 1, formations: 2)], ["registered", "ms"]);

        Assert.Equal((null, 0), (table.Value(0, "registered"), table.Value(0, "ms")));
        Assert.Equal((5, (int?)null), (table.Value(1, "registered"), table.Value(1, "ms")));
        Assert.Equal((1, 2), (table.Value(0, "formations"), table.Value(1, "formations")));
        Assert.Equal(["registered"], table.Suppressed(0));
    }

    [Fact]
    public void A_rate_from_a_hidden_count_is_hidden_and_named()
    {
        var table = Five.Table([Row(40, 3), Row(40, 30)], ["registered", "ms"]);

        Assert.Null(table.Rate(0, "ms", "registered", "msRate"));
        Assert.Contains("msRate", table.Suppressed(0));
        Assert.Equal(0.75, table.Rate(1, "ms", "registered", "msRate"));
    }

    [Fact]
    public void A_lone_hidden_cell_in_a_column_that_adds_up_to_a_total_takes_the_smallest_other_with_it()
    {
        // 3 + 6 + 50 = 59 is published: hiding only the 3 would leave it as 59 − 6 − 50.
        var table = Five.Table([Row(3, 3), Row(6, 6), Row(50, 50), Row(59, 59)], ["registered", "ms"]).Complement(3, "registered");

        Assert.Equal(new int?[] { null, null, 50, 59 }, Enumerable.Range(0, 4).Select(i => table.Value(i, "registered")));

        // Only the named columns are completed; two hidden cells already protect each other.
        Assert.Equal(6, table.Value(1, "ms"));
        var two = Five.Table([Row(3, 0), Row(2, 0), Row(50, 0)], ["registered"]).Complement(3, "registered");
        Assert.Equal(50, two.Value(2, "registered"));
    }

    [Fact]
    public void A_derived_value_is_hidden_with_any_of_its_sources()
    {
        var table = Five.Table([Row(40, 2)], ["registered", "ms"]).Derive("vacancies", "ms");
        Assert.Contains("vacancies", table.Suppressed(0));
    }

    [Fact]
    public void Duration_percentiles_read_the_bin_of_the_nearest_rank()
    {
        var durations = new DurationHistogram();
        foreach (var minutes in new long[] { 5, 5, 70, 1_500, 3_000, 3_059, 90, 61, 59, 10 })
        {
            durations.Add(minutes);
        }

        // Bins: 5 (×2), 10, 59 to the minute; 60 (61, 70), 90 to the quarter hour; 1,500 and 3,000 (×2) to the hour.
        Assert.Equal([(5L, 2), (10L, 1), (59L, 1), (60L, 2), (90L, 1), (1_500L, 1), (3_000L, 2)], durations.Bins.Select(b => (b.FromMinutes, b.Count)));
        Assert.Equal(60, durations.Percentile(0.5));
        Assert.Equal(3_000, durations.Percentile(0.9));
        Assert.Null(new DurationHistogram().Percentile(0.5));
    }
}
