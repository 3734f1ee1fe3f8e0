using System.Security.Claims;
using FluentValidation;
using Marten;
using Merit.Infrastructure;
using Merit.Security;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;
using Microsoft.AspNetCore.Mvc;

namespace Merit.MeritSystem;

/// <summary>An instansi's merit-system self-assessment of one year: a score and the evidence references per aspect, under a policy version.</summary>
public sealed record SubmitMeritSelfAssessmentRequest(string InstansiCode, int Year, string PolicyVersion, IReadOnlyList<AspectScore> Aspects);

public sealed class SubmitMeritSelfAssessmentRequestValidator : AbstractValidator<SubmitMeritSelfAssessmentRequest>
{
    // The aspects, their ranges and the evidence are the policy's, checked by the decision.
    public SubmitMeritSelfAssessmentRequestValidator()
    {
        RuleFor(x => x.InstansiCode).NotEmpty().MaximumLength(64);
        RuleFor(x => x.Year).InclusiveBetween(2014, 9999);
        RuleFor(x => x.PolicyVersion).NotEmpty();
        RuleFor(x => x.Aspects).NotEmpty();
    }
}

public sealed record MeritAssessmentView(Guid AssessmentId, string InstansiCode, int Year, decimal Score, string PolicyVersion, string? Category, string? CategoryLabel);

public static class SubmitMeritSelfAssessmentEndpoint
{
    /// <summary>Record an instansi's self-assessment of the merit system for a year (brief 1.4); once per instansi and year.</summary>
    [WolverinePost("/merit-assessments", OperationId = "SubmitMeritSelfAssessment")]
    [ProducesResponseType<MeritAssessmentView>(StatusCodes.Status201Created)]
    [Tags("Merit system")]
    [Authorize(Roles = Roles.Committee)]
    public static Task<IResult> Post(SubmitMeritSelfAssessmentRequest request, ClaimsPrincipal user, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var command = new SubmitMeritSelfAssessment(request.InstansiCode, request.Year, request.PolicyVersion, request.Aspects, user.Identity?.Name ?? "anonymous", clock.GetUtcNow());
        return session.DecideAsync<MeritAssessment>(MeritAssessmentDecisions.IdFor(request.InstansiCode, request.Year), existing => MeritAssessmentDecisions.Submit(existing, command), d =>
        {
            var submitted = (MeritSelfAssessmentSubmitted)d.Events[0];
            return Results.Created($"/merit-assessments/{submitted.AssessmentId}", new MeritAssessmentView(submitted.AssessmentId, submitted.InstansiCode, submitted.Year, submitted.Score, submitted.PolicyVersion, null, null));
        }, ct);
    }
}
