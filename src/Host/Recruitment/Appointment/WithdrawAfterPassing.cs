using System.Security.Claims;
using FluentValidation;
using Marten;
using Merit.Security;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;
using Microsoft.AspNetCore.Mvc;

namespace Merit.Recruitment;

/// <summary>A passer's withdrawal (APS), with its reason.</summary>
public sealed record WithdrawRequest(string Reason);

public sealed class WithdrawRequestValidator : AbstractValidator<WithdrawRequest>
{
    public WithdrawRequestValidator() => RuleFor(x => x.Reason).NotEmpty().MaximumLength(2000);
}

public static class WithdrawAfterPassingEndpoint
{
    /// <summary>A passer withdraws (APS); the person is barred from later rounds for the years the rule set sets (R18).</summary>
    [WolverinePost("/applications/{applicationId}/withdrawal", OperationId = "WithdrawAfterPassing")]
    [ProducesResponseType<ApplicationRecorded>(StatusCodes.Status200OK)]
    [Tags("Appointment")]
    [Authorize(Roles = Roles.Committee)]
    public static Task<IResult> Post(Guid applicationId, WithdrawRequest request, ClaimsPrincipal user, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        session.OnApplicationAsync(user, applicationId, c => AppointmentDecisions.Withdraw(c.Round, c.Application, new WithdrawAfterPassing(applicationId, request.Reason, clock.GetUtcNow())), RecruitmentCases.Recorded(applicationId), ct);
}
