using Merit.Localization;
using Merit.Security;
using Microsoft.AspNetCore.Authorization;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Wolverine.Http;

namespace Merit.Analytics;

/// <summary>
/// The analysts' dashboard: one HTML page with server-side SVG charts (nothing fetched from elsewhere) drawn from the
/// same reports as the JSON endpoints, so a chart shows exactly the API's numbers and the same suppression. Each bar
/// carries <c>data-chart</c>, <c>data-key</c> and <c>data-value</c> (invariant, whatever the language) for checking.
/// It speaks Bahasa Indonesia unless <c>?lang=en</c> or the Accept-Language header asks for English; every text is
/// from the resource files. Its one script (<see cref="Script"/>, from this origin, no inline script) downloads the
/// CSV tables with the analyst's bearer token.
/// </summary>
public static class Dashboard
{
    // Each row is its label above its bar, so the chart is narrow and its text stays legible when a phone scales it down.
    private const int Width = 480;
    private const int BarArea = Width - 90;
    internal const int RowHeight = 34;

    /// <summary>The query parameter of the page's language switch; the API itself follows Accept-Language only.</summary>
    public const string LanguageParameter = "lang";

    private static readonly HtmlEncoder Html = HtmlEncoder.Default;

    /// <summary>The dashboard for a round (the first one when none is chosen) and optionally one instansi.</summary>
    [WolverineGet("/dashboard", OperationId = "AnalyticsDashboard")]
    [ExcludeFromDescription]
    // Published statistics: aggregates only, small cells suppressed, no personal data — for the public as much as for analysts.
    [AllowAnonymous]
    public static async Task<IResult> Get(Guid? roundId, string? instansi, HttpContext http, AnalyticsQueries queries, AnalyticsReports reports, CancellationToken ct)
    {
        var texts = Language(http.Request);
        var rounds = await queries.RoundsAsync(ct);
        var chosen = rounds.FirstOrDefault(r => r.Round.Id == roundId);
        if (chosen.Round is null)
        {
            chosen = rounds.Count > 0 ? rounds[0] : default;
        }

        var page = new StringBuilder();
        var selected = chosen.Round is not null && chosen.Instansi.Contains(instansi ?? "", StringComparer.Ordinal) ? instansi : null;
        Open(page, texts, texts["dashboard.title"], lang => Address(chosen.Round?.Id, selected, lang));
        if (chosen.Round is null)
        {
            page.Append(CultureInfo.InvariantCulture, $"<p class=\"empty\">{Html.Encode(texts["dashboard.no-round"])}</p>");
            return Close(page);
        }

        var filter = AnalyticsEndpoints.Filter(selected, null, null, null);
        var context = (await reports.ContextAsync(chosen.Round.Id, filter, ct))!;
        Filters(page, texts, rounds, chosen.Round.Id, chosen.Instansi, selected);
        Freshness(page, texts, context);

        var funnel = await reports.FunnelAsync(context, Dimension.All, ct);
        var bySex = await reports.FairnessAsync(context, "sex", ct);
        var byCategory = await reports.FairnessAsync(context, "category", ct);
        var times = await reports.DecisionTimesAsync(context, ct);

        page.Append(CultureInfo.InvariantCulture, $"<section><h2>{Html.Encode(texts["dashboard.funnel"])}</h2>");
        FunnelChart(page, texts, funnel);
        page.Append(CultureInfo.InvariantCulture, $"</section><section><h2>{Html.Encode(texts["dashboard.fairness"])}</h2>")
            .Append(CultureInfo.InvariantCulture, $"<p class=\"note\">{Html.Encode(texts["dashboard.fairness.note"])}</p>");
        FairnessChart(page, texts, "fairness-sex", texts["dashboard.fairness.sex"], bySex);
        FairnessChart(page, texts, "fairness-category", texts["dashboard.fairness.category"], byCategory);
        page.Append(CultureInfo.InvariantCulture, $"</section><section><h2>{Html.Encode(texts["dashboard.time"])}</h2>");
        TimeChart(page, texts, times);
        page.Append("</section>");
        Downloads(page, texts, context);
        return Close(page);
    }

    /// <summary>The script that downloads the CSV tables with the bearer token the analyst signed in with.</summary>
    [WolverineGet("/dashboard/downloads.js", OperationId = "AnalyticsDashboardScript")]
    [ExcludeFromDescription]
    // The script's own text: no data, no personal data; the CSVs it fetches still need the analyst's token.
    [AllowAnonymous]
    public static IResult Script() => Results.Text(ScriptSource.Value, "text/javascript; charset=utf-8");

    private static readonly Lazy<string> ScriptSource = new(() =>
    {
        using var stream = typeof(Dashboard).Assembly.GetManifestResourceStream("Merit.Analytics.Dashboard.js")
            ?? throw new InvalidOperationException("The embedded resource Merit.Analytics.Dashboard.js is missing.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    });

    /// <summary>The page's language: <c>?lang=id|en</c> when given, else the request's (Accept-Language, Indonesian by default).</summary>
    public static Texts Language(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var asked = request.Query[LanguageParameter].ToString();
        return Texts.IsKnown(asked) ? Texts.For(asked) : Texts.Current;
    }

    private static string Address(Guid? roundId, string? instansi, string lang)
    {
        var query = new List<string>();
        if (roundId is { } id)
        {
            query.Add(string.Create(CultureInfo.InvariantCulture, $"roundId={id}"));
        }

        if (instansi is not null)
        {
            query.Add("instansi=" + Uri.EscapeDataString(instansi));
        }

        query.Add($"{LanguageParameter}={lang}");
        return "/dashboard?" + string.Join("&", query);
    }

    /// <summary>
    /// The page's head, heading and language switch. <paramref name="switchTo"/> gives the address of this page in a
    /// language (<c>id</c> or <c>en</c>); null for a page without a switch.
    /// </summary>
    internal static void Open(StringBuilder page, Texts texts, string title, Func<string, string>? switchTo)
    {
        page.Append(CultureInfo.InvariantCulture, $"""
            <!DOCTYPE html>
            <html lang="{texts.Language}"><head><meta charset="utf-8"><title>{Html.Encode(title)}</title>
            <meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">
            """).Append("""
            <style>
            *,*::before,*::after{box-sizing:border-box}[hidden]{display:none !important}
            body{font-family:"DejaVu Sans",Arial,sans-serif;margin:24px auto;padding:0 12px;max-width:820px;color:#1d2733;background:#fff;overflow-wrap:anywhere}
            header{display:flex;justify-content:space-between;align-items:baseline;gap:12px;flex-wrap:wrap}
            h1{font-size:22px;margin:0 0 12px}h2{font-size:17px;margin:28px 0 6px}h3{font-size:14px;margin:14px 0 4px}
            nav.lang{font-size:13px}nav.lang a[aria-current]{font-weight:bold;color:inherit;text-decoration:none}
            form,.sign-in{display:flex;gap:12px;align-items:end;flex-wrap:wrap;background:#f3f5f8;padding:10px 12px;border-radius:6px}
            label{display:flex;flex-direction:column;font-size:12px;gap:3px;min-width:0;max-width:100%}
            select,button,input{font-size:14px;padding:4px;max-width:100%}
            .note,.fresh,.empty{font-size:12px;color:#52606d}.fresh.behind{color:#a15c00}.error{font-size:13px;color:#a11d12}
            svg.chart{display:block;width:100%;max-width:560px;height:auto}
            svg text{font-size:13px;fill:#1d2733}svg .value{font-size:12px}.suppressed{fill:url(#hatch);stroke:#9aa5b1}
            .bar{fill:#2f6fb0}.bar.flag{fill:#c0392b}.bar.p90{fill:#9cc0e6}.axis{stroke:#52606d;stroke-dasharray:4 3}
            .table{max-width:100%;overflow-x:auto}
            ul.csv{font-size:13px;columns:2 14em;padding-left:20px}
            </style></head><body>
            """).Append(CultureInfo.InvariantCulture, $"<header><h1>{Html.Encode(title)}</h1>");
        if (switchTo is not null)
        {
            page.Append(CultureInfo.InvariantCulture, $"<nav class=\"lang\" aria-label=\"{Html.Encode(texts["dashboard.language"])}\">");
            foreach (var language in Texts.All)
            {
                var current = ReferenceEquals(language, texts) ? " aria-current=\"page\"" : "";
                page.Append(CultureInfo.InvariantCulture, $"{(ReferenceEquals(language, Texts.All[0]) ? "" : " | ")}<a href=\"{Html.Encode(switchTo(language.Language))}\" hreflang=\"{language.Language}\" data-lang=\"{language.Language}\"{current}>{language.Language}</a>");
            }

            page.Append("</nav>");
        }

        page.Append("""
            </header>
            <svg width="0" height="0" style="position:absolute"><defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#eef1f4"/><line x1="0" y1="0" x2="0" y2="6" stroke="#9aa5b1" stroke-width="2"/></pattern></defs></svg>

            """);
    }

    internal static IResult Close(StringBuilder page) =>
        Results.Content(page.Append("</body></html>\n").ToString(), "text/html; charset=utf-8");

    private static void Filters(StringBuilder page, Texts texts, IReadOnlyList<(Recruitment.Round Round, IReadOnlyList<string> Instansi)> rounds, Guid roundId, IReadOnlyList<string> instansi, string? selected)
    {
        page.Append(CultureInfo.InvariantCulture, $"<form method=\"get\" action=\"/dashboard\"><label>{Html.Encode(texts["dashboard.round"])}<select name=\"roundId\">");
        foreach (var (round, _) in rounds)
        {
            page.Append(CultureInfo.InvariantCulture, $"<option value=\"{round.Id}\"{(round.Id == roundId ? " selected" : "")}>{Html.Encode(round.Code)} — {Html.Encode(round.Name)}</option>");
        }

        page.Append(CultureInfo.InvariantCulture, $"</select></label><label>{Html.Encode(texts["dashboard.instansi"])}<select name=\"instansi\"><option value=\"\">{Html.Encode(texts["dashboard.all-instansi"])}</option>");
        foreach (var code in instansi)
        {
            page.Append(CultureInfo.InvariantCulture, $"<option value=\"{Html.Encode(code)}\"{(code == selected ? " selected" : "")}>{Html.Encode(code)}</option>");
        }

        page.Append(CultureInfo.InvariantCulture, $"</select></label><input type=\"hidden\" name=\"{LanguageParameter}\" value=\"{texts.Language}\"><button type=\"submit\">{Html.Encode(texts["dashboard.show"])}</button></form>");
    }

    private static void Freshness(StringBuilder page, Texts texts, ReportContext context)
    {
        var f = context.Freshness;
        var text = f.EventsBehind == 0
            ? texts.Format("dashboard.fresh.current", f.NewestEventSequence)
            : texts.Format("dashboard.fresh.behind", Whole(texts, f.EventsBehind), f.SecondsBehind is { } s ? texts.Format("dashboard.fresh.seconds", texts.Number(s.ToString("0.#", CultureInfo.InvariantCulture))) : "", f.ProjectedThroughSequence, f.NewestEventSequence);
        page.Append(CultureInfo.InvariantCulture, $"<p class=\"fresh{(f.EventsBehind == 0 ? "" : " behind")}\" data-events-behind=\"{f.EventsBehind}\">{Html.Encode(text)} {Html.Encode(texts.Format("dashboard.suppressed-note", context.MinimumCellSize))}</p>");
    }

    private static readonly string[] FunnelStages = ["registered", "ms", "skdThresholdMet", "admittedToSkb", "finalPass", "nipIssued"];

    private static void FunnelChart(StringBuilder page, Texts texts, FunnelTable funnel)
    {
        var t = funnel.Total;
        int?[] values = [t.Registered, t.Ms, t.SkdThresholdMet, t.AdmittedToSkb, t.FinalPass, t.NipIssued];
        var max = Math.Max(1, values.Max() ?? 0);
        var svg = Svg(page, "funnel", FunnelStages.Length, texts["dashboard.funnel.chart"]);
        for (var i = 0; i < FunnelStages.Length; i++)
        {
            Bar(svg, texts, "funnel", FunnelStages[i], texts["dashboard.funnel." + FunnelStages[i]], i, values[i], max, flag: false, format: v => Whole(texts, v));
        }

        svg.Append("</svg>");
        // Beside the chart, not in it: a line of text in an SVG neither wraps nor shrinks to a narrow screen.
        page.Append(CultureInfo.InvariantCulture, $"<p class=\"note\" id=\"funnel-totals\">{Html.Encode(texts.Format("dashboard.funnel.totals", Whole(texts, t.Formations), Whole(texts, t.Allocation), Show(texts, t.VacantAfterFinal), Show(texts, t.FilledByOptimisation), Show(texts, t.VacantNow), Show(texts, t.Withdrawals)))}</p>");
    }

    private static void FairnessChart(StringBuilder page, Texts texts, string chart, string title, FairnessTable table)
    {
        page.Append(CultureInfo.InvariantCulture, $"<h3>{Html.Encode(title)}</h3>");
        // A group no one of which reached the step before has no rate to show.
        var rows = table.Stages.SelectMany(s => s.Groups.Where(g => g.Rate is not null || g.Suppressed.Count > 0).Select(g => (Stage: s.Stage, Group: g))).ToList();
        if (rows.Count == 0)
        {
            page.Append(CultureInfo.InvariantCulture, $"<p class=\"empty\">{Html.Encode(texts["dashboard.no-applicants"])}</p>");
            return;
        }

        var svg = Svg(page, chart, rows.Count, title);
        var lineX = (int)(BarArea * table.Threshold);
        for (var i = 0; i < rows.Count; i++)
        {
            var (stage, group) = rows[i];
            var ratio = group.RatioToHighest;
            Bar(svg, texts, chart, $"{stage}/{group.Group}", $"{texts["dashboard.step." + stage]} · {group.Group}", i, ratio is { } r ? (int?)Math.Round(r * 10_000) : null, 10_000,
                flag: group.BelowFourFifths == true, format: v => texts.Number((v / 10_000.0).ToString("0.00", CultureInfo.InvariantCulture)), value: ratio?.ToString("0.####", CultureInfo.InvariantCulture),
                missing: group.Suppressed.Count > 0 ? Missing.Suppressed : Missing.NoRate);
        }

        svg.Append(CultureInfo.InvariantCulture, $"<line class=\"axis\" x1=\"{lineX}\" y1=\"0\" x2=\"{lineX}\" y2=\"{rows.Count * RowHeight}\"/><text x=\"{lineX + 3}\" y=\"{(rows.Count * RowHeight) + 14}\" class=\"value\">{texts.Number(table.Threshold.ToString("0.0", CultureInfo.InvariantCulture))}</text></svg>");
    }

    private static void TimeChart(StringBuilder page, Texts texts, DecisionTimesTable times)
    {
        var rows = times.AllInstansi;
        if (rows.Count == 0)
        {
            page.Append(CultureInfo.InvariantCulture, $"<p class=\"empty\">{Html.Encode(texts["dashboard.time.none"])}</p>");
            return;
        }

        page.Append(CultureInfo.InvariantCulture, $"<p class=\"note\">{Html.Encode(texts["dashboard.time.note"])}</p>");
        var max = Math.Max(1, rows.Max(r => r.P90Hours ?? 0));
        var svg = Svg(page, "time", rows.Count * 2, texts["dashboard.time.chart"]);
        string Hours(int v) => texts.Format("dashboard.time.hours", texts.Number((v / 100.0).ToString("0.##", CultureInfo.InvariantCulture)));
        for (var i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            var stage = texts.Find("dashboard.time.stage." + r.Stage) ?? r.Stage;
            Bar(svg, texts, "time-median", r.Stage, $"{stage} (n={Show(texts, r.Decisions)})", 2 * i, Hundredths(r.MedianHours), Hundredths(max)!.Value, flag: false,
                format: Hours, value: r.MedianHours?.ToString(CultureInfo.InvariantCulture));
            Bar(svg, texts, "time-p90", r.Stage, texts["dashboard.time.p90"], (2 * i) + 1, Hundredths(r.P90Hours), Hundredths(max)!.Value, flag: false,
                format: Hours, value: r.P90Hours?.ToString(CultureInfo.InvariantCulture), cssClass: "bar p90");
        }

        svg.Append("</svg>");
    }

    /// <summary>The CSV tables this page's filter selects, the API's URLs; <c>downloads.js</c> fetches them with the signed-in analyst's token.</summary>
    internal static readonly string[] Tables = ["funnel", "fairness", "time-to-decision", "skd-distribution", "cut-offs", "tie-breaks"];

    private static void Downloads(StringBuilder page, Texts texts, ReportContext context)
    {
        var query = context.Filter.Instansi is { } i ? "?instansi=" + Uri.EscapeDataString(i) : "";
        page.Append(CultureInfo.InvariantCulture, $"<section id=\"downloads\"><h2>{Html.Encode(texts["dashboard.tables"])}</h2>")
            .Append(CultureInfo.InvariantCulture, $"<p class=\"note\">{Html.Encode(texts["dashboard.sign-in.note"])}</p>")
            .Append(CultureInfo.InvariantCulture, $"<div class=\"sign-in\" id=\"sign-in\"><label>{Html.Encode(texts["dashboard.sign-in.token"])}<input id=\"token\" type=\"password\" autocomplete=\"off\" spellcheck=\"false\"></label><button type=\"button\" id=\"sign-in-button\">{Html.Encode(texts["dashboard.sign-in"])}</button></div>")
            .Append(CultureInfo.InvariantCulture, $"<p class=\"note\" id=\"signed-in\" hidden>{Html.Encode(texts["dashboard.signed-in"])} <button type=\"button\" id=\"sign-out\">{Html.Encode(texts["dashboard.sign-out"])}</button></p>")
            .Append("<ul class=\"csv\">");
        foreach (var name in Tables)
        {
            page.Append(CultureInfo.InvariantCulture, $"<li><a href=\"/analytics/rounds/{context.RoundId}/{name}.csv{Html.Encode(query)}\" download=\"{Html.Encode(context.RoundCode)}-{name}.csv\" data-csv=\"{name}\">{Html.Encode(texts["dashboard.csv." + name])}</a></li>");
        }

        // The script's messages, here so that they come from the resource files like every other text.
        page.Append(CultureInfo.InvariantCulture, $"</ul><p class=\"error\" id=\"download-error\" role=\"alert\" hidden")
            .Append(CultureInfo.InvariantCulture, $" data-sign-in=\"{Html.Encode(texts["dashboard.error.sign-in"])}\" data-unauthorized=\"{Html.Encode(texts["dashboard.error.unauthorized"])}\"")
            .Append(CultureInfo.InvariantCulture, $" data-forbidden=\"{Html.Encode(texts["dashboard.error.forbidden"])}\" data-failed=\"{Html.Encode(texts["dashboard.error.failed"])}\"></p>")
            .Append(CultureInfo.InvariantCulture, $"<p class=\"note\">{Html.Encode(texts["dashboard.api-note"])}</p></section>")
            .Append("<script src=\"/dashboard/downloads.js\" defer></script>");
    }

    internal static StringBuilder Svg(StringBuilder page, string chart, int rows, string title)
    {
        var height = (rows * RowHeight) + 24;
        return page.Append(CultureInfo.InvariantCulture, $"<svg id=\"{chart}\" class=\"chart\" role=\"img\" aria-label=\"{Html.Encode(title)}\" width=\"{Width}\" height=\"{height}\" viewBox=\"0 0 {Width} {height}\" preserveAspectRatio=\"xMinYMin meet\">");
    }

    /// <summary>Why a bar has no value: its <c>data-value</c> (the same in every language) and the key of the text shown.</summary>
    internal enum Missing
    {
        Suppressed,
        NoRate,
    }

    /// <summary>One labelled bar; a null value (a suppressed cell, or no rate) is drawn hatched with the text of <paramref name="missing"/> and no number.</summary>
    internal static void Bar(StringBuilder svg, Texts texts, string chart, string key, string label, int row, int? amount, int max, bool flag, Func<int, string> format, string? value = null, string? cssClass = null, Missing missing = Missing.Suppressed)
    {
        var y = row * RowHeight;
        var shown = value ?? amount?.ToString(CultureInfo.InvariantCulture);
        var (code, text) = missing == Missing.Suppressed ? ("suppressed", texts["dashboard.suppressed"]) : ("no rate", texts["dashboard.no-rate"]);
        svg.Append(CultureInfo.InvariantCulture, $"<g data-chart=\"{chart}\" data-key=\"{Html.Encode(key)}\" data-value=\"{(amount is null ? code : Html.Encode(shown!))}\">");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"0\" y=\"{y + 13}\">{Html.Encode(label.Trim())}</text>");
        if (amount is { } a)
        {
            var width = Math.Max(a > 0 ? 1 : 0, (int)Math.Round(BarArea * (double)a / max));
            svg.Append(CultureInfo.InvariantCulture, $"<rect class=\"{cssClass ?? (flag ? "bar flag" : "bar")}\" x=\"0\" y=\"{y + 17}\" width=\"{width}\" height=\"{RowHeight - 21}\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"value\" x=\"{width + 4}\" y=\"{y + 28}\">{Html.Encode(format(a))}{(flag ? " ⚑" : "")}</text>");
        }
        else
        {
            svg.Append(CultureInfo.InvariantCulture, $"<rect class=\"suppressed\" x=\"0\" y=\"{y + 17}\" width=\"{BarArea / 4}\" height=\"{RowHeight - 21}\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"value\" x=\"{(BarArea / 4) + 4}\" y=\"{y + 28}\">{Html.Encode(text)}</text>");
        }

        svg.Append("</g>");
    }

    private static int? Hundredths(double? hours) => hours is { } h ? (int)Math.Round(h * 100) : null;

    /// <summary>A count as the language writes it: 1,500 in English, 1.500 in Bahasa Indonesia.</summary>
    internal static string Whole(Texts texts, long value)
    {
        var invariant = value.ToString("N0", CultureInfo.InvariantCulture);
        return ReferenceEquals(texts, Texts.Indonesian) ? invariant.Replace(',', '.') : invariant;
    }

    internal static string Show(Texts texts, int? value) => value is { } v ? Whole(texts, v) : texts["dashboard.suppressed"];
}
