using System.Security.Claims;
using Marten;
using Merit.Security;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;
using Microsoft.AspNetCore.Mvc;

namespace Merit.Recruitment;

public static class ReannounceAdministrativeResultEndpoint
{
    /// <summary>Re-announce the corrected administrative result (MS) after an accepted appeal, within the days allowed (R07).</summary>
    [WolverinePost("/applications/{applicationId}/administrative-reannouncement", OperationId = "ReannounceAdministrativeResult")]
    [ProducesResponseType<ApplicationRecorded>(StatusCodes.Status200OK)]
    [Tags("Appeals")]
    [Authorize(Roles = Roles.Committee)]
    public static Task<IResult> Post(Guid applicationId, ClaimsPrincipal user, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        session.OnApplicationAsync(user, applicationId, c => AppealDecisions.Reannounce(c.Round, c.Application, new ReannounceAdministrativeResult(applicationId, clock.GetUtcNow())), RecruitmentCases.Recorded(applicationId), ct);
}
