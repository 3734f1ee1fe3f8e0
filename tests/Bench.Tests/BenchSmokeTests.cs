using System.Globalization;
using System.Text.RegularExpressions;
using Merit.Infrastructure;
using Xunit;

namespace Merit.Bench.Tests;

/// <summary>
/// The benchmark harness at its smoke scale (the small round's shape at a fifth of its size), as CI runs it: every phase runs through the product's paths and the table
/// has every figure with a number. It asserts no figure's value: speed is measured by the benchmark, not by tests.
/// </summary>
public partial class BenchSmokeTests
{
    [Fact]
    public async Task The_smoke_benchmark_prints_every_figure_with_a_number()
    {
        using var log = new StringWriter(CultureInfo.InvariantCulture);
        var standby = LocalPostgres.EnsureStandbyStarted();
        var table = await new BenchRun(Scale.Smoke, LocalPostgres.EnsureStarted(), log) { Standby = standby }.RunAsync(CancellationToken.None);
        var printed = table.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);

        // The nine measurements (docs/performance.md "What each row measures"), each with at least one row whose product cell
        // is a number; the ninth, beside a standby, on the private cluster's (or MERIT_REPLICA_CONNECTION's).
        foreach (var item in Enumerable.Range(1, standby is null ? 8 : 9).Select(i => i.ToString(CultureInfo.InvariantCulture)))
        {
            Assert.Contains(printed, line => line.StartsWith($"| {item} |", StringComparison.Ordinal));
        }

        Assert.All(printed.Skip(2), line => Assert.Matches(ProductCell(), line));
        Assert.All(table.Figures, f => Assert.True(double.IsFinite(f.Product), $"{f.Name}: {f.Product}"));

        // The four import baselines and the HTTP levels are there, each with its baseline and ratio; the commands' floor
        // answered every request (no errors) at every level of both kinds.
        Assert.Equal(4, table.Figures.Count(f => f.Name.StartsWith("import applicants", StringComparison.Ordinal) && f.Ratio is not null));
        Assert.Equal(["1", "16", "64"], table.Figures.Where(f => f.Name.StartsWith("SKD result at", StringComparison.Ordinal) && f.Name.EndsWith("median", StringComparison.Ordinal))
            .Select(f => f.Name.Split(' ')[3]));
        Assert.Equal(6, table.Figures.Count(f => f.Name.EndsWith("median, against the floor", StringComparison.Ordinal) && f.Ratio is not null));
        Assert.DoesNotContain(table.Figures, f => f.Name.Contains("errors", StringComparison.Ordinal) && !f.Name.Contains("(0 errors)", StringComparison.Ordinal));
    }

    [GeneratedRegex(@"^\| \d \| [^|]+ \| [0-9][0-9,.]* [^|]+ \|")]
    private static partial Regex ProductCell();
}
