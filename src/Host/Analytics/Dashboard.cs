using Merit.Security;
using Microsoft.AspNetCore.Authorization;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Wolverine.Http;

namespace Merit.Analytics;

/// <summary>
/// The analysts' dashboard: one static HTML page with server-side SVG charts (no script, nothing fetched from
/// elsewhere) drawn from the same reports as the JSON endpoints, so a chart shows exactly the API's numbers and
/// the same suppression. Each bar carries <c>data-chart</c>, <c>data-key</c> and <c>data-value</c> for checking.
/// </summary>
public static class Dashboard
{
    private const int Width = 760;
    private const int LabelWidth = 230;
    private const int BarArea = Width - LabelWidth - 90;
    internal const int RowHeight = 22;

    private static readonly HtmlEncoder Html = HtmlEncoder.Default;

    /// <summary>The dashboard for a round (the first one when none is chosen) and optionally one instansi.</summary>
    [WolverineGet("/dashboard", OperationId = "AnalyticsDashboard")]
    [ExcludeFromDescription]
    // Published statistics: aggregates only, small cells suppressed, no personal data — for the public as much as for analysts.
    [AllowAnonymous]
    public static async Task<IResult> Get(Guid? roundId, string? instansi, HttpContext http, AnalyticsQueries queries, AnalyticsReports reports, CancellationToken ct)
    {
        http.Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'";
        var rounds = await queries.RoundsAsync(ct);
        var chosen = rounds.FirstOrDefault(r => r.Round.Id == roundId);
        if (chosen.Round is null)
        {
            chosen = rounds.Count > 0 ? rounds[0] : default;
        }

        var page = new StringBuilder();
        Open(page);
        if (chosen.Round is null)
        {
            page.Append("<p class=\"empty\">No round has analytics yet.</p>");
            return Close(page);
        }

        var selected = chosen.Instansi.Contains(instansi ?? "", StringComparer.Ordinal) ? instansi : null;
        var filter = AnalyticsEndpoints.Filter(selected, null, null, null);
        var context = (await reports.ContextAsync(chosen.Round.Id, filter, ct))!;
        Filters(page, rounds, chosen.Round.Id, chosen.Instansi, selected);
        Freshness(page, context);

        var funnel = await reports.FunnelAsync(context, Dimension.All, ct);
        var bySex = await reports.FairnessAsync(context, "sex", ct);
        var byCategory = await reports.FairnessAsync(context, "category", ct);
        var times = await reports.DecisionTimesAsync(context, ct);

        page.Append("<section><h2>Funnel</h2>");
        FunnelChart(page, funnel);
        page.Append("</section><section><h2>Fairness: selection-rate ratio to the highest group</h2>")
            .Append("<p class=\"note\">Each bar is a group's pass rate at a step divided by the highest group's; under 0.8 (the line) is flagged.</p>");
        FairnessChart(page, "fairness-sex", "By sex", bySex);
        FairnessChart(page, "fairness-category", "By category (disability is a category)", byCategory);
        page.Append("</section><section><h2>Time to decision</h2>");
        TimeChart(page, times);
        page.Append("</section>");
        Downloads(page, context);
        return Close(page);
    }

    internal static void Open(StringBuilder page) => page.Append("""
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>Merit analytics</title>
        <meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">
        <style>
        body{font-family:"DejaVu Sans",Arial,sans-serif;margin:24px auto;max-width:820px;color:#1d2733;background:#fff}
        h1{font-size:22px;margin:0 0 12px}h2{font-size:17px;margin:28px 0 6px}h3{font-size:14px;margin:14px 0 4px}
        form{display:flex;gap:12px;align-items:end;flex-wrap:wrap;background:#f3f5f8;padding:10px 12px;border-radius:6px}
        label{display:flex;flex-direction:column;font-size:12px;gap:3px}select,button{font-size:14px;padding:4px}
        .note,.fresh,.empty{font-size:12px;color:#52606d}.fresh.behind{color:#a15c00}
        svg text{font-size:12px;fill:#1d2733}svg .value{font-size:11px}.suppressed{fill:url(#hatch);stroke:#9aa5b1}
        .bar{fill:#2f6fb0}.bar.flag{fill:#c0392b}.bar.p90{fill:#9cc0e6}.axis{stroke:#52606d;stroke-dasharray:4 3}
        ul.csv{font-size:13px;columns:2}
        </style></head><body><h1>Merit analytics</h1>
        <svg width="0" height="0" style="position:absolute"><defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#eef1f4"/><line x1="0" y1="0" x2="0" y2="6" stroke="#9aa5b1" stroke-width="2"/></pattern></defs></svg>

        """);

    internal static IResult Close(StringBuilder page) =>
        Results.Content(page.Append("</body></html>\n").ToString(), "text/html; charset=utf-8");

    private static void Filters(StringBuilder page, IReadOnlyList<(Recruitment.Round Round, IReadOnlyList<string> Instansi)> rounds, Guid roundId, IReadOnlyList<string> instansi, string? selected)
    {
        page.Append("<form method=\"get\" action=\"/dashboard\"><label>Round<select name=\"roundId\">");
        foreach (var (round, _) in rounds)
        {
            page.Append(CultureInfo.InvariantCulture, $"<option value=\"{round.Id}\"{(round.Id == roundId ? " selected" : "")}>{Html.Encode(round.Code)} — {Html.Encode(round.Name)}</option>");
        }

        page.Append("</select></label><label>Instansi<select name=\"instansi\"><option value=\"\">All instansi</option>");
        foreach (var code in instansi)
        {
            page.Append(CultureInfo.InvariantCulture, $"<option value=\"{Html.Encode(code)}\"{(code == selected ? " selected" : "")}>{Html.Encode(code)}</option>");
        }

        page.Append("</select></label><button type=\"submit\">Show</button></form>");
    }

    private static void Freshness(StringBuilder page, ReportContext context)
    {
        var f = context.Freshness;
        var text = f.EventsBehind == 0
            ? $"Up to date with the newest event (sequence {f.NewestEventSequence})."
            : $"Behind the newest event by {f.EventsBehind} event(s){(f.SecondsBehind is { } s ? $", about {s:0.#} s" : "")}: reflects events up to sequence {f.ProjectedThroughSequence} of {f.NewestEventSequence}.";
        page.Append(CultureInfo.InvariantCulture, $"<p class=\"fresh{(f.EventsBehind == 0 ? "" : " behind")}\" data-events-behind=\"{f.EventsBehind}\">{Html.Encode(text)} Counts under {context.MinimumCellSize} are suppressed (hatched).</p>");
    }

    private static readonly (string Key, string Label)[] FunnelStages =
    [
        ("registered", "Registered"), ("ms", "MS after appeals"), ("skdThresholdMet", "SKD threshold met"),
        ("admittedToSkb", "Admitted to SKB"), ("finalPass", "Final pass (P/L)"), ("nipIssued", "NIP issued"),
    ];

    private static void FunnelChart(StringBuilder page, FunnelTable funnel)
    {
        var t = funnel.Total;
        int?[] values = [t.Registered, t.Ms, t.SkdThresholdMet, t.AdmittedToSkb, t.FinalPass, t.NipIssued];
        var max = Math.Max(1, values.Max() ?? 0);
        var svg = Svg(page, "funnel", FunnelStages.Length + 1, "Funnel of applicants from registration to NIP");
        for (var i = 0; i < FunnelStages.Length; i++)
        {
            Bar(svg, "funnel", FunnelStages[i].Key, FunnelStages[i].Label, i, values[i], max, flag: false, format: v => v.ToString("N0", CultureInfo.InvariantCulture));
        }

        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"0\" y=\"{(FunnelStages.Length * RowHeight) + 16}\" class=\"value\">Formations {t.Formations:N0}, places {t.Allocation:N0}; vacant after final {Show(t.VacantAfterFinal)}, filled by optimisation {Show(t.FilledByOptimisation)}, vacant now {Show(t.VacantNow)}, withdrawals {Show(t.Withdrawals)}</text>");
        svg.Append("</svg>");
    }

    private static readonly Dictionary<string, string> StepLabels = new(StringComparer.Ordinal)
    {
        ["ms"] = "MS",
        ["skdThresholdMet"] = "SKD met",
        ["admittedToSkb"] = "To SKB",
        ["finalPass"] = "Final pass",
        ["nipIssued"] = "NIP",
        ["selection"] = "Selection",
    };

    private static void FairnessChart(StringBuilder page, string chart, string title, FairnessTable table)
    {
        page.Append(CultureInfo.InvariantCulture, $"<h3>{Html.Encode(title)}</h3>");
        // A group no one of which reached the step before has no rate to show.
        var rows = table.Stages.SelectMany(s => s.Groups.Where(g => g.Rate is not null || g.Suppressed.Count > 0).Select(g => (Stage: s.Stage, Group: g))).ToList();
        if (rows.Count == 0)
        {
            page.Append("<p class=\"empty\">No applicants yet.</p>");
            return;
        }

        var svg = Svg(page, chart, rows.Count, title);
        var lineX = LabelWidth + (int)(BarArea * table.Threshold);
        for (var i = 0; i < rows.Count; i++)
        {
            var (stage, group) = rows[i];
            var ratio = group.RatioToHighest;
            Bar(svg, chart, $"{stage}/{group.Group}", $"{StepLabels[stage]} · {group.Group}", i, ratio is { } r ? (int?)Math.Round(r * 10_000) : null, 10_000,
                flag: group.BelowFourFifths == true, format: v => (v / 10_000.0).ToString("0.00", CultureInfo.InvariantCulture), value: ratio?.ToString("0.####", CultureInfo.InvariantCulture),
                missing: group.Suppressed.Count > 0 ? "suppressed" : "no rate");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<line class=\"axis\" x1=\"{lineX}\" y1=\"0\" x2=\"{lineX}\" y2=\"{rows.Count * RowHeight}\"/><text x=\"{lineX + 3}\" y=\"{(rows.Count * RowHeight) + 14}\" class=\"value\">0.8</text></svg>");
    }

    private static readonly Dictionary<string, string> TimeLabels = new(StringComparer.Ordinal)
    {
        ["administrativeVerification"] = "Administrative verification",
        ["administrativeAppeal"] = "Administrative appeal",
        ["skdResult"] = "SKD result",
        ["skdCutOff"] = "SKD cut-off",
        ["skbResult"] = "SKB result",
        ["finalResult"] = "Final result",
        ["finalAppeal"] = "Final appeal",
        ["optimisation"] = "Optimisation",
        ["nipIssued"] = "NIP issued",
    };

    private static void TimeChart(StringBuilder page, DecisionTimesTable times)
    {
        var rows = times.AllInstansi;
        if (rows.Count == 0)
        {
            page.Append("<p class=\"empty\">No decision timed yet.</p>");
            return;
        }

        page.Append("<p class=\"note\">Median (dark) and 90th percentile (light), in hours from the window's opening (appeals: from filing).</p>");
        var max = Math.Max(1, rows.Max(r => r.P90Hours ?? 0));
        var svg = Svg(page, "time", rows.Count * 2, "Time to decision per stage");
        for (var i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            Bar(svg, "time-median", r.Stage, $"{TimeLabels.GetValueOrDefault(r.Stage, r.Stage)} (n={Show(r.Decisions)})", 2 * i, Hundredths(r.MedianHours), Hundredths(max)!.Value, flag: false,
                format: v => (v / 100.0).ToString("0.##", CultureInfo.InvariantCulture) + " h", value: r.MedianHours?.ToString(CultureInfo.InvariantCulture));
            Bar(svg, "time-p90", r.Stage, "    90th percentile", (2 * i) + 1, Hundredths(r.P90Hours), Hundredths(max)!.Value, flag: false,
                format: v => (v / 100.0).ToString("0.##", CultureInfo.InvariantCulture) + " h", value: r.P90Hours?.ToString(CultureInfo.InvariantCulture), cssClass: "bar p90");
        }

        svg.Append("</svg>");
    }

    private static void Downloads(StringBuilder page, ReportContext context)
    {
        var query = context.Filter.Instansi is { } i ? "?instansi=" + Uri.EscapeDataString(i) : "";
        page.Append("<section><h2>Tables (CSV)</h2><ul class=\"csv\">");
        foreach (var (name, label) in new[]
        {
            ("funnel", "Funnel by instansi"), ("fairness", "Fairness by sex"), ("time-to-decision", "Time to decision"),
            ("skd-distribution", "SKD score histograms"), ("cut-offs", "Cut-off per formation"), ("tie-breaks", "Tie-breaks"),
        })
        {
            page.Append(CultureInfo.InvariantCulture, $"<li><a href=\"/analytics/rounds/{context.RoundId}/{name}.csv{Html.Encode(query)}\">{Html.Encode(label)}</a></li>");
        }

        page.Append("</ul><p class=\"note\">JSON of every table and its filters: the API page, tag Analytics.</p></section>");
    }

    internal static StringBuilder Svg(StringBuilder page, string chart, int rows, string title)
    {
        var height = (rows * RowHeight) + 24;
        return page.Append(CultureInfo.InvariantCulture, $"<svg id=\"{chart}\" role=\"img\" aria-label=\"{Html.Encode(title)}\" width=\"{Width}\" height=\"{height}\" viewBox=\"0 0 {Width} {height}\">");
    }

    /// <summary>One labelled bar; a null value (a suppressed cell, or no rate) is drawn hatched with <paramref name="missing"/> and no number.</summary>
    internal static void Bar(StringBuilder svg, string chart, string key, string label, int row, int? amount, int max, bool flag, Func<int, string> format, string? value = null, string? cssClass = null, string missing = "suppressed")
    {
        var y = row * RowHeight;
        var shown = value ?? amount?.ToString(CultureInfo.InvariantCulture);
        svg.Append(CultureInfo.InvariantCulture, $"<g data-chart=\"{chart}\" data-key=\"{Html.Encode(key)}\" data-value=\"{(amount is null ? missing : Html.Encode(shown!))}\">");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"0\" y=\"{y + 15}\">{Html.Encode(label)}</text>");
        if (amount is { } a)
        {
            var width = Math.Max(a > 0 ? 1 : 0, (int)Math.Round(BarArea * (double)a / max));
            svg.Append(CultureInfo.InvariantCulture, $"<rect class=\"{cssClass ?? (flag ? "bar flag" : "bar")}\" x=\"{LabelWidth}\" y=\"{y + 3}\" width=\"{width}\" height=\"{RowHeight - 6}\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"value\" x=\"{LabelWidth + width + 4}\" y=\"{y + 15}\">{Html.Encode(format(a))}{(flag ? " ⚑" : "")}</text>");
        }
        else
        {
            svg.Append(CultureInfo.InvariantCulture, $"<rect class=\"suppressed\" x=\"{LabelWidth}\" y=\"{y + 3}\" width=\"{BarArea / 4}\" height=\"{RowHeight - 6}\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"value\" x=\"{LabelWidth + (BarArea / 4) + 4}\" y=\"{y + 15}\">{missing}</text>");
        }

        svg.Append("</g>");
    }

    private static int? Hundredths(double? hours) => hours is { } h ? (int)Math.Round(h * 100) : null;

    private static string Show(int? value) => value?.ToString("N0", CultureInfo.InvariantCulture) ?? "suppressed";
}
