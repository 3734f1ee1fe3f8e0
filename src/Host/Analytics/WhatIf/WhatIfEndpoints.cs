using System.Security.Claims;
using System.Text;
using Merit.Infrastructure;
using Merit.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Merit.Analytics;

/// <summary>
/// What-ifs for policy analysts (docs/adr/0042): a recorded round decided again under a variant rule set, counts
/// only, every count of people protected by small-cell suppression; each run recorded for auditors.
/// </summary>
public static class WhatIfEndpoints
{
    public const int MaxDocumentBytes = 256 * 1024;

    /// <summary>
    /// Decide round <c>roundId</c> again under the variant rule set in the body (a rule-set document derived from the
    /// round's own, with a version name of its own; <c>GET /analytics/rule-sets/{version}</c> gives the one to start
    /// from). Writes nothing to the round; records the what-if and answers with it.
    /// </summary>
    [WolverinePost("/analytics/rounds/{roundId}/what-ifs", OperationId = "RunWhatIf")]
    [ProducesResponseType<WhatIfReport>(StatusCodes.Status201Created)]
    [Tags("Analytics")]
    [Consumes("application/json")]
    [ProducesResponseType<WhatIfReport>(StatusCodes.Status201Created)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status422UnprocessableEntity, "application/problem+json")]
    [Authorize(Roles = Roles.Analyst)]
    public static async Task<IResult> Run(Guid roundId, HttpRequest request, ClaimsPrincipal user, WhatIfStudies studies, WhatIfReports reports, CancellationToken ct)
    {
        string document;
        using (var reader = new StreamReader(request.Body, Encoding.UTF8))
        {
            var buffer = new char[MaxDocumentBytes + 1];
            var read = await reader.ReadBlockAsync(buffer.AsMemory(), ct);
            if (read > MaxDocumentBytes)
            {
                return Results.Problem(Problems.From(new Deciding.Refusal(Deciding.RefusalKind.Invalid, "what-if.rule-set-too-large", $"A rule-set document is at most {MaxDocumentBytes} bytes.", "ruleSet")));
            }

            document = new string(buffer, 0, read);
        }

        var (studied, refusal) = await studies.RunAsync(roundId, document, user.Identity?.Name ?? "anonymous", Guid.NewGuid(), ct);
        return refusal is not null
            ? Results.Problem(Problems.From(refusal))
            : Results.Created($"/analytics/what-ifs/{studied!.WhatIfId}", reports.Report(studied));
    }

    /// <summary>The what-ifs studied, newest first, for one round when given: who asked, which variant (version and SHA-256), when.</summary>
    [WolverineGet("/analytics/what-ifs", OperationId = "ListWhatIfs")]
    [Tags("Analytics")]
    [Authorize(Roles = Roles.Analyst + "," + Roles.Auditor + "," + Roles.Admin)]
    public static Task<IReadOnlyList<WhatIfListed>> List(Guid? roundId, WhatIfStudies studies, CancellationToken ct) => studies.ListAsync(roundId, ct);

    /// <summary>A recorded what-if: both outcomes by instansi, category, sex and location, the transitions, fairness.</summary>
    [WolverineGet("/analytics/what-ifs/{whatIfId}", OperationId = "GetWhatIf")]
    [Tags("Analytics")]
    [ProducesResponseType<WhatIfReport>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [Authorize(Roles = Roles.Analyst + "," + Roles.Auditor + "," + Roles.Admin)]
    public static async Task<IResult> Get(Guid whatIfId, WhatIfStudies studies, WhatIfReports reports, CancellationToken ct) =>
        await studies.LoadAsync(whatIfId, ct) is { } studied ? Results.Ok(reports.Report(studied)) : Results.Problem(Problems.NotFound("what-if", whatIfId));

    /// <summary>The variant document a recorded what-if ran under, exactly as submitted.</summary>
    [WolverineGet("/analytics/what-ifs/{whatIfId}/rule-set", OperationId = "GetWhatIfRuleSet")]
    [ProducesResponseType<Recruitment.RuleSet>(StatusCodes.Status200OK, "application/json")]
    [Tags("Analytics")]
    [Authorize(Roles = Roles.Analyst + "," + Roles.Auditor + "," + Roles.Admin)]
    public static async Task<IResult> RuleSet(Guid whatIfId, WhatIfStudies studies, CancellationToken ct) =>
        await studies.LoadAsync(whatIfId, ct) is { } studied ? Results.Text(studied.VariantDocument, "application/json") : Results.Problem(Problems.NotFound("what-if", whatIfId));

    /// <summary>A shipped rule-set document, to derive a variant from.</summary>
    [WolverineGet("/analytics/rule-sets/{version}", OperationId = "GetRuleSetDocument")]
    [ProducesResponseType<Recruitment.RuleSet>(StatusCodes.Status200OK, "application/json")]
    [Tags("Analytics")]
    [Authorize(Roles = Roles.Analyst + "," + Roles.Auditor + "," + Roles.Admin)]
    public static IResult ShippedRuleSet(string version) =>
        Recruitment.RuleSetCatalog.Document(version) is { } document ? Results.Text(document, "application/json") : Results.Problem(Problems.NotFound("rule set", version));

    /// <summary>A page of the per-formation comparison.</summary>
    [WolverineGet("/analytics/what-ifs/{whatIfId}/formations", OperationId = "GetWhatIfFormations")]
    [Tags("Analytics")]
    [ProducesResponseType<WhatIfFormationPage>(StatusCodes.Status200OK)]
    [Authorize(Roles = Roles.Analyst + "," + Roles.Auditor + "," + Roles.Admin)]
    public static async Task<IResult> Formations(Guid whatIfId, int? offset, int? limit, WhatIfStudies studies, WhatIfReports reports, CancellationToken ct)
    {
        var (start, take) = (Math.Max(0, offset ?? 0), Math.Clamp(limit ?? 100, 1, AnalyticsEndpoints.MaxPage));
        var (rows, total) = await studies.FormationsAsync(whatIfId, start, take, ct);
        return total == 0 ? Results.Problem(Problems.NotFound("what-if", whatIfId)) : Results.Ok(reports.Formations(whatIfId, rows, total, start, take));
    }

    /// <summary>A table of a recorded what-if as text/csv: <c>groups</c>, <c>transitions</c>, <c>fairness</c> or <c>formations</c>.</summary>
    [WolverineGet("/analytics/what-ifs/{whatIfId}/{table}.csv", OperationId = "ExportWhatIfCsv")]
    [Tags("Analytics")]
    [Produces("text/csv")]
    [Authorize(Roles = Roles.Analyst + "," + Roles.Auditor + "," + Roles.Admin)]
    public static async Task<IResult> Csv(Guid whatIfId, string table, WhatIfStudies studies, WhatIfReports reports, CancellationToken ct)
    {
        if (!WhatIfExports.Tables.Contains(table))
        {
            return Results.Problem(Problems.From(new Deciding.Refusal(Deciding.RefusalKind.Invalid, "what-if.table", $"A what-if table is one of {string.Join(", ", WhatIfExports.Tables)}.", "table")));
        }

        if (await studies.LoadAsync(whatIfId, ct) is not { } studied)
        {
            return Results.Problem(Problems.NotFound("what-if", whatIfId));
        }

        var report = reports.Report(studied);
        var csv = table switch
        {
            "groups" => WhatIfExports.GroupsCsv(report),
            "transitions" => WhatIfExports.TransitionsCsv(report),
            "fairness" => WhatIfExports.FairnessCsv(report),
            _ => WhatIfExports.FormationsCsv(await AllFormationsAsync(whatIfId, studies, reports, ct)),
        };
        return Results.File(Encoding.UTF8.GetBytes(csv), "text/csv; charset=utf-8", $"what-if-{whatIfId:N}-{table}.csv");
    }

    /// <summary>Every table of a recorded what-if as one XLSX workbook, a sheet per table.</summary>
    [WolverineGet("/analytics/what-ifs/{whatIfId}.xlsx", OperationId = "ExportWhatIfXlsx")]
    [Tags("Analytics")]
    [Produces("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")]
    [Authorize(Roles = Roles.Analyst + "," + Roles.Auditor + "," + Roles.Admin)]
    public static async Task<IResult> Xlsx(Guid whatIfId, WhatIfStudies studies, WhatIfReports reports, CancellationToken ct)
    {
        if (await studies.LoadAsync(whatIfId, ct) is not { } studied)
        {
            return Results.Problem(Problems.NotFound("what-if", whatIfId));
        }

        var workbook = await WhatIfExports.WorkbookAsync(reports.Report(studied), await AllFormationsAsync(whatIfId, studies, reports, ct), ct);
        return Results.File(workbook, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", $"what-if-{whatIfId:N}.xlsx");
    }

    private static async Task<List<WhatIfFormationShown>> AllFormationsAsync(Guid whatIfId, WhatIfStudies studies, WhatIfReports reports, CancellationToken ct)
    {
        var rows = new List<Merit.Analytics.WhatIf.FormationComparison>();
        await foreach (var row in studies.AllFormationsAsync(whatIfId, ct))
        {
            rows.Add(row);
        }

        return [.. reports.Formations(whatIfId, rows, rows.Count, 0, rows.Count).Rows];
    }
}
