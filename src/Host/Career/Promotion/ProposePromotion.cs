using System.Security.Claims;
using FluentValidation;
using Marten;
using Merit.Infrastructure;
using Merit.Security;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;
using Microsoft.AspNetCore.Mvc;

namespace Merit.Career;

/// <summary>Propose a promotion for a TMT (an allowed date of the regime in force, R32).</summary>
public sealed record ProposePromotionRequest(string Tmt);

public sealed class ProposePromotionRequestValidator : AbstractValidator<ProposePromotionRequest>
{
    public ProposePromotionRequestValidator() => RuleFor(x => x.Tmt).IsIsoDate();
}

/// <summary>A promotion proposed: from which rank to which, on which TMT, under which regime.</summary>
public sealed record PromotionProposalView(Guid Id, Guid ProposalId, Rank From, Rank To, DateOnly Tmt, string RuleSetVersion);

public static class ProposePromotionEndpoint
{
    /// <summary>Propose a promotion: refused with every unmet condition when not eligible; the proposal names the regime.</summary>
    [WolverinePost("/civil-servants/{servantId}/promotions", OperationId = "ProposePromotion")]
    [ProducesResponseType<PromotionProposalView>(StatusCodes.Status201Created)]
    [Tags("Career")]
    [Authorize(Roles = Roles.Committee)]
    public static Task<IResult> Post(Guid servantId, ProposePromotionRequest request, ClaimsPrincipal user, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        session.DecideAsync<CareerRecord>(
            user,
            servantId,
            r => PromotionDecisions.Propose(r, new ProposePromotion(servantId, IsoDate.Parse(request.Tmt), clock.GetUtcNow())),
            d =>
            {
                var p = (PromotionProposed)d.Events[0];
                return Results.Created($"/civil-servants/{servantId}/promotions/{p.ProposalId}", new PromotionProposalView(servantId, p.ProposalId, p.From, p.To, p.Tmt, p.RuleSetVersion));
            },
            ct);
}
