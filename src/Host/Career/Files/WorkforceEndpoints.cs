using Merit.Security;
using Microsoft.AspNetCore.Authorization;
using System.Security.Claims;
using Merit.Infrastructure;
using Merit.Recruitment.Files;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Merit.Career.Files;

/// <summary>The workforce file over HTTP; on the command line it is <c>merit import workforce FILE</c>.</summary>
public static class WorkforceEndpoints
{
    /// <summary>
    /// Import the existing workforce (CSV: nip, instansi_code, tmt_cpns, rank, rank_tmt, education, position, skp_year,
    /// skp_last, skp_previous; optional tmt_pns, jf_level, credit_points, superior_rank, service_exams). The whole file
    /// is checked first; a file with any error is refused with each line and reason, and nothing is written. Every row's
    /// instansi, and that of any record a row changes, must be in the token's instansi scope (403 scope.instansi).
    /// </summary>
    [WolverinePost("/workforce/imports", OperationId = "ImportWorkforce")]
    [ProducesResponseType<ImportReport>(StatusCodes.Status200OK)]
    [Tags("Career")]
    [RequestSizeLimit(FileEndpoints.MaxUploadBytes)]
    [RequestFormLimits(MultipartBodyLengthLimit = FileEndpoints.MaxUploadBytes)]
    [Authorize(Roles = Roles.Committee)]
    public static async Task<IResult> Import(IFormFile file, ClaimsPrincipal user, WorkforceImports imports, CancellationToken ct)
    {
        await using var stream = file.OpenReadStream();
        var report = await imports.ImportAsync(stream, user.Identity?.Name ?? "anonymous", code => InstansiScope.Check(user, code), null, ct);
        return report.Refusal is { } outside ? Problems.ToResult(outside)
            : report.Succeeded ? Results.Ok(report) : Results.Problem(FileEndpoints.FileProblem(report));
    }
}
