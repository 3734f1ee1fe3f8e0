using System.Security.Claims;
using FluentValidation;
using Marten;
using Merit.Infrastructure;
using Merit.Security;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;
using Microsoft.AspNetCore.Mvc;

namespace Merit.Career;

/// <summary>Reject a proposal with the reason.</summary>
public sealed record RejectPromotionRequest(string Reason);

public sealed class RejectPromotionRequestValidator : AbstractValidator<RejectPromotionRequest>
{
    public RejectPromotionRequestValidator() => RuleFor(x => x.Reason).NotEmpty().MaximumLength(2000);
}

public static class RejectPromotionEndpoint
{
    /// <summary>Reject a proposal with the reason.</summary>
    [WolverinePost("/civil-servants/{servantId}/promotions/{proposalId}/rejection", OperationId = "RejectPromotion")]
    [ProducesResponseType<CommandPath.Appended>(StatusCodes.Status200OK)]
    [Tags("Career")]
    [Authorize(Roles = Roles.Bkn)]
    public static Task<IResult> Post(Guid servantId, Guid proposalId, RejectPromotionRequest request, ClaimsPrincipal user, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        session.DecideAsync<CareerRecord>(user, servantId, r => PromotionDecisions.Reject(r, new RejectPromotion(servantId, proposalId, request.Reason, clock.GetUtcNow())), ct);
}
