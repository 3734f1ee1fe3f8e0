using System.Security.Claims;
using FluentValidation;
using Marten;
using Merit.Infrastructure;
using Merit.Security;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;
using Microsoft.AspNetCore.Mvc;

namespace Merit.Career;

/// <summary>A BKN block (Peraturan BKN 1/2023) with its reference and reason.</summary>
public sealed record BlockRequest(string Reference, string Reason, string On);

public sealed class BlockRequestValidator : AbstractValidator<BlockRequest>
{
    public BlockRequestValidator()
    {
        RuleFor(x => x.Reference).NotEmpty().MaximumLength(100);
        RuleFor(x => x.Reason).NotEmpty().MaximumLength(1000);
        RuleFor(x => x.On).IsIsoDate();
    }
}

public static class BlockServicesEndpoint
{
    /// <summary>Block the civil servant's data and services (R46): every service command is refused until lifted.</summary>
    [WolverinePost("/civil-servants/{servantId}/blocks", OperationId = "BlockServices")]
    [ProducesResponseType<CommandPath.Appended>(StatusCodes.Status200OK)]
    [Tags("Career")]
    [Authorize(Roles = Roles.Bkn)]
    public static Task<IResult> Post(Guid servantId, BlockRequest request, ClaimsPrincipal user, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        session.DecideAsync<CareerRecord>(user, servantId, r => CareerDecisions.Block(r, new BlockServices(servantId, request.Reference, request.Reason, IsoDate.Parse(request.On), clock.GetUtcNow())), ct);
}
