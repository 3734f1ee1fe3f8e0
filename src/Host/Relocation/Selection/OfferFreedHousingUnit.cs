using System.Security.Claims;
using Marten;
using Merit.Infrastructure;
using Merit.Security;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Merit.Relocation;

public static class OfferFreedHousingUnitEndpoint
{
    /// <summary>Offer a freed housing unit to the first of the wait list, a decision of its own.</summary>
    [WolverinePost("/housing-quotas/{quotaId}/offers", OperationId = "OfferFreedHousingUnit")]
    [Tags("Relocation")]
    [Authorize(Roles = Roles.Committee)]
    public static Task<IResult> Post(Guid quotaId, ClaimsPrincipal user, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        RelocationCase? next = null;
        return session.DecideAsync<HousingQuota>(user, quotaId, async quota =>
        {
            next = quota is { WaitList.Count: > 0 } ? await session.LoadAsync<RelocationCase>(quota.WaitList[0], ct) : null;
            return RelocationDecisions.OfferFreedUnit(quota, next, new OfferFreedUnit(quotaId, clock.GetUtcNow()));
        }, d =>
        {
            var promoted = (WaitListPromoted)d.Events[0];
            return Results.Ok(new { quotaId, promoted.CaseId, rank = next!.Rank, promoted.PolicyVersion });
        }, ct);
    }
}
