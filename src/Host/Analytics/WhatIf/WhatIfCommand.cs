using System.Globalization;
using JasperFx;
using JasperFx.CommandLine;
using Merit.Analytics.WhatIf;
using Merit.Recruitment;
using Merit.Localization;

namespace Merit.Analytics;

/// <summary>The input of <c>merit what-if</c>; its arguments and options are described in the language catalogue, <c>help.what-if.*</c> (<see cref="Merit.CommandLine.CommandHelp"/>).</summary>
public sealed class WhatIfInput : NetCoreInput
{
    [FlagAlias("round")]
    public string RoundFlag { get; set; } = "";

    [FlagAlias("rule-set")]
    public string RuleSetFlag { get; set; } = "";

    [FlagAlias("actor")]
    public string ActorFlag { get; set; } = "cli";
}

/// <summary>
/// <c>merit what-if --round CODE --rule-set FILE [--actor NAME]</c>: decides a recorded round again under a variant
/// rule set, records the what-if, and prints its id and the totals as decided and under the variant (docs/adr/0042).
/// The tables, with small cells suppressed, are read over HTTP or exported as CSV/XLSX.
/// </summary>
[Description("Decide a recorded round again under a variant rule set and record the what-if", Name = "what-if")]
public sealed class WhatIfCommand : JasperFxAsyncCommand<WhatIfInput>
{
    public override async Task<bool> Execute(WhatIfInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var texts = Texts.Current;
        if (input.RoundFlag.Length == 0 || input.RuleSetFlag.Length == 0 || !File.Exists(input.RuleSetFlag))
        {
            await Console.Error.WriteLineAsync(texts["what-if.cli.usage"]);
            return false;
        }

        using var host = input.BuildHost();
        var studies = host.Services.GetRequiredService<WhatIfStudies>();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var (studied, refusal) = await studies.RunAsync(RoundDecisions.IdFor(input.RoundFlag), await File.ReadAllTextAsync(input.RuleSetFlag), input.ActorFlag, Guid.NewGuid(), CancellationToken.None);
        if (refusal is not null)
        {
            await Console.Error.WriteLineAsync(texts.Format("what-if.cli.refused", texts.Say(refusal), refusal.Code));
            return false;
        }

        var report = host.Services.GetRequiredService<WhatIfReports>().Report(studied!);
        var total = report.Tables[0].Total;
        Console.WriteLine(texts.Format("what-if.cli.studied", studied!.WhatIfId, studied.RoundCode, studied.RoundRuleSetVersion, studied.VariantVersion, studied.VariantSha256, studied.Outcome.Formations, studied.ThroughSequence, watch.Elapsed.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture)));
        var rows = new (string Key, int? Actual, int? Variant)[]
        {
            ("registered", total.Actual.Registered, total.Variant.Registered),
            ("threshold-met", total.Actual.ThresholdMet, total.Variant.ThresholdMet),
            ("admitted-to-skb", total.Actual.AdmittedToSkb, total.Variant.AdmittedToSkb),
            ("final-pass", total.Actual.FinalPass, total.Variant.FinalPass),
            ("placed", total.Actual.PlacedByOptimisation, total.Variant.PlacedByOptimisation),
            ("selected", total.Actual.Selected, total.Variant.Selected),
        };

        // The names' column is as wide as the language's longest name needs: the numbers stay in line in either language.
        var width = rows.Max(r => texts["what-if.cli.row." + r.Key].Length) + 1;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {"".PadRight(width)} {texts["what-if.cli.decided"],10} {texts["what-if.cli.variant"],10}"));
        foreach (var (key, actual, variant) in rows)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {texts["what-if.cli.row." + key].PadRight(width)} {Show(texts, actual),10} {Show(texts, variant),10}"));
        }

        Console.WriteLine(texts.Format("what-if.cli.changes", Show(texts, total.NewlySelected), Show(texts, total.NoLongerSelected), Show(texts, report.Remarks.AdmittedWithoutSkbResult)));
        Console.WriteLine(texts.Format("what-if.cli.tables", studied.OutcomeSha256, studied.WhatIfId));
        return true;
    }

    private static string Show(Texts texts, int? value) => value?.ToString("N0", CultureInfo.InvariantCulture) ?? texts["dashboard.suppressed"];
}
