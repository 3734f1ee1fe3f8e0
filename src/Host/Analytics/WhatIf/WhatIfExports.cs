using MiniExcelLibs;

namespace Merit.Analytics;

/// <summary>
/// A what-if's published tables as CSV (the analytics' CSV conventions, <see cref="AnalyticsCsv"/>) and as one XLSX
/// workbook with a sheet per table: the same columns and the same suppressed cells, both from one column list.
/// </summary>
public static class WhatIfExports
{
    public static readonly IReadOnlyList<string> Tables = ["groups", "transitions", "fairness", "formations"];

    public static string GroupsCsv(WhatIfReport report) => AnalyticsCsv.Write(GroupColumns, GroupRows(report));

    public static string TransitionsCsv(WhatIfReport report) => AnalyticsCsv.Write(TransitionColumns, report.Transitions);

    public static string FairnessCsv(WhatIfReport report) => AnalyticsCsv.Write(FairnessColumns, FairnessRows(report));

    public static string FormationsCsv(IReadOnlyList<WhatIfFormationShown> rows) => AnalyticsCsv.Write(FormationColumns, rows);

    /// <summary>The workbook: one sheet per table, headers as in the CSV files.</summary>
    public static async Task<byte[]> WorkbookAsync(WhatIfReport report, IReadOnlyList<WhatIfFormationShown> formations, CancellationToken ct)
    {
        var sheets = new Dictionary<string, object>
        {
            ["groups"] = Sheet(GroupColumns, GroupRows(report)),
            ["transitions"] = Sheet(TransitionColumns, report.Transitions),
            ["fairness"] = Sheet(FairnessColumns, FairnessRows(report)),
            ["formations"] = Sheet(FormationColumns, formations),
        };
        using var stream = new MemoryStream();
        await stream.SaveAsAsync(sheets, excelType: ExcelType.XLSX, cancellationToken: ct);
        return stream.ToArray();
    }

    private static List<Dictionary<string, object?>> Sheet<T>(IReadOnlyList<(string Header, Func<T, object?> Value)> columns, IReadOnlyList<T> rows) =>
        rows.Select(row => columns.ToDictionary(c => c.Header, c => c.Value(row) switch
        {
            string s => s,
            IEnumerable<string> names => string.Join(';', names),
            var v => v,
        }, StringComparer.Ordinal)).ToList();

    private static List<(string Dimension, WhatIfRow Row)> GroupRows(WhatIfReport report) =>
        [.. report.Tables.SelectMany(t => t.Rows.Select(r => (t.By, r))), ("all", report.Tables[0].Total)];

    private static List<(string Attribute, WhatIfFairnessStage Stage, WhatIfFairnessGroup Group)> FairnessRows(WhatIfReport report) =>
        report.Fairness.SelectMany(f => f.Stages.SelectMany(s => s.Groups.Select(g => (f.Attribute, s, g)))).ToList();

    private static IEnumerable<(string Header, Func<T, object?> Value)> Counts<T>(string side, Func<T, CountsShown> of) =>
    [
        AnalyticsCsv.Col<T>($"{side}_registered", r => of(r).Registered), AnalyticsCsv.Col<T>($"{side}_ms", r => of(r).Ms),
        AnalyticsCsv.Col<T>($"{side}_skd_scored", r => of(r).SkdScored), AnalyticsCsv.Col<T>($"{side}_threshold_met", r => of(r).ThresholdMet),
        AnalyticsCsv.Col<T>($"{side}_admitted_to_skb", r => of(r).AdmittedToSkb), AnalyticsCsv.Col<T>($"{side}_final_pass", r => of(r).FinalPass),
        AnalyticsCsv.Col<T>($"{side}_referred_to_panselnas", r => of(r).ReferredToPanselnas), AnalyticsCsv.Col<T>($"{side}_placed_by_optimisation", r => of(r).PlacedByOptimisation),
        AnalyticsCsv.Col<T>($"{side}_withdrawn", r => of(r).Withdrawn), AnalyticsCsv.Col<T>($"{side}_selected", r => of(r).Selected),
        AnalyticsCsv.Col<T>($"{side}_admitted_without_skb_result", r => of(r).AdmittedWithoutSkbResult),
    ];

    private static readonly IReadOnlyList<(string Header, Func<(string Dimension, WhatIfRow Row), object?> Value)> GroupColumns =
    [
        AnalyticsCsv.Col<(string Dimension, WhatIfRow Row)>("dimension", x => x.Dimension),
        AnalyticsCsv.Col<(string Dimension, WhatIfRow Row)>("key", x => x.Row.Key),
        .. Counts<(string Dimension, WhatIfRow Row)>("actual", x => x.Row.Actual),
        .. Counts<(string Dimension, WhatIfRow Row)>("variant", x => x.Row.Variant),
        AnalyticsCsv.Col<(string Dimension, WhatIfRow Row)>("newly_selected", x => x.Row.NewlySelected),
        AnalyticsCsv.Col<(string Dimension, WhatIfRow Row)>("no_longer_selected", x => x.Row.NoLongerSelected),
        AnalyticsCsv.Col<(string Dimension, WhatIfRow Row)>("suppressed", x => x.Row.Suppressed),
    ];

    private static readonly IReadOnlyList<(string Header, Func<TransitionShown, object?> Value)> TransitionColumns =
    [
        AnalyticsCsv.Col<TransitionShown>("from", t => t.From), AnalyticsCsv.Col<TransitionShown>("to", t => t.To),
        AnalyticsCsv.Col<TransitionShown>("applicants", t => t.Applicants),
        AnalyticsCsv.Col<TransitionShown>("suppressed", t => t.Applicants is null ? "applicants" : ""),
    ];

    private static readonly IReadOnlyList<(string Header, Func<(string Attribute, WhatIfFairnessStage Stage, WhatIfFairnessGroup Group), object?> Value)> FairnessColumns =
    [
        AnalyticsCsv.Col<(string Attribute, WhatIfFairnessStage Stage, WhatIfFairnessGroup Group)>("attribute", x => x.Attribute),
        AnalyticsCsv.Col<(string Attribute, WhatIfFairnessStage Stage, WhatIfFairnessGroup Group)>("side", x => x.Stage.Side),
        AnalyticsCsv.Col<(string Attribute, WhatIfFairnessStage Stage, WhatIfFairnessGroup Group)>("stage", x => x.Stage.Stage),
        AnalyticsCsv.Col<(string Attribute, WhatIfFairnessStage Stage, WhatIfFairnessGroup Group)>("from", x => x.Stage.From),
        AnalyticsCsv.Col<(string Attribute, WhatIfFairnessStage Stage, WhatIfFairnessGroup Group)>("group", x => x.Group.Group),
        AnalyticsCsv.Col<(string Attribute, WhatIfFairnessStage Stage, WhatIfFairnessGroup Group)>("entered", x => x.Group.Entered),
        AnalyticsCsv.Col<(string Attribute, WhatIfFairnessStage Stage, WhatIfFairnessGroup Group)>("passed", x => x.Group.Passed),
        AnalyticsCsv.Col<(string Attribute, WhatIfFairnessStage Stage, WhatIfFairnessGroup Group)>("rate", x => x.Group.Rate),
        AnalyticsCsv.Col<(string Attribute, WhatIfFairnessStage Stage, WhatIfFairnessGroup Group)>("rate_lower", x => x.Group.RateLower),
        AnalyticsCsv.Col<(string Attribute, WhatIfFairnessStage Stage, WhatIfFairnessGroup Group)>("rate_upper", x => x.Group.RateUpper),
        AnalyticsCsv.Col<(string Attribute, WhatIfFairnessStage Stage, WhatIfFairnessGroup Group)>("ratio_to_highest", x => x.Group.RatioToHighest),
        AnalyticsCsv.Col<(string Attribute, WhatIfFairnessStage Stage, WhatIfFairnessGroup Group)>("ratio_lower", x => x.Group.RatioLower),
        AnalyticsCsv.Col<(string Attribute, WhatIfFairnessStage Stage, WhatIfFairnessGroup Group)>("ratio_upper", x => x.Group.RatioUpper),
        AnalyticsCsv.Col<(string Attribute, WhatIfFairnessStage Stage, WhatIfFairnessGroup Group)>("fisher_p", x => x.Group.FisherP),
        AnalyticsCsv.Col<(string Attribute, WhatIfFairnessStage Stage, WhatIfFairnessGroup Group)>("below_four_fifths", x => x.Group.BelowFourFifths),
        AnalyticsCsv.Col<(string Attribute, WhatIfFairnessStage Stage, WhatIfFairnessGroup Group)>("suppressed", x => x.Group.Suppressed),
    ];

    private static readonly IReadOnlyList<(string Header, Func<WhatIfFormationShown, object?> Value)> FormationColumns =
    [
        AnalyticsCsv.Col<WhatIfFormationShown>("formation_code", r => r.FormationCode), AnalyticsCsv.Col<WhatIfFormationShown>("instansi", r => r.Instansi),
        AnalyticsCsv.Col<WhatIfFormationShown>("position", r => r.Position), AnalyticsCsv.Col<WhatIfFormationShown>("location", r => r.Location),
        AnalyticsCsv.Col<WhatIfFormationShown>("category", r => r.Category), AnalyticsCsv.Col<WhatIfFormationShown>("allocation", r => r.Allocation),
        AnalyticsCsv.Col<WhatIfFormationShown>("actual_quota", r => r.ActualQuota), AnalyticsCsv.Col<WhatIfFormationShown>("actual_cut_off_total", r => r.ActualCutOffTotal),
        AnalyticsCsv.Col<WhatIfFormationShown>("actual_vacant", r => r.ActualVacant),
        AnalyticsCsv.Col<WhatIfFormationShown>("variant_quota", r => r.VariantQuota), AnalyticsCsv.Col<WhatIfFormationShown>("variant_cut_off_total", r => r.VariantCutOffTotal),
        AnalyticsCsv.Col<WhatIfFormationShown>("variant_vacant", r => r.VariantVacant),
        .. Counts<WhatIfFormationShown>("actual", r => r.Actual),
        .. Counts<WhatIfFormationShown>("variant", r => r.Variant),
        AnalyticsCsv.Col<WhatIfFormationShown>("newly_selected", r => r.NewlySelected), AnalyticsCsv.Col<WhatIfFormationShown>("no_longer_selected", r => r.NoLongerSelected),
        AnalyticsCsv.Col<WhatIfFormationShown>("suppressed", r => r.Suppressed),
    ];
}
