using System.Security.Claims;
using FluentValidation;
using Marten;
using Merit.Infrastructure;
using Merit.Security;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;
using Microsoft.AspNetCore.Mvc;

namespace Merit.MeritSystem;

/// <summary>The overseer's verified scores per aspect (with the evidence examined), and which overseer (KASN, BKN, the independent body).</summary>
public sealed record VerifyMeritAssessmentRequest(string Overseer, IReadOnlyList<AspectScore> Aspects);

public sealed class VerifyMeritAssessmentRequestValidator : AbstractValidator<VerifyMeritAssessmentRequest>
{
    public VerifyMeritAssessmentRequestValidator()
    {
        RuleFor(x => x.Overseer).NotEmpty().MaximumLength(64);
        RuleFor(x => x.Aspects).NotEmpty();
    }
}

public static class VerifyMeritAssessmentEndpoint
{
    /// <summary>Verify a self-assessment: the verified total and its category by the policy's bands (R02). The verifier is not the assessor.</summary>
    [WolverinePost("/merit-assessments/{assessmentId}/verification", OperationId = "VerifyMeritAssessment")]
    [ProducesResponseType<MeritAssessmentView>(StatusCodes.Status200OK)]
    [Tags("Merit system")]
    [Authorize(Roles = Roles.Auditor)]
    public static Task<IResult> Post(Guid assessmentId, VerifyMeritAssessmentRequest request, ClaimsPrincipal user, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var command = new VerifyMeritAssessment(assessmentId, request.Aspects, user.Identity?.Name ?? "anonymous", request.Overseer, clock.GetUtcNow());
        return session.DecideAsync<MeritAssessment>(assessmentId, assessment => assessment is null ? CommandPath.NotFound("merit assessment", assessmentId) : MeritAssessmentDecisions.Verify(assessment, command), d =>
        {
            var verified = (MeritAssessmentVerified)d.Events[0];
            return Results.Ok(new MeritAssessmentView(verified.AssessmentId, verified.InstansiCode, verified.Year, verified.Score, verified.PolicyVersion, verified.Category, verified.CategoryLabel));
        }, ct);
    }
}
