using System.Security.Claims;
using FluentValidation;
using Marten;
using Merit.Security;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;
using Microsoft.AspNetCore.Mvc;

namespace Merit.Recruitment;

/// <summary>SKB component weights of a formation (fractions summing to 1, e.g. cat 0.6, additional 0.3, interview 0.1).</summary>
public sealed record SetSkbWeightsRequest(decimal Cat, decimal Additional, decimal Interview);

public sealed class SetSkbWeightsRequestValidator : AbstractValidator<SetSkbWeightsRequest>
{
    public SetSkbWeightsRequestValidator()
    {
        RuleFor(x => x.Cat).InclusiveBetween(0m, 1m);
        RuleFor(x => x.Additional).InclusiveBetween(0m, 1m);
        RuleFor(x => x.Interview).InclusiveBetween(0m, 1m);
    }
}

public static class SetSkbWeightsEndpoint
{
    /// <summary>Set a formation's SKB component weights under the rule set's limits (R14).</summary>
    [WolverinePost("/formations/{formationId}/skb-weights", OperationId = "SetSkbWeights")]
    [ProducesResponseType<FormationDecided>(StatusCodes.Status200OK)]
    [Tags("Formations")]
    [Authorize(Roles = Roles.Committee)]
    public static Task<IResult> Post(Guid formationId, SetSkbWeightsRequest request, ClaimsPrincipal user, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        session.OnFormationAsync(user, formationId, c => SkbDecisions.SetWeights(c.Round, c.Formation, new SetSkbWeights(formationId, new SkbWeights(request.Cat, request.Additional, request.Interview), clock.GetUtcNow())), RecruitmentCases.Counted(formationId), ct);
}
