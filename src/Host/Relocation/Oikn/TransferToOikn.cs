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

/// <summary>The open selection (one JPT selection stream) that appointed the civil servant, and the TMT of the transfer.</summary>
public sealed record OiknTransferRequest(Guid SelectionId, string Tmt);

public sealed class OiknTransferRequestValidator : AbstractValidator<OiknTransferRequest>
{
    public OiknTransferRequestValidator()
    {
        RuleFor(x => x.SelectionId).NotEmpty();
        RuleFor(x => x.Tmt).IsIsoDate();
    }
}

public static class TransferToOiknEndpoint
{
    /// <summary>Transfer a regional-government civil servant to OIKN after the open selection appointed them (R42); refused while blocked (R46).</summary>
    [WolverinePost("/civil-servants/{servantId}/oikn-transfer", OperationId = "TransferToOikn")]
    [ProducesResponseType<CommandPath.Appended>(StatusCodes.Status200OK)]
    [Tags("Relocation")]
    [Authorize(Roles = Roles.Committee)]
    public static Task<IResult> Post(Guid servantId, OiknTransferRequest request, ClaimsPrincipal user, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        session.DecideAsync<CareerRecord>(user, servantId, async r =>
            OiknTransfer.Transfer(r, await session.LoadAsync<JptSelection>(request.SelectionId, ct), new TransferToOikn(servantId, request.SelectionId, IsoDate.Parse(request.Tmt), clock.GetUtcNow())), ct);
}
