using Microsoft.AspNetCore.Authorization;
using Merit.Security;
using System.Security.Claims;
using Marten;
using Merit.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Merit.Recruitment.Files;

/// <summary>Bulk paths over HTTP: multipart CSV imports, round-wide decisions and the published lists as text/csv.</summary>
public static class FileEndpoints
{
    /// <summary>The largest file an import takes (512 MiB: a national applicants file with names and NIKs), for the body and its multipart section alike.</summary>
    public const long MaxUploadBytes = 512L * 1024 * 1024;

    /// <summary>
    /// Import a CSV file into the round: kind is formations, applicants, verification, skd, skb, or competence (the
    /// results of the rule set's own test, e.g. PPPK's pppk-results.csv). The whole file is checked
    /// first; a file with any error is refused with each line and reason, and nothing is written.
    /// </summary>
    [WolverinePost("/rounds/{roundId}/imports/{kind}", OperationId = "ImportFile")]
    [ProducesResponseType<ImportReport>(StatusCodes.Status200OK)]
    [Tags("Files")]
    [RequestSizeLimit(MaxUploadBytes)]
    [RequestFormLimits(MultipartBodyLengthLimit = MaxUploadBytes)]
    [Authorize(Roles = Roles.Committee)]
    public static async Task<IResult> Import(Guid roundId, string kind, IFormFile file, ClaimsPrincipal user, IQuerySession query, RecruitmentImports imports, CancellationToken ct)
    {
        if (await query.LoadAsync<Round>(roundId, ct) is not { } round)
        {
            return Results.Problem(Problems.NotFound("round", roundId));
        }

        if (Security.RoundScope.Refuse(user, round) is { } outside)
        {
            return outside;
        }

        var actor = user.Identity?.Name ?? "anonymous";
        await using var stream = file.OpenReadStream();
        var report = kind switch
        {
            "formations" => await imports.FormationsAsync(round.Code, stream, actor, null, ct),
            "applicants" => await imports.ApplicantsAsync(round.Code, stream, actor, null, ct),
            "verification" => await imports.VerificationAsync(round.Code, stream, actor, null, ct),
            "skd" => await imports.SkdAsync(round.Code, stream, actor, null, ct),
            "skb" => await imports.SkbAsync(round.Code, stream, actor, null, ct),
            "competence" => await imports.CompetenceAsync(round.Code, stream, actor, null, ct),
            _ => null,
        };
        if (report is null)
        {
            return Results.Problem(Problems.From(new Deciding.Refusal(Deciding.RefusalKind.Invalid, "import.unknown-kind", "kind must be formations, applicants, verification, skd, skb or competence.", "kind")));
        }

        return report.Succeeded ? Results.Ok(report) : Results.Problem(FileProblem(report));
    }

    /// <summary>Decide the SKD cut-off (stage Skb) or the final result (stage Integration) for every formation of the round not yet decided.</summary>
    [WolverinePost("/rounds/{roundId}/decisions/{decision}", OperationId = "DecideForRound")]
    [ProducesResponseType<RoundDecisionReport>(StatusCodes.Status200OK)]
    [Tags("Decisions")]
    [Authorize(Roles = Roles.Committee)]
    public static async Task<IResult> Decide(Guid roundId, string decision, ClaimsPrincipal user, IQuerySession query, RoundWideDecisions decisions, CancellationToken ct)
    {
        if (await query.LoadAsync<Round>(roundId, ct) is not { } round)
        {
            return Results.Problem(Problems.NotFound("round", roundId));
        }

        if (Security.RoundScope.Refuse(user, round) is { } outside)
        {
            return outside;
        }

        var actor = user.Identity?.Name ?? "anonymous";
        var report = decision switch
        {
            "skd-cutoff" => await decisions.SkdCutOffAsync(round.Code, actor, null, ct),
            "final" => await decisions.FinalAsync(round.Code, PersonalData.PersonalDataReader.Of(user, $"POST /rounds/{roundId}/decisions/final"), null, ct),
            _ => null,
        };
        if (report is null)
        {
            return Results.Problem(Problems.From(new Deciding.Refusal(Deciding.RefusalKind.Invalid, "decision.unknown", "decision must be skd-cutoff or final.", "decision")));
        }

        if (report.Succeeded)
        {
            return Results.Ok(report);
        }

        var problem = Problems.From(new Deciding.Refusal(Deciding.RefusalKind.Conflict, "decision.refused", report.Refusals[0]));
        problem.Extensions["refusals"] = report.Refusals;
        return Results.Problem(problem);
    }

    /// <summary>
    /// A published list as text/csv, every line naming its rule set version: <c>administrative</c> (MS/TMS as announced),
    /// <c>administrative-after-appeals</c>, <c>skd-results</c> (every MS applicant: scores and P/L, P, TL, TH, DIS),
    /// <c>skb-admission</c>, <c>final</c> (every applicant of each decided formation: P/L, P/L-2 with its sub-code, TL, TH,
    /// TMS, P, APS, DIS). Checked against the events before it is written (409 when a case lags its stream).
    /// </summary>
    [WolverineGet("/rounds/{roundId}/exports/{list}", OperationId = "ExportList")]
    [Tags("Files")]
    [Produces("text/csv")]
    [Authorize(Roles = Roles.CommitteeOrAuditor)]
    public static async Task Export(Guid roundId, string list, HttpContext context, IQuerySession query, RecruitmentExports exports, CancellationToken ct)
    {
        var name = list.EndsWith(".csv", StringComparison.Ordinal) ? list[..^4] : list;
        if (!PublishedLists.TryParse(name, out var published))
        {
            await Results.Problem(Problems.From(new Deciding.Refusal(Deciding.RefusalKind.NotFound, "export.unknown-list", $"No list '{name}': {string.Join(", ", PublishedLists.Names)}.", "list"))).ExecuteAsync(context);
            return;
        }

        if (await query.LoadAsync<Round>(roundId, ct) is not { } round)
        {
            await Results.Problem(Problems.NotFound("round", roundId)).ExecuteAsync(context);
            return;
        }

        if (await query.RefuseReadingAsync(context.User, roundId, ct) is { } outside)
        {
            await outside.ExecuteAsync(context);
            return;
        }

        var buffer = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        if (await exports.WriteAsync(round.Code, published, buffer, ct) is { } refusal)
        {
            await Problems.ToResult(refusal).ExecuteAsync(context);
            return;
        }

        context.Response.ContentType = "text/csv; charset=utf-8";
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"{round.Code}-{published.Name()}.csv\"";
        await using var writer = new StreamWriter(context.Response.Body, new System.Text.UTF8Encoding(false), leaveOpen: true);
        await writer.WriteAsync(buffer.ToString().AsMemory(), ct);
    }

    public static Microsoft.AspNetCore.Mvc.ProblemDetails FileProblem(ImportReport report)
    {
        var problem = Problems.From(new Deciding.Refusal(Deciding.RefusalKind.Invalid, "import.invalid-file", $"The {report.Kind} file was refused: {report.Errors.Count} error(s); nothing was written. First: {report.Errors[0]}"));
        problem.Extensions["lines"] = report.Errors.Select(e => new { line = e.Line, column = e.Column, message = e.Message });
        return problem;
    }
}
