using System.Security.Claims;
using FluentValidation;
using Marten;
using Merit.Infrastructure;
using Merit.Security;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;
using Microsoft.AspNetCore.Mvc;

namespace Merit.Career;

/// <summary>The lifting of a block, on a date.</summary>
public sealed record UnblockRequest(string On);

public sealed class UnblockRequestValidator : AbstractValidator<UnblockRequest>
{
    public UnblockRequestValidator() => RuleFor(x => x.On).IsIsoDate();
}

public static class UnblockServicesEndpoint
{
    /// <summary>Lift a block (R46).</summary>
    [WolverinePost("/civil-servants/{servantId}/blocks/{reference}/lifting", OperationId = "UnblockServices")]
    [ProducesResponseType<CommandPath.Appended>(StatusCodes.Status200OK)]
    [Tags("Career")]
    [Authorize(Roles = Roles.Bkn)]
    public static Task<IResult> Post(Guid servantId, string reference, UnblockRequest request, ClaimsPrincipal user, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        session.DecideAsync<CareerRecord>(user, servantId, r => CareerDecisions.Unblock(r, new UnblockServices(servantId, reference, IsoDate.Parse(request.On), clock.GetUtcNow())), ct);
}
