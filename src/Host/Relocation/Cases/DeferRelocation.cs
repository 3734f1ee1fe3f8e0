using System.Security.Claims;
using FluentValidation;
using Marten;
using Merit.Career;
using Merit.Infrastructure;
using Merit.Security;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;
using Microsoft.AspNetCore.Mvc;

namespace Merit.Relocation;

/// <summary>A deferral: the reason, and until when.</summary>
public sealed record DeferRequest(string Reason, string Until, string On);

public sealed class DeferRequestValidator : AbstractValidator<DeferRequest>
{
    public DeferRequestValidator()
    {
        RuleFor(x => x.Reason).NotEmpty().MaximumLength(500);
        RuleFor(x => x.Until).IsIsoDate();
        RuleFor(x => x.On).IsIsoDate();
    }
}

public static class DeferRelocationEndpoint
{
    /// <summary>Defer with a reason until a date; the housing unit stays reserved.</summary>
    [WolverinePost("/relocation-cases/{caseId}/deferral", OperationId = "DeferRelocation")]
    [ProducesResponseType<CommandPath.Appended>(StatusCodes.Status200OK)]
    [Tags("Relocation")]
    [Authorize(Roles = Roles.Committee)]
    public static Task<IResult> Post(Guid caseId, DeferRequest request, ClaimsPrincipal user, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        session.DecideAsync<RelocationCase>(user, caseId, c => RelocationDecisions.Defer(c, new DeferRelocation(caseId, request.Reason, IsoDate.Parse(request.Until), IsoDate.Parse(request.On), clock.GetUtcNow())), ct);
}
