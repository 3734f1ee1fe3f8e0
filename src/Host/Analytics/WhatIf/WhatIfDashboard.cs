using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Merit.Localization;
using Merit.Security;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Merit.Analytics;

/// <summary>
/// A recorded what-if on the dashboard: the outcome as decided and under the variant side by side — the steps, the
/// passers by category, the selection-rate ratios by sex — and the transitions, drawn as the dashboard draws (static
/// HTML, server-side SVG, no script) from the same report as the API, suppressed cells hatched.
/// </summary>
public static class WhatIfDashboard
{
    private static readonly HtmlEncoder Html = HtmlEncoder.Default;

    private static readonly (string Key, string Label, Func<CountsShown, int?> Value)[] Steps =
    [
        ("registered", "Registered", c => c.Registered), ("ms", "MS", c => c.Ms), ("skdScored", "Sat the SKD", c => c.SkdScored),
        ("thresholdMet", "Threshold met", c => c.ThresholdMet), ("admittedToSkb", "Admitted to SKB", c => c.AdmittedToSkb),
        ("finalPass", "Final pass (P/L)", c => c.FinalPass), ("placedByOptimisation", "Placed (P/L-2)", c => c.PlacedByOptimisation),
        ("selected", "Selected", c => c.Selected),
    ];

    [WolverineGet("/dashboard/what-ifs/{whatIfId}", OperationId = "WhatIfDashboard")]
    [ExcludeFromDescription]
    [Authorize(Roles = Roles.Analyst + "," + Roles.Auditor + "," + Roles.Admin)]
    public static async Task<IResult> Get(Guid whatIfId, HttpContext http, WhatIfStudies studies, WhatIfReports reports, CancellationToken ct)
    {
        if (await studies.LoadAsync(whatIfId, ct) is not { } studied)
        {
            return Results.NotFound();
        }

        var report = reports.Report(studied);
        var page = new StringBuilder();
        // This page's texts are English only; it says so in its lang attribute.
        Dashboard.Open(page, Texts.English, "Merit analytics", switchTo: null);
        page.Append(CultureInfo.InvariantCulture, $"<h2>What if round {Html.Encode(report.RoundCode)} had been decided under {Html.Encode(report.VariantVersion)}?</h2>")
            .Append(CultureInfo.InvariantCulture, $"<p class=\"note\" data-what-if=\"{report.WhatIfId}\">Decided under {Html.Encode(report.RoundRuleSetVersion)}; the variant (SHA-256 {Html.Encode(report.VariantSha256[..16])}…) asked by {Html.Encode(report.AskedBy)} at {report.AskedAt:yyyy-MM-dd HH:mm} UTC over the events through sequence {report.ThroughSequence}, {report.Formations:N0} formations. Counts under {report.MinimumCellSize} are suppressed (hatched). Dark: as decided; light: under the variant.</p>");

        var total = report.Tables[0].Total;
        page.Append("<section><h2>Steps</h2>");
        Paired(page, "steps", "Applicants at each step, as decided and under the variant", Steps.Select(s => (s.Key, s.Label, s.Value(total.Actual), s.Value(total.Variant))).ToList());
        page.Append(CultureInfo.InvariantCulture, $"<p class=\"note\">Newly selected {Show(total.NewlySelected)}, no longer selected {Show(total.NoLongerSelected)}; admitted to the SKB under the variant without an SKB result {Show(report.Remarks.AdmittedWithoutSkbResult)}.</p></section>");

        var byCategory = report.Tables.First(t => t.By == "category");
        page.Append("<section><h2>Selected by category</h2>");
        Paired(page, "selected-category", "Selected applicants by category", byCategory.Rows.Select(r => (r.Key, r.Key, r.Actual.Selected, r.Variant.Selected)).ToList());
        page.Append("</section><section><h2>Selection-rate ratio by sex (selected out of registered)</h2><p class=\"note\">Each group's rate over the highest group's on the same side; under 0.8 is flagged. The API gives the intervals and Fisher's exact test.</p>");
        var sex = report.Fairness.First(f => f.Attribute == "sex");
        var ratios = sex.Stages.Where(s => s.Stage == "selected").ToList();
        var actual = ratios.First(s => s.Side == "actual").Groups;
        var variant = ratios.First(s => s.Side == "variant").Groups;
        Paired(page, "fairness-sex", "Selection-rate ratio by sex", actual.Select((g, i) => (g.Group, g.Group, Ratio(g), Ratio(variant[i]))).ToList(), 10_000,
            v => (v / 10_000.0).ToString("0.00", CultureInfo.InvariantCulture));
        page.Append("</section><section><h2>Transitions</h2><ul class=\"csv\">");
        foreach (var t in report.Transitions)
        {
            page.Append(CultureInfo.InvariantCulture, $"<li data-transition=\"{Html.Encode(t.From)}-{Html.Encode(t.To)}\">{Html.Encode(t.From)} → {Html.Encode(t.To)}: {Show(t.Applicants)}</li>");
        }

        page.Append("</ul></section><section><h2>Tables</h2><ul class=\"csv\">");
        foreach (var table in WhatIfExports.Tables)
        {
            page.Append(CultureInfo.InvariantCulture, $"<li><a href=\"/analytics/what-ifs/{report.WhatIfId}/{table}.csv\">{table} (CSV)</a></li>");
        }

        page.Append(CultureInfo.InvariantCulture, $"<li><a href=\"/analytics/what-ifs/{report.WhatIfId}.xlsx\">every table (XLSX)</a></li></ul></section>");
        return Dashboard.Close(page);
    }

    /// <summary>Two bars per row, the decided one above the variant's, on one scale.</summary>
    private static void Paired(StringBuilder page, string chart, string title, IReadOnlyList<(string Key, string Label, int? Actual, int? Variant)> rows, int? max = null, Func<int, string>? format = null)
    {
        var scale = max ?? Math.Max(1, rows.Max(r => Math.Max(r.Actual ?? 0, r.Variant ?? 0)));
        var show = format ?? (v => v.ToString("N0", CultureInfo.InvariantCulture));
        var svg = Dashboard.Svg(page, chart, rows.Count * 2, title);
        for (var i = 0; i < rows.Count; i++)
        {
            var (key, label, a, v) = rows[i];
            Dashboard.Bar(svg, Texts.English, chart + "-actual", key, label, 2 * i, a, scale, flag: false, format: show);
            Dashboard.Bar(svg, Texts.English, chart + "-variant", key, "    under the variant", (2 * i) + 1, v, scale, flag: false, format: show, cssClass: "bar p90");
        }

        svg.Append("</svg>");
    }

    private static int? Ratio(WhatIfFairnessGroup group) => group.RatioToHighest is { } r ? (int)Math.Round(r * 10_000) : null;

    private static string Show(int? value) => value?.ToString("N0", CultureInfo.InvariantCulture) ?? "suppressed";
}
