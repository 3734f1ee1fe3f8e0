using System.Security.Claims;
using FluentValidation;
using Marten;
using Merit.Infrastructure;
using Merit.Security;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;
using Microsoft.AspNetCore.Mvc;

namespace Merit.Career;

/// <summary>End of probation: the TMT PNS (the 1st of a month after the probation year).</summary>
public sealed record ConcludeProbationRequest(string TmtPns);

public sealed class ConcludeProbationRequestValidator : AbstractValidator<ConcludeProbationRequest>
{
    public ConcludeProbationRequestValidator() => RuleFor(x => x.TmtPns).IsIsoDate();
}

public static class ConcludeProbationEndpoint
{
    /// <summary>End the probation: PNS appointment, or dismissal as CPNS without a latsar pass or health certificate (R19).</summary>
    [WolverinePost("/civil-servants/{servantId}/probation-conclusion", OperationId = "ConcludeProbation")]
    [ProducesResponseType<CommandPath.Appended>(StatusCodes.Status200OK)]
    [Tags("Career")]
    [Authorize(Roles = Roles.Ppk)]
    public static Task<IResult> Post(Guid servantId, ConcludeProbationRequest request, ClaimsPrincipal user, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        session.DecideAsync<CareerRecord>(user, servantId, r => CareerDecisions.ConcludeProbation(r, new ConcludeProbation(servantId, IsoDate.Parse(request.TmtPns), clock.GetUtcNow())), ct);
}
