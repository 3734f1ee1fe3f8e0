using System.Security.Claims;
using Marten;
using Merit.Career;
using Merit.Infrastructure;
using Merit.Security;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;
using Microsoft.AspNetCore.Mvc;

namespace Merit.Relocation;

public static class AcceptRelocationEndpoint
{
    [WolverinePost("/relocation-cases/{caseId}/acceptance", OperationId = "AcceptRelocation")]
    [ProducesResponseType<CommandPath.Appended>(StatusCodes.Status200OK)]
    [Tags("Relocation")]
    [Authorize(Roles = Roles.Committee)]
    public static Task<IResult> Post(Guid caseId, CaseStepRequest request, ClaimsPrincipal user, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        session.DecideAsync<RelocationCase>(user, caseId, c => RelocationDecisions.Accept(c, new AcceptRelocation(caseId, IsoDate.Parse(request.On), clock.GetUtcNow())), ct);
}
