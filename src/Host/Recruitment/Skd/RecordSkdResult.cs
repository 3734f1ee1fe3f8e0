using System.Security.Claims;
using FluentValidation;
using Marten;
using Merit.Security;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;
using Microsoft.AspNetCore.Mvc;

namespace Merit.Recruitment;

/// <summary>An SKD result from CAT BKN: TWK 0–150 and TIU 0–175 in steps of 5, TKP 0–225 (R08).</summary>
public sealed record RecordSkdResultRequest(int Twk, int Tiu, int Tkp);

public sealed class RecordSkdResultRequestValidator : AbstractValidator<RecordSkdResultRequest>
{
    // The exact maxima and steps come from the round's rule set and are checked by the decision (R08);
    // here only what no rule set allows.
    public RecordSkdResultRequestValidator()
    {
        RuleFor(x => x.Twk).GreaterThanOrEqualTo(0);
        RuleFor(x => x.Tiu).GreaterThanOrEqualTo(0);
        RuleFor(x => x.Tkp).GreaterThanOrEqualTo(0);
    }
}

/// <summary>The answer to a recorded SKD result: whether it meets the threshold of the formation's category.</summary>
public sealed record SkdAssessmentView(Guid ApplicationId, int Total, bool ThresholdMet, IReadOnlyList<string> Shortfalls, string Category, string RuleSetVersion);

public static class RecordSkdResultEndpoint
{
    /// <summary>Record an SKD result (stage Skd) and answer whether it meets the threshold of the formation's category.</summary>
    [WolverinePost("/applications/{applicationId}/skd-result", OperationId = "RecordSkdResult")]
    [ProducesResponseType<SkdAssessmentView>(StatusCodes.Status200OK)]
    [Tags("Applications")]
    [Authorize(Roles = Roles.Committee)]
    public static Task<IResult> Post(Guid applicationId, RecordSkdResultRequest request, ClaimsPrincipal user, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var command = new RecordSkdResult(applicationId, new SkdScore(request.Twk, request.Tiu, request.Tkp), clock.GetUtcNow());
        return session.OnApplicationAsync(user, applicationId, c => ApplicationDecisions.RecordSkd(c.Round, c.Formation, c.Application, command), d =>
        {
            var recorded = (SkdResultRecorded)d.Events[0];
            return Results.Ok(new SkdAssessmentView(applicationId, recorded.Total, recorded.ThresholdMet, recorded.Shortfalls, recorded.Category.Code(), recorded.RuleSetVersion));
        }, ct);
    }
}
