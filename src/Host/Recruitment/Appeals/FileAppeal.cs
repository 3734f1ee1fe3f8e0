using System.Security.Claims;
using FluentValidation;
using Merit.Career;
using Marten;
using Merit.Security;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;
using Microsoft.AspNetCore.Mvc;

namespace Merit.Recruitment;

/// <summary>File a sanggah: the window (Administrative or Final), the grounds, and whether new documents are attached (never allowed).</summary>
public sealed record FileAppealRequest(string Window, string Grounds, bool IncludesNewDocuments);

public sealed class FileAppealRequestValidator : AbstractValidator<FileAppealRequest>
{
    public FileAppealRequestValidator()
    {
        RuleFor(x => x.Window).IsName<FileAppealRequest, AppealWindow>().WithMessage("Window must be Administrative or Final.");
        RuleFor(x => x.Grounds).NotEmpty().MaximumLength(2000);
    }
}

public static class FileAppealEndpoint
{
    /// <summary>File a sanggah (R07): once per window, within the window, without new documents.</summary>
    [WolverinePost("/applications/{applicationId}/appeals", OperationId = "FileAppeal")]
    [ProducesResponseType<ApplicationRecorded>(StatusCodes.Status200OK)]
    [Tags("Appeals")]
    [Authorize(Roles = Roles.Committee)]
    public static Task<IResult> Post(Guid applicationId, FileAppealRequest request, ClaimsPrincipal user, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var command = new FileAppeal(applicationId, Enum.Parse<AppealWindow>(request.Window), request.Grounds, request.IncludesNewDocuments, clock.GetUtcNow());
        return session.OnApplicationAsync(user, applicationId, c => AppealDecisions.File(c.Round, c.Application, command), RecruitmentCases.Recorded(applicationId), ct);
    }
}
