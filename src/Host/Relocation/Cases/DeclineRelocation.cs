using System.Security.Claims;
using Marten;
using Merit.Career;
using Merit.Infrastructure;
using Merit.Security;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;
using Microsoft.AspNetCore.Mvc;

namespace Merit.Relocation;

public static class DeclineRelocationEndpoint
{
    /// <summary>Decline: the housing unit is freed on the quota (offer it with <c>POST /housing-quotas/{id}/offers</c>).</summary>
    [WolverinePost("/relocation-cases/{caseId}/declination", OperationId = "DeclineRelocation")]
    [ProducesResponseType<CommandPath.Appended>(StatusCodes.Status200OK)]
    [Tags("Relocation")]
    [Authorize(Roles = Roles.Committee)]
    public static Task<IResult> Post(Guid caseId, CaseReasonRequest request, ClaimsPrincipal user, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        session.DecideAsync<RelocationCase>(user, caseId, async c =>
        {
            if (c is null)
            {
                return RelocationCases.NoCase(caseId);
            }

            // The quota is fetched for writing too: the unit freed is guarded against a concurrent offer.
            await session.Events.FetchForWriting<HousingQuota>(RelocationDecisions.QuotaOf(c), ct);
            return RelocationDecisions.Decline(c, new DeclineRelocation(caseId, request.Reason, IsoDate.Parse(request.On), clock.GetUtcNow()));
        }, ct);
}
