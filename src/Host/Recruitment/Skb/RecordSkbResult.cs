using System.Security.Claims;
using FluentValidation;
using Marten;
using Merit.Security;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;
using Microsoft.AspNetCore.Mvc;

namespace Merit.Recruitment;

/// <summary>An SKB result: the weighted score (0–100, two decimals) or the component scores (0–100 each).</summary>
public sealed record RecordSkbResultRequest(decimal? Score, decimal? Cat, decimal? Additional, decimal? Interview);

public sealed class RecordSkbResultRequestValidator : AbstractValidator<RecordSkbResultRequest>
{
    public RecordSkbResultRequestValidator()
    {
        RuleFor(x => x).Must(x => x.Score is not null ^ x.Cat is not null).WithName("score").WithMessage("Give either score or the components (cat, additional, interview).");
        RuleFor(x => x.Score).InclusiveBetween(0m, 100m).PrecisionScale(5, 2, ignoreTrailingZeros: true);
        RuleFor(x => x.Cat).InclusiveBetween(0m, 100m);
        RuleFor(x => x.Additional).InclusiveBetween(0m, 100m);
        RuleFor(x => x.Interview).InclusiveBetween(0m, 100m);
    }
}

public static class RecordSkbResultEndpoint
{
    /// <summary>Record an SKB result (stage Skb), for an applicant the cut-off admitted.</summary>
    [WolverinePost("/applications/{applicationId}/skb-result", OperationId = "RecordSkbResult")]
    [ProducesResponseType<ApplicationRecorded>(StatusCodes.Status200OK)]
    [Tags("Applications")]
    [Authorize(Roles = Roles.Committee)]
    public static Task<IResult> Post(Guid applicationId, RecordSkbResultRequest request, ClaimsPrincipal user, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var command = new RecordSkbResult(applicationId, request.Score, request.Cat is { } cat ? new SkbComponents(cat, request.Additional, request.Interview) : null, clock.GetUtcNow());
        return session.OnApplicationAsync(user, applicationId, c => SkbDecisions.Record(c.Round, c.Formation, c.Application, command), RecruitmentCases.Recorded(applicationId), ct);
    }
}
