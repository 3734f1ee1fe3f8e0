using System.Security.Claims;
using FluentValidation;
using Marten;
using Merit.Infrastructure;
using Merit.Security;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;
using Microsoft.AspNetCore.Mvc;

namespace Merit.Career;

/// <summary>An ethics violation established by decree on a date.</summary>
public sealed record RecordEthicsViolationRequest(string DecreeNumber, string On);

public sealed class RecordEthicsViolationRequestValidator : AbstractValidator<RecordEthicsViolationRequest>
{
    public RecordEthicsViolationRequestValidator()
    {
        RuleFor(x => x.DecreeNumber).NotEmpty().MaximumLength(100);
        RuleFor(x => x.On).IsIsoDate();
    }
}

public static class RecordEthicsViolationEndpoint
{
    /// <summary>Record an ethics violation (R40).</summary>
    [WolverinePost("/civil-servants/{servantId}/ethics-violations", OperationId = "RecordEthicsViolation")]
    [ProducesResponseType<CommandPath.Appended>(StatusCodes.Status200OK)]
    [Tags("Career")]
    [Authorize(Roles = Roles.Committee)]
    public static Task<IResult> Post(Guid servantId, RecordEthicsViolationRequest request, ClaimsPrincipal user, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        session.DecideAsync<CareerRecord>(user, servantId, r => CareerDecisions.RecordEthicsViolation(r, new RecordEthicsViolation(servantId, request.DecreeNumber, IsoDate.Parse(request.On), clock.GetUtcNow())), ct);
}
