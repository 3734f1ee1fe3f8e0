using System.Security.Claims;
using FluentValidation;
using Merit.Career;
using Marten;
using Merit.Security;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;
using Microsoft.AspNetCore.Mvc;

namespace Merit.Recruitment;

/// <summary>The instansi's answer to a sanggah; accepted only when the fault was the instansi's.</summary>
public sealed record AnswerAppealRequest(string Window, bool Accept, bool FaultOfInstansi, string Reason);

public sealed class AnswerAppealRequestValidator : AbstractValidator<AnswerAppealRequest>
{
    public AnswerAppealRequestValidator()
    {
        RuleFor(x => x.Window).IsName<AnswerAppealRequest, AppealWindow>().WithMessage("Window must be Administrative or Final.");
        RuleFor(x => x.Reason).NotEmpty().MaximumLength(2000);
    }
}

public static class AnswerAppealEndpoint
{
    /// <summary>Answer a sanggah: accepted (the instansi's error) or rejected, with the reason.</summary>
    [WolverinePost("/applications/{applicationId}/appeals/answer", OperationId = "AnswerAppeal")]
    [ProducesResponseType<ApplicationRecorded>(StatusCodes.Status200OK)]
    [Tags("Appeals")]
    [Authorize(Roles = Roles.Committee)]
    public static Task<IResult> Post(Guid applicationId, AnswerAppealRequest request, ClaimsPrincipal user, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var command = new AnswerAppeal(applicationId, Enum.Parse<AppealWindow>(request.Window), request.Accept, request.FaultOfInstansi, request.Reason, clock.GetUtcNow());
        return session.OnApplicationAsync(user, applicationId, c => AppealDecisions.Answer(c.Round, c.Application, command), RecruitmentCases.Recorded(applicationId), ct);
    }
}
