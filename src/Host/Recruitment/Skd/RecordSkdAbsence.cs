using System.Security.Claims;
using Marten;
using Merit.Security;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;
using Microsoft.AspNetCore.Mvc;

namespace Merit.Recruitment;

public static class RecordSkdAbsenceEndpoint
{
    /// <summary>Record the applicant absent from the SKD (TH).</summary>
    [WolverinePost("/applications/{applicationId}/skd-absence", OperationId = "RecordSkdAbsence")]
    [ProducesResponseType<ApplicationRecorded>(StatusCodes.Status200OK)]
    [Tags("Applications")]
    [Authorize(Roles = Roles.Committee)]
    public static Task<IResult> Post(Guid applicationId, ClaimsPrincipal user, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        session.OnApplicationAsync(user, applicationId, c => SkdStageDecisions.RecordAbsence(c.Round, c.Application, new RecordSkdAbsence(applicationId, clock.GetUtcNow())), RecruitmentCases.Recorded(applicationId), ct);
}
