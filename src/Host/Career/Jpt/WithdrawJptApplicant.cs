using System.Security.Claims;
using FluentValidation;
using Marten;
using Merit.Infrastructure;
using Merit.Security;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;
using Microsoft.AspNetCore.Mvc;

namespace Merit.Career;

/// <summary>An applicant who withdraws.</summary>
public sealed record WithdrawJptApplicantRequest(string ApplicantCode);

public sealed class WithdrawJptApplicantRequestValidator : AbstractValidator<WithdrawJptApplicantRequest>
{
    public WithdrawJptApplicantRequestValidator() => RuleFor(x => x.ApplicantCode).NotEmpty().MaximumLength(40);
}

public static class WithdrawJptApplicantEndpoint
{
    /// <summary>An applicant withdraws.</summary>
    [WolverinePost("/jpt-selections/{selectionId}/withdrawals", OperationId = "WithdrawJptApplicant")]
    [ProducesResponseType<CommandPath.Appended>(StatusCodes.Status200OK)]
    [Tags("Career")]
    [Authorize(Roles = Roles.Committee)]
    public static Task<IResult> Post(Guid selectionId, WithdrawJptApplicantRequest request, ClaimsPrincipal user, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        session.DecideAsync<JptSelection>(user, selectionId, s => JptDecisions.Withdraw(s, new WithdrawJptApplicant(selectionId, request.ApplicantCode, clock.GetUtcNow())), ct);
}
