using Merit.Security;
using Microsoft.AspNetCore.Authorization;
using Merit.Deciding;
using Merit.Infrastructure;
using Merit.Recruitment;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Merit.Analytics;

/// <summary>A round analytics can report on, with its instansi for the filters.</summary>
public sealed record AnalyticsRound(Guid Id, string Code, string Name, RoundStage Stage, IReadOnlyList<string> Instansi);

public sealed record AnalyticsRounds(int MinimumCellSize, Freshness Freshness, IReadOnlyList<AnalyticsRound> Rounds);

/// <summary>
/// Analytics for policy analysts (KemenPANRB, BKN): aggregate tables of a round from the asynchronous read
/// models, as JSON or text/csv, every count of people protected by small-cell suppression, never personal data.
/// Filters: instansi (code), category (code), location, position. Each answer carries <c>freshness</c> (JSON) or
/// the <c>X-Merit-Analytics-*</c> headers (CSV): how far behind the newest event the read models are.
/// </summary>
public static class AnalyticsEndpoints
{
    public const int MaxPage = 1000;

    /// <summary>The rounds with analytics, and the instansi of each.</summary>
    [WolverineGet("/analytics/rounds", OperationId = "ListAnalyticsRounds")]
    [Tags("Analytics")]
    [Authorize(Roles = Roles.Analyst + "," + Roles.Auditor + "," + Roles.Admin)]
    public static async Task<AnalyticsRounds> Rounds(AnalyticsQueries queries, FreshnessReader freshness, Microsoft.Extensions.Options.IOptions<AnalyticsOptions> options, CancellationToken ct)
    {
        var rounds = await queries.RoundsAsync(ct);
        return new AnalyticsRounds(
            options.Value.MinimumCellSize,
            await freshness.ReadAsync(ct),
            rounds.Select(r => new AnalyticsRound(r.Round.Id, r.Round.Code, r.Round.Name, r.Round.Stage, r.Instansi)).ToList());
    }

    /// <summary>
    /// The funnel: registered → MS after appeals → SKD threshold met → admitted to SKB → final pass (P/L) → NIP issued,
    /// with step rates and the optimisation effect, grouped by <c>by</c> (instansi, category, position, location or all).
    /// </summary>
    [WolverineGet("/analytics/rounds/{roundId}/funnel", OperationId = "GetAnalyticsFunnel")]
    [Tags("Analytics")]
    [ProducesResponseType<FunnelTable>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [Authorize(Roles = Roles.Analyst + "," + Roles.Auditor + "," + Roles.Admin)]
    public static Task<IResult> Funnel(Guid roundId, string? by, string? instansi, string? category, string? location, string? position, AnalyticsReports reports, CancellationToken ct) =>
        JsonAsync(roundId, Filter(instansi, category, location, position), by, reports, (c, d) => reports.FunnelAsync(c, d, ct), ct);

    /// <summary>The funnel as text/csv.</summary>
    [WolverineGet("/analytics/rounds/{roundId}/funnel.csv", OperationId = "ExportAnalyticsFunnel")]
    [Tags("Analytics")]
    [Produces("text/csv")]
    [Authorize(Roles = Roles.Analyst + "," + Roles.Auditor + "," + Roles.Admin)]
    public static Task FunnelCsv(Guid roundId, string? by, string? instansi, string? category, string? location, string? position, HttpContext http, AnalyticsReports reports, CancellationToken ct) =>
        CsvAsync(http, roundId, Filter(instansi, category, location, position), by, reports, "funnel", async (c, d) => AnalyticsCsv.Funnel(await reports.FunnelAsync(c, d, ct)), ct);

    /// <summary>
    /// Pass rates at each step by <c>attribute</c> (sex, category — disability is one — or location), with each group's
    /// selection-rate ratio to the group with the highest rate and a flag under 0.8 (four-fifths rule of thumb).
    /// </summary>
    [WolverineGet("/analytics/rounds/{roundId}/fairness", OperationId = "GetAnalyticsFairness")]
    [Tags("Analytics")]
    [ProducesResponseType<FairnessTable>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [Authorize(Roles = Roles.Analyst + "," + Roles.Auditor + "," + Roles.Admin)]
    public static Task<IResult> Fairness(Guid roundId, string? attribute, string? instansi, string? category, string? location, string? position, AnalyticsReports reports, CancellationToken ct) =>
        AttributeProblem(attribute) is { } problem
            ? Task.FromResult(problem)
            : JsonAsync(roundId, Filter(instansi, category, location, position), null, reports, (c, _) => reports.FairnessAsync(c, attribute ?? "sex", ct), ct);

    /// <summary>The fairness table as text/csv.</summary>
    [WolverineGet("/analytics/rounds/{roundId}/fairness.csv", OperationId = "ExportAnalyticsFairness")]
    [Tags("Analytics")]
    [Produces("text/csv")]
    [Authorize(Roles = Roles.Analyst + "," + Roles.Auditor + "," + Roles.Admin)]
    public static async Task FairnessCsv(Guid roundId, string? attribute, string? instansi, string? category, string? location, string? position, HttpContext http, AnalyticsReports reports, CancellationToken ct)
    {
        if (AttributeProblem(attribute) is { } problem)
        {
            await problem.ExecuteAsync(http);
            return;
        }

        await CsvAsync(http, roundId, Filter(instansi, category, location, position), null, reports, "fairness", async (c, _) => AnalyticsCsv.Fairness(await reports.FairnessAsync(c, attribute ?? "sex", ct)), ct);
    }

    /// <summary>
    /// Time to decision per instansi and stage — from the opening of the round stage the decision is taken in, or for
    /// appeals from the filing to the answer — as the count, median and 90th percentile in hours.
    /// </summary>
    [WolverineGet("/analytics/rounds/{roundId}/time-to-decision", OperationId = "GetAnalyticsTimeToDecision")]
    [Tags("Analytics")]
    [ProducesResponseType<DecisionTimesTable>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [Authorize(Roles = Roles.Analyst + "," + Roles.Auditor + "," + Roles.Admin)]
    public static Task<IResult> TimeToDecision(Guid roundId, string? instansi, AnalyticsReports reports, CancellationToken ct) =>
        JsonAsync(roundId, Filter(instansi, null, null, null), null, reports, (c, _) => reports.DecisionTimesAsync(c, ct), ct);

    /// <summary>Time to decision as text/csv.</summary>
    [WolverineGet("/analytics/rounds/{roundId}/time-to-decision.csv", OperationId = "ExportAnalyticsTimeToDecision")]
    [Tags("Analytics")]
    [Produces("text/csv")]
    [Authorize(Roles = Roles.Analyst + "," + Roles.Auditor + "," + Roles.Admin)]
    public static Task TimeToDecisionCsv(Guid roundId, string? instansi, HttpContext http, AnalyticsReports reports, CancellationToken ct) =>
        CsvAsync(http, roundId, Filter(instansi, null, null, null), null, reports, "time-to-decision", async (c, _) => AnalyticsCsv.DecisionTimes(await reports.DecisionTimesAsync(c, ct)), ct);

    /// <summary>SKD subtest (TWK, TIU, TKP) and total score histograms per formation category.</summary>
    [WolverineGet("/analytics/rounds/{roundId}/skd-distribution", OperationId = "GetAnalyticsSkdDistribution")]
    [Tags("Analytics")]
    [ProducesResponseType<SkdDistributionTable>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [Authorize(Roles = Roles.Analyst + "," + Roles.Auditor + "," + Roles.Admin)]
    public static Task<IResult> SkdDistribution(Guid roundId, string? category, AnalyticsReports reports, CancellationToken ct) =>
        JsonAsync(roundId, Filter(null, category, null, null), null, reports, (c, _) => reports.SkdDistributionAsync(c, ct), ct);

    /// <summary>The SKD histograms as text/csv.</summary>
    [WolverineGet("/analytics/rounds/{roundId}/skd-distribution.csv", OperationId = "ExportAnalyticsSkdDistribution")]
    [Tags("Analytics")]
    [Produces("text/csv")]
    [Authorize(Roles = Roles.Analyst + "," + Roles.Auditor + "," + Roles.Admin)]
    public static Task SkdDistributionCsv(Guid roundId, string? category, HttpContext http, AnalyticsReports reports, CancellationToken ct) =>
        CsvAsync(http, roundId, Filter(null, category, null, null), null, reports, "skd-distribution", async (c, _) => AnalyticsCsv.SkdDistribution(await reports.SkdDistributionAsync(c, ct)), ct);

    /// <summary>The SKD cut-off score each formation actually reached, with its ties, a page at a time by formation code (limit at most 1000).</summary>
    [WolverineGet("/analytics/rounds/{roundId}/cut-offs", OperationId = "GetAnalyticsCutOffs")]
    [Tags("Analytics")]
    [ProducesResponseType<CutOffTable>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [Authorize(Roles = Roles.Analyst + "," + Roles.Auditor + "," + Roles.Admin)]
    public static Task<IResult> CutOffs(Guid roundId, string? instansi, string? category, string? location, string? position, int? offset, int? limit, AnalyticsReports reports, CancellationToken ct) =>
        offset < 0 || limit is < 1 or > MaxPage
            ? Task.FromResult(Problems.ToResult(new Refusal(RefusalKind.Invalid, "analytics.page", $"offset must be 0 or more and limit 1 to {MaxPage}.", "limit")))
            : JsonAsync(roundId, Filter(instansi, category, location, position), null, reports, (c, _) => reports.CutOffsAsync(c, offset ?? 0, limit ?? 100, ct), ct);

    /// <summary>Every formation's cut-off as text/csv (no paging).</summary>
    [WolverineGet("/analytics/rounds/{roundId}/cut-offs.csv", OperationId = "ExportAnalyticsCutOffs")]
    [Tags("Analytics")]
    [Produces("text/csv")]
    [Authorize(Roles = Roles.Analyst + "," + Roles.Auditor + "," + Roles.Admin)]
    public static Task CutOffsCsv(Guid roundId, string? instansi, string? category, string? location, string? position, HttpContext http, AnalyticsReports reports, CancellationToken ct) =>
        CsvAsync(http, roundId, Filter(instansi, category, location, position), null, reports, "cut-offs", async (c, _) => AnalyticsCsv.CutOffs(await reports.CutOffsAsync(c, 0, int.MaxValue, ct)), ct);

    /// <summary>Places decided by a tie, grouped by <c>by</c>: admitted to the SKB on a tie, passed on a tie-break, referred to Panselnas.</summary>
    [WolverineGet("/analytics/rounds/{roundId}/tie-breaks", OperationId = "GetAnalyticsTieBreaks")]
    [Tags("Analytics")]
    [ProducesResponseType<TieBreakTable>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [Authorize(Roles = Roles.Analyst + "," + Roles.Auditor + "," + Roles.Admin)]
    public static Task<IResult> TieBreaks(Guid roundId, string? by, string? instansi, string? category, string? location, string? position, AnalyticsReports reports, CancellationToken ct) =>
        JsonAsync(roundId, Filter(instansi, category, location, position), by, reports, (c, d) => reports.TieBreaksAsync(c, d, ct), ct);

    /// <summary>The tie-break table as text/csv.</summary>
    [WolverineGet("/analytics/rounds/{roundId}/tie-breaks.csv", OperationId = "ExportAnalyticsTieBreaks")]
    [Tags("Analytics")]
    [Produces("text/csv")]
    [Authorize(Roles = Roles.Analyst + "," + Roles.Auditor + "," + Roles.Admin)]
    public static Task TieBreaksCsv(Guid roundId, string? by, string? instansi, string? category, string? location, string? position, HttpContext http, AnalyticsReports reports, CancellationToken ct) =>
        CsvAsync(http, roundId, Filter(instansi, category, location, position), by, reports, "tie-breaks", async (c, d) => AnalyticsCsv.TieBreaks(await reports.TieBreaksAsync(c, d, ct)), ct);

    public static AnalyticsFilter Filter(string? instansi, string? category, string? location, string? position) =>
        new(Blank(instansi), Blank(category), Blank(location), Blank(position));

    /// <summary>The filter's and grouping's problem, if any; the grouping defaults to instansi.</summary>
    public static Refusal? Check(AnalyticsFilter filter, string? by, out Dimension dimension)
    {
        dimension = Dimension.Instansi;
        if (Blank(by) is { } name && (int.TryParse(name, out _) || !Enum.TryParse(name, ignoreCase: true, out dimension)))
        {
            return new Refusal(RefusalKind.Invalid, "analytics.by", "by must be instansi, category, position, location or all.", "by");
        }

        if (filter.Category is { } category && !FormationCategories.TryParse(category, out _))
        {
            return new Refusal(RefusalKind.Invalid, "analytics.category", $"category must be one of {string.Join(", ", FormationCategories.Codes)}.", "category");
        }

        return null;
    }

    private static IResult? AttributeProblem(string? attribute) =>
        Blank(attribute) is null or "sex" or "category" or "location"
            ? null
            : Problems.ToResult(new Refusal(RefusalKind.Invalid, "analytics.attribute", "attribute must be sex, category or location.", "attribute"));

    private static async Task<IResult> JsonAsync<T>(Guid roundId, AnalyticsFilter filter, string? by, AnalyticsReports reports, Func<ReportContext, Dimension, Task<T>> build, CancellationToken ct)
    {
        if (Check(filter, by, out var dimension) is { } refusal)
        {
            return Problems.ToResult(refusal);
        }

        return await reports.ContextAsync(roundId, filter, ct) is { } context
            ? Results.Ok(await build(context, dimension))
            : Results.Problem(Problems.NotFound("round", roundId));
    }

    private static async Task CsvAsync(HttpContext http, Guid roundId, AnalyticsFilter filter, string? by, AnalyticsReports reports, string name, Func<ReportContext, Dimension, Task<string>> build, CancellationToken ct)
    {
        if (Check(filter, by, out var dimension) is { } refusal)
        {
            await Problems.ToResult(refusal).ExecuteAsync(http);
            return;
        }

        if (await reports.ContextAsync(roundId, filter, ct) is not { } context)
        {
            await Results.Problem(Problems.NotFound("round", roundId)).ExecuteAsync(http);
            return;
        }

        var csv = await build(context, dimension);
        http.Response.ContentType = "text/csv; charset=utf-8";
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"{context.RoundCode}-{name}.csv\"";
        http.Response.Headers["X-Merit-Analytics-Projected-Through"] = context.Freshness.ProjectedThroughSequence.ToString(System.Globalization.CultureInfo.InvariantCulture);
        http.Response.Headers["X-Merit-Analytics-Newest-Event"] = context.Freshness.NewestEventSequence.ToString(System.Globalization.CultureInfo.InvariantCulture);
        http.Response.Headers["X-Merit-Analytics-Events-Behind"] = context.Freshness.EventsBehind.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await http.Response.WriteAsync(csv, ct);
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
