using System.Security.Claims;
using FluentValidation;
using Marten;
using Merit.Security;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;
using Microsoft.AspNetCore.Mvc;

namespace Merit.Recruitment;

/// <summary>Disqualify an applicant (DIS): why, and the reference of the evidence (e.g. the CAT proctor's report number).</summary>
public sealed record DisqualifyRequest(string Reason, string EvidenceReference);

public sealed class DisqualifyRequestValidator : AbstractValidator<DisqualifyRequest>
{
    public DisqualifyRequestValidator()
    {
        RuleFor(x => x.Reason).NotEmpty().MaximumLength(2000);
        RuleFor(x => x.EvidenceReference).NotEmpty().MaximumLength(200);
    }
}

public static class DisqualifyApplicantEndpoint
{
    /// <summary>Disqualify an applicant at any stage of an open round, until appointed; a passer's place becomes vacant (DIS).</summary>
    [WolverinePost("/applications/{applicationId}/disqualification", OperationId = "DisqualifyApplicant")]
    [ProducesResponseType<ApplicationRecorded>(StatusCodes.Status200OK)]
    [Tags("Applications")]
    [Authorize(Roles = Roles.Committee)]
    public static Task<IResult> Post(Guid applicationId, DisqualifyRequest request, ClaimsPrincipal user, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        session.OnApplicationAsync(user, applicationId, c => DisqualificationDecisions.Disqualify(c.Round, c.Application, new Disqualify(applicationId, request.Reason, request.EvidenceReference, clock.GetUtcNow())), RecruitmentCases.Recorded(applicationId), ct);
}
