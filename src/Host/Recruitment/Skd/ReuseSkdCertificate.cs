using System.Security.Claims;
using FluentValidation;
using Marten;
using Merit.Security;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;
using Microsoft.AspNetCore.Mvc;

namespace Merit.Recruitment;

/// <summary>Reuse of the previous round's SKD certificate (R12): the same person's application in that round.</summary>
public sealed record ReuseCertificateRequest(Guid FromApplicationId);

public sealed class ReuseCertificateRequestValidator : AbstractValidator<ReuseCertificateRequest>
{
    public ReuseCertificateRequestValidator() => RuleFor(x => x.FromApplicationId).NotEmpty();
}

public static class ReuseSkdCertificateEndpoint
{
    /// <summary>Carry over the previous round's SKD certificate (R12).</summary>
    [WolverinePost("/applications/{applicationId}/skd-certificate", OperationId = "ReuseSkdCertificate")]
    [ProducesResponseType<ApplicationRecorded>(StatusCodes.Status200OK)]
    [Tags("Applications")]
    [Authorize(Roles = Roles.Committee)]
    public static Task<IResult> Post(Guid applicationId, ReuseCertificateRequest request, ClaimsPrincipal user, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        session.OnApplicationAsync(user, applicationId, async c =>
        {
            // The certificate's application and round are read only: the decision checks they are the same person's, a round earlier.
            var previous = await session.LoadAsync<Application>(request.FromApplicationId, ct);
            var previousRound = previous is null ? null : await session.LoadAsync<Round>(previous.RoundId, ct);
            return SkdStageDecisions.ReuseCertificate(c.Round, c.Formation, c.Application, previousRound, previous, new ReuseSkdCertificate(applicationId, request.FromApplicationId, clock.GetUtcNow()));
        }, RecruitmentCases.Recorded(applicationId), ct);
}
