using System.Security.Claims;
using FluentValidation;
using Marten;
using Merit.Infrastructure;
using Merit.Security;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;
using Microsoft.AspNetCore.Mvc;

namespace Merit.Career;

/// <summary>Approve a proposal with the decree (SK) number.</summary>
public sealed record ApprovePromotionRequest(string DecreeNumber);

public sealed class ApprovePromotionRequestValidator : AbstractValidator<ApprovePromotionRequest>
{
    public ApprovePromotionRequestValidator() => RuleFor(x => x.DecreeNumber).NotEmpty().MaximumLength(100);
}

public static class ApprovePromotionEndpoint
{
    /// <summary>Approve a proposal; every condition is checked again under the proposal's regime.</summary>
    [WolverinePost("/civil-servants/{servantId}/promotions/{proposalId}/approval", OperationId = "ApprovePromotion")]
    [ProducesResponseType<CommandPath.Appended>(StatusCodes.Status200OK)]
    [Tags("Career")]
    [Authorize(Roles = Roles.Bkn)]
    public static Task<IResult> Post(Guid servantId, Guid proposalId, ApprovePromotionRequest request, ClaimsPrincipal user, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        session.DecideAsync<CareerRecord>(user, servantId, r => PromotionDecisions.Approve(r, new ApprovePromotion(servantId, proposalId, request.DecreeNumber, clock.GetUtcNow())), ct);
}
