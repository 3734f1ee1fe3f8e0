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
    public const long MaxUploadBytes = 512L * 1024 * 1024;

    /// <summary>
    /// Import a CSV file into the round: kind is formations, applicants, verification, skd, skb, or competence (the
    /// results of the rule set's own test, e.g. PPPK's pppk-results.csv). The whole file is checked
    /// first; a file with any error is refused with each line and reason, and nothing is written.
    /// </summary>
    [WolverinePost("/rounds/{roundId}/imports/{kind}", OperationId = "ImportFile")]
    [Tags("Files")]
    [RequestSizeLimit(MaxUploadBytes)]
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

    /// <summary>The SKD cut-off list (admitted applicants) as text/csv.</summary>
    [WolverineGet("/rounds/{roundId}/exports/skd-cutoff.csv", OperationId = "ExportSkdCutOff")]
    [Tags("Files")]
    [Produces("text/csv")]
    [Authorize(Roles = Roles.CommitteeOrAuditor)]
    public static Task ExportSkdCutOff(Guid roundId, HttpContext context, IQuerySession query, RecruitmentExports exports, CancellationToken ct) =>
        WriteCsvAsync(roundId, context, query, "skd-cutoff", (code, writer) => exports.WriteSkdCutOffAsync(code, writer, ct), ct);

    /// <summary>The final list (everyone who reached the SKB) as text/csv.</summary>
    [WolverineGet("/rounds/{roundId}/exports/final.csv", OperationId = "ExportFinal")]
    [Tags("Files")]
    [Produces("text/csv")]
    [Authorize(Roles = Roles.CommitteeOrAuditor)]
    public static Task ExportFinal(Guid roundId, HttpContext context, IQuerySession query, RecruitmentExports exports, CancellationToken ct) =>
        WriteCsvAsync(roundId, context, query, "final", (code, writer) => exports.WriteFinalAsync(code, writer, ct), ct);

    public static Microsoft.AspNetCore.Mvc.ProblemDetails FileProblem(ImportReport report)
    {
        var problem = Problems.From(new Deciding.Refusal(Deciding.RefusalKind.Invalid, "import.invalid-file", $"The {report.Kind} file was refused: {report.Errors.Count} error(s); nothing was written. First: {report.Errors[0]}"));
        problem.Extensions["lines"] = report.Errors.Take(1000).Select(e => new { line = e.Line, column = e.Column, message = e.Message });
        return problem;
    }

    private static async Task WriteCsvAsync(Guid roundId, HttpContext context, IQuerySession query, string name, Func<string, TextWriter, Task> write, CancellationToken ct)
    {
        if (await query.LoadAsync<Round>(roundId, ct) is not { } round)
        {
            await Results.Problem(Problems.NotFound("round", roundId)).ExecuteAsync(context);
            return;
        }

        context.Response.ContentType = "text/csv; charset=utf-8";
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"{round.Code}-{name}.csv\"";
        await using var writer = new StreamWriter(context.Response.Body, new System.Text.UTF8Encoding(false), leaveOpen: true);
        await write(round.Code, writer);
    }
}
