using System.Security.Claims;
using Marten;
using Merit.Infrastructure;
using Merit.Security;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;
using Microsoft.AspNetCore.Mvc;

namespace Merit.Relocation;

/// <summary>A freed housing unit offered to the first on the wait list: the case promoted and its rank.</summary>
public sealed record FreedUnitOffered(Guid QuotaId, Guid CaseId, int? Rank, string PolicyVersion);

public static class OfferFreedHousingUnitEndpoint
{
    /// <summary>Offer a freed housing unit to the first of the wait list, a decision of its own.</summary>
    [WolverinePost("/housing-quotas/{quotaId}/offers", OperationId = "OfferFreedHousingUnit")]
    [ProducesResponseType<FreedUnitOffered>(StatusCodes.Status200OK)]
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
            return Results.Ok(new FreedUnitOffered(quotaId, promoted.CaseId, next!.Rank, promoted.PolicyVersion));
        }, ct);
    }
}
