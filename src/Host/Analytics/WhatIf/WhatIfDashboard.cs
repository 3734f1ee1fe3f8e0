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
/// HTML, server-side SVG, no script) from the same report as the API, suppressed cells hatched, in Bahasa Indonesia
/// or English as the main dashboard is.
/// </summary>
public static class WhatIfDashboard
{
    private static readonly HtmlEncoder Html = HtmlEncoder.Default;

    /// <summary>The steps drawn, each with the key of its label (the main dashboard's where it names the same step).</summary>
    private static readonly (string Key, string Label, Func<CountsShown, int?> Value)[] Steps =
    [
        ("registered", "dashboard.funnel.registered", c => c.Registered), ("ms", "what-if-page.step.ms", c => c.Ms),
        ("skdScored", "what-if-page.step.skdScored", c => c.SkdScored), ("thresholdMet", "what-if-page.step.thresholdMet", c => c.ThresholdMet),
        ("admittedToSkb", "dashboard.funnel.admittedToSkb", c => c.AdmittedToSkb), ("finalPass", "dashboard.funnel.finalPass", c => c.FinalPass),
        ("placedByOptimisation", "what-if-page.step.placedByOptimisation", c => c.PlacedByOptimisation), ("selected", "what-if-page.step.selected", c => c.Selected),
    ];

    /// <summary>
    /// The page in the language of <c>?lang=id|en</c>, else of the request (Accept-Language, Bahasa Indonesia by
    /// default), with the main dashboard's switch (docs/adr/0051).
    /// </summary>
    [WolverineGet("/dashboard/what-ifs/{whatIfId}", OperationId = "WhatIfDashboard")]
    [ExcludeFromDescription]
    [Authorize(Roles = Roles.Analyst + "," + Roles.Auditor + "," + Roles.Admin)]
    public static async Task<IResult> Get(Guid whatIfId, HttpContext http, WhatIfStudies studies, WhatIfReports reports, CancellationToken ct)
    {
        if (await studies.LoadAsync(whatIfId, ct) is not { } studied)
        {
            return Results.NotFound();
        }

        var texts = Dashboard.Language(http.Request);
        var report = reports.Report(studied);
        var page = new StringBuilder();
        Dashboard.Open(page, texts, texts["dashboard.title"], lang => string.Create(CultureInfo.InvariantCulture, $"/dashboard/what-ifs/{whatIfId}?{Dashboard.LanguageParameter}={lang}"));
        page.Append(CultureInfo.InvariantCulture, $"<h2>{Html.Encode(texts.Format("what-if-page.heading", report.RoundCode, report.VariantVersion))}</h2>")
            .Append(CultureInfo.InvariantCulture, $"<p class=\"note\" data-what-if=\"{report.WhatIfId}\">{Html.Encode(texts.Format("what-if-page.asked", report.RoundRuleSetVersion, report.VariantSha256[..16], report.AskedBy, report.AskedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), report.ThroughSequence, Dashboard.Whole(texts, report.Formations)))} ")
            .Append(CultureInfo.InvariantCulture, $"{Html.Encode(texts.Format("dashboard.suppressed-note", report.MinimumCellSize))} {Html.Encode(texts["what-if-page.shades"])}</p>");

        var total = report.Tables[0].Total;
        page.Append(CultureInfo.InvariantCulture, $"<section><h2>{Html.Encode(texts["what-if-page.steps"])}</h2>");
        Paired(page, texts, "steps", texts["what-if-page.steps.chart"], Steps.Select(s => (s.Key, texts[s.Label], s.Value(total.Actual), s.Value(total.Variant))).ToList());
        page.Append(CultureInfo.InvariantCulture, $"<p class=\"note\">{Html.Encode(texts.Format("what-if-page.steps.note", Dashboard.Show(texts, total.NewlySelected), Dashboard.Show(texts, total.NoLongerSelected), Dashboard.Show(texts, report.Remarks.AdmittedWithoutSkbResult)))}</p></section>");

        var byCategory = report.Tables.First(t => t.By == "category");
        page.Append(CultureInfo.InvariantCulture, $"<section><h2>{Html.Encode(texts["what-if-page.category"])}</h2>");
        Paired(page, texts, "selected-category", texts["what-if-page.category.chart"], byCategory.Rows.Select(r => (r.Key, r.Key, r.Actual.Selected, r.Variant.Selected)).ToList());
        page.Append(CultureInfo.InvariantCulture, $"</section><section><h2>{Html.Encode(texts["what-if-page.fairness"])}</h2><p class=\"note\">{Html.Encode(texts["what-if-page.fairness.note"])}</p>");
        var sex = report.Fairness.First(f => f.Attribute == "sex");
        var ratios = sex.Stages.Where(s => s.Stage == "selected").ToList();
        var actual = ratios.First(s => s.Side == "actual").Groups;
        var variant = ratios.First(s => s.Side == "variant").Groups;
        Paired(page, texts, "fairness-sex", texts["what-if-page.fairness.chart"], actual.Select((g, i) => (g.Group, g.Group, Ratio(g), Ratio(variant[i]))).ToList(), 10_000,
            v => texts.Number((v / 10_000.0).ToString("0.00", CultureInfo.InvariantCulture)));
        page.Append(CultureInfo.InvariantCulture, $"</section><section><h2>{Html.Encode(texts["what-if-page.transitions"])}</h2><ul class=\"csv\">");
        foreach (var t in report.Transitions)
        {
            page.Append(CultureInfo.InvariantCulture, $"<li data-transition=\"{Html.Encode(t.From)}-{Html.Encode(t.To)}\">{Html.Encode(t.From)} → {Html.Encode(t.To)}: {Html.Encode(Dashboard.Show(texts, t.Applicants))}</li>");
        }

        page.Append(CultureInfo.InvariantCulture, $"</ul></section><section><h2>{Html.Encode(texts["what-if-page.tables"])}</h2><ul class=\"csv\">");
        foreach (var table in WhatIfExports.Tables)
        {
            page.Append(CultureInfo.InvariantCulture, $"<li><a href=\"/analytics/what-ifs/{report.WhatIfId}/{table}.csv\">{Html.Encode(texts.Format("what-if-page.table.csv", table))}</a></li>");
        }

        page.Append(CultureInfo.InvariantCulture, $"<li><a href=\"/analytics/what-ifs/{report.WhatIfId}.xlsx\">{Html.Encode(texts["what-if-page.table.xlsx"])}</a></li></ul></section>");
        return Dashboard.Close(page);
    }

    /// <summary>Two bars per row, the decided one above the variant's, on one scale.</summary>
    private static void Paired(StringBuilder page, Texts texts, string chart, string title, IReadOnlyList<(string Key, string Label, int? Actual, int? Variant)> rows, int? max = null, Func<int, string>? format = null)
    {
        var scale = max ?? Math.Max(1, rows.Max(r => Math.Max(r.Actual ?? 0, r.Variant ?? 0)));
        var show = format ?? (v => Dashboard.Whole(texts, v));
        var svg = Dashboard.Svg(page, chart, rows.Count * 2, title);
        for (var i = 0; i < rows.Count; i++)
        {
            var (key, label, a, v) = rows[i];
            Dashboard.Bar(svg, texts, chart + "-actual", key, label, 2 * i, a, scale, flag: false, format: show);
            Dashboard.Bar(svg, texts, chart + "-variant", key, texts["what-if-page.under-the-variant"], (2 * i) + 1, v, scale, flag: false, format: show, cssClass: "bar p90");
        }

        svg.Append("</svg>");
    }

    private static int? Ratio(WhatIfFairnessGroup group) => group.RatioToHighest is { } r ? (int)Math.Round(r * 10_000) : null;
}
