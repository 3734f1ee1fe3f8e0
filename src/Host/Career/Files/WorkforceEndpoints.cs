using Merit.Security;
using Microsoft.AspNetCore.Authorization;
using System.Security.Claims;
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
    /// is checked first; a file with any error is refused with each line and reason, and nothing is written.
    /// </summary>
    [WolverinePost("/workforce/imports", OperationId = "ImportWorkforce")]
    [ProducesResponseType<ImportReport>(StatusCodes.Status200OK)]
    [Tags("Career")]
    [RequestSizeLimit(FileEndpoints.MaxUploadBytes)]
    [Authorize(Roles = Roles.Committee)]
    public static async Task<IResult> Import(IFormFile file, ClaimsPrincipal user, WorkforceImports imports, CancellationToken ct)
    {
        await using var stream = file.OpenReadStream();
        var report = await imports.ImportAsync(stream, user.Identity?.Name ?? "anonymous", null, ct);
        return report.Succeeded ? Results.Ok(report) : Results.Problem(FileEndpoints.FileProblem(report));
    }

    /// <summary>What <c>merit import workforce FILE</c> runs, with progress on standard error.</summary>
    public static async Task<bool> RunAsync(IServiceProvider services, string path, string actor)
    {
        var imports = services.GetRequiredService<WorkforceImports>();
        await using var file = File.OpenRead(path);
        var report = await imports.ImportAsync(file, actor, new Progress<ImportProgress>(p => Console.Error.WriteLine($"{p.Phase} {p.Done}/{p.Total}")), CancellationToken.None);
        if (!report.Succeeded)
        {
            await Console.Error.WriteLineAsync($"{path}: refused, nothing written ({report.Errors.Count} errors)");
            foreach (var error in report.Errors.Take(200))
            {
                await Console.Error.WriteLineAsync($"{path}: {error}");
            }

            return false;
        }

        Console.WriteLine($"{path}: {report.Rows} rows, {report.Appended} events appended, {report.Unchanged} unchanged");
        return true;
    }
}
