using System.Globalization;
using JasperFx;
using JasperFx.CommandLine;
using Merit.Analytics.WhatIf;
using Merit.Recruitment;
using Merit.Localization;

namespace Merit.Analytics;

public sealed class WhatIfInput : NetCoreInput
{
    [Description("The round's code, e.g. CPNS-2024")]
    [FlagAlias("round")]
    public string RoundFlag { get; set; } = "";

    [Description("The variant rule-set document (JSON, the shape of src/Domain/Recruitment/RuleSets/*.json, with a version name of its own)")]
    [FlagAlias("rule-set")]
    public string RuleSetFlag { get; set; } = "";

    [Description("Who asks (recorded with the what-if)")]
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
        if (input.RoundFlag.Length == 0 || input.RuleSetFlag.Length == 0 || !File.Exists(input.RuleSetFlag))
        {
            await Console.Error.WriteLineAsync("Usage: merit what-if --round CODE --rule-set FILE [--actor NAME]");
            return false;
        }

        using var host = input.BuildHost();
        var studies = host.Services.GetRequiredService<WhatIfStudies>();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var (studied, refusal) = await studies.RunAsync(RoundDecisions.IdFor(input.RoundFlag), await File.ReadAllTextAsync(input.RuleSetFlag), input.ActorFlag, Guid.NewGuid(), CancellationToken.None);
        if (refusal is not null)
        {
            await Console.Error.WriteLineAsync($"Refused: {Texts.Current.Say(refusal)} [{refusal.Code}]");
            return false;
        }

        var report = host.Services.GetRequiredService<WhatIfReports>().Report(studied!);
        var total = report.Tables[0].Total;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"what-if {studied!.WhatIfId}: round {studied.RoundCode} ({studied.RoundRuleSetVersion}) under {studied.VariantVersion} (sha256 {studied.VariantSha256}), {studied.Outcome.Formations} formations, events through {studied.ThroughSequence}, {watch.Elapsed.TotalSeconds:F1} s"));
        Console.WriteLine("                     decided    variant");
        foreach (var (name, actual, variant) in new (string, int?, int?)[]
        {
            ("registered", total.Actual.Registered, total.Variant.Registered),
            ("threshold met", total.Actual.ThresholdMet, total.Variant.ThresholdMet),
            ("admitted to SKB", total.Actual.AdmittedToSkb, total.Variant.AdmittedToSkb),
            ("final pass (P/L)", total.Actual.FinalPass, total.Variant.FinalPass),
            ("placed (P/L-2)", total.Actual.PlacedByOptimisation, total.Variant.PlacedByOptimisation),
            ("selected", total.Actual.Selected, total.Variant.Selected),
        })
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {name,-17} {Show(actual),10} {Show(variant),10}"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  newly selected {Show(total.NewlySelected)}, no longer selected {Show(total.NoLongerSelected)}; admitted without an SKB result {Show(report.Remarks.AdmittedWithoutSkbResult)}"));
        Console.WriteLine($"  outcome sha256 {studied.OutcomeSha256}; tables: GET /analytics/what-ifs/{studied.WhatIfId}");
        return true;
    }

    private static string Show(int? value) => value?.ToString("N0", CultureInfo.InvariantCulture) ?? "suppressed";
}
