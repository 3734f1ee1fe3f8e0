using System.Security.Claims;
using Marten;
using Merit.Security;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;
using Microsoft.AspNetCore.Mvc;

namespace Merit.Recruitment;

public static class DecideSkdCutOffEndpoint
{
    /// <summary>Decide the formation's SKD cut-off (stage Skb): threshold, ranking, 3 × allocation, ties at the boundary admitted (R13).</summary>
    [WolverinePost("/formations/{formationId}/skd-cutoff", OperationId = "DecideSkdCutOff")]
    [ProducesResponseType<FormationDecided>(StatusCodes.Status200OK)]
    [Tags("Decisions")]
    [Authorize(Roles = Roles.Committee)]
    public static Task<IResult> Post(Guid formationId, ClaimsPrincipal user, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        session.OnFormationAsync(user, formationId, async c =>
        {
            var applications = await session.Query<Application>().Where(a => a.FormationId == formationId).ToListAsync(ct);
            return SelectionDecisions.DecideSkdCutOff(c.Round, c.Formation, applications, new DecideSkdCutOff(formationId, clock.GetUtcNow()));
        }, RecruitmentCases.Counted(formationId), ct);
}
