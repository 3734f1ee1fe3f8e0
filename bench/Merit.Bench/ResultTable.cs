using System.Globalization;
using System.Text;

namespace Merit.Bench;

/// <summary>One figure of the run: the product's number, the baseline's (measured in the same run, or a target of docs/adr/0015), their ratio.</summary>
public sealed record Figure(string Item, string Name, double Product, string Unit, double? Baseline = null, string? BaselineName = null)
{
    public double? Ratio => Baseline is > 0 ? Product / Baseline : null;
}

/// <summary>The one table a run prints, as Markdown so docs/performance.md can carry it as printed.</summary>
public sealed class ResultTable
{
    public const string Header = "| # | figure | product | baseline | ratio |";

    public List<Figure> Figures { get; } = [];

    public void Add(string item, string name, double product, string unit, double? baseline = null, string? baselineName = null) =>
        Figures.Add(new Figure(item, name, product, unit, baseline, baselineName));

    public override string ToString()
    {
        var builder = new StringBuilder(Header).Append('\n').Append("|---|---|---:|---|---:|\n");
        foreach (var f in Figures.OrderBy(f => f.Item, StringComparer.Ordinal))
        {
            var baseline = f.Baseline is { } b ? $"{Number(b)} {f.Unit} ({f.BaselineName})" : "—";
            var ratio = f.Ratio is { } r ? r.ToString("0.00", CultureInfo.InvariantCulture) : "—";
            builder.Append(CultureInfo.InvariantCulture, $"| {f.Item} | {f.Name} | {Number(f.Product)} {f.Unit} | {baseline} | {ratio} |\n");
        }

        return builder.ToString();
    }

    private static string Number(double value) => value switch
    {
        >= 100 => value.ToString("#,0", CultureInfo.InvariantCulture),
        >= 10 => value.ToString("0.0", CultureInfo.InvariantCulture),
        _ => value.ToString("0.00", CultureInfo.InvariantCulture),
    };
}
