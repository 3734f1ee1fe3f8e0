using System.Security.Claims;
using Marten;
using Merit.Infrastructure;
using Merit.Security;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;
using Microsoft.AspNetCore.Mvc;

namespace Merit.Career;

public static class ApplyPromotionEndpoint
{
    /// <summary>The approved promotion takes effect (on or after its TMT): the rank changes.</summary>
    [WolverinePost("/civil-servants/{servantId}/promotions/{proposalId}/effect", OperationId = "ApplyPromotion")]
    [ProducesResponseType<CommandPath.Appended>(StatusCodes.Status200OK)]
    [Tags("Career")]
    [Authorize(Roles = Roles.Committee)]
    public static Task<IResult> Post(Guid servantId, Guid proposalId, ClaimsPrincipal user, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        session.DecideAsync<CareerRecord>(user, servantId, r => PromotionDecisions.Apply(r, new ApplyPromotion(servantId, proposalId, clock.GetUtcNow())), ct);
}
