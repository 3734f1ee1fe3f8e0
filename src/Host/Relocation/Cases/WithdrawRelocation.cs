using System.Security.Claims;
using Marten;
using Merit.Career;
using Merit.Infrastructure;
using Merit.Security;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;
using Microsoft.AspNetCore.Mvc;

namespace Merit.Relocation;

public static class WithdrawRelocationEndpoint
{
    /// <summary>Withdraw a nomination before arrival: a held unit is freed, a wait-list place left.</summary>
    [WolverinePost("/relocation-cases/{caseId}/withdrawal", OperationId = "WithdrawRelocation")]
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

            // The quota is fetched for writing too: the unit or wait-list place freed is guarded against a concurrent offer.
            var quota = await session.Events.FetchForWriting<HousingQuota>(RelocationDecisions.QuotaOf(c), ct);
            return RelocationDecisions.Withdraw(c, quota.Aggregate, new WithdrawNomination(caseId, request.Reason, IsoDate.Parse(request.On), clock.GetUtcNow()));
        }, ct);
}
