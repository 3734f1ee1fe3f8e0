using System.Security.Claims;
using Marten;
using Merit.Security;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;
using Microsoft.AspNetCore.Mvc;

namespace Merit.Recruitment;

public static class RecordSkbAbsenceEndpoint
{
    /// <summary>Record the applicant absent from the SKB (TH); in stage FinalAppeal, the correction after an accepted final appeal (R07).</summary>
    [WolverinePost("/applications/{applicationId}/skb-absence", OperationId = "RecordSkbAbsence")]
    [ProducesResponseType<ApplicationRecorded>(StatusCodes.Status200OK)]
    [Tags("Applications")]
    [Authorize(Roles = Roles.Committee)]
    public static Task<IResult> Post(Guid applicationId, ClaimsPrincipal user, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        session.OnApplicationAsync(user, applicationId, c => SkbDecisions.RecordAbsence(c.Round, c.Formation, c.Application, new RecordSkbAbsence(applicationId, clock.GetUtcNow())), RecruitmentCases.Recorded(applicationId), ct);
}
