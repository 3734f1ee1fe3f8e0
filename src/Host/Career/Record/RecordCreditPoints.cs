using System.Security.Claims;
using FluentValidation;
using Marten;
using Merit.Infrastructure;
using Merit.Security;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;
using Microsoft.AspNetCore.Mvc;

namespace Merit.Career;

/// <summary>Credit points (angka kredit) counted towards the next JF promotion.</summary>
public sealed record RecordCreditPointsRequest(decimal Total, string On);

public sealed class RecordCreditPointsRequestValidator : AbstractValidator<RecordCreditPointsRequest>
{
    public RecordCreditPointsRequestValidator()
    {
        RuleFor(x => x.Total).InclusiveBetween(0m, 10_000m).PrecisionScale(8, 3, ignoreTrailingZeros: true);
        RuleFor(x => x.On).IsIsoDate();
    }
}

public static class RecordCreditPointsEndpoint
{
    /// <summary>Record the credit points (angka kredit) of a JF holder (R29).</summary>
    [WolverinePost("/civil-servants/{servantId}/credit-points", OperationId = "RecordCreditPoints")]
    [ProducesResponseType<CommandPath.Appended>(StatusCodes.Status200OK)]
    [Tags("Career")]
    [Authorize(Roles = Roles.Committee)]
    public static Task<IResult> Post(Guid servantId, RecordCreditPointsRequest request, ClaimsPrincipal user, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        session.DecideAsync<CareerRecord>(user, servantId, r => CareerDecisions.RecordCreditPoints(r, new RecordCreditPoints(servantId, request.Total, IsoDate.Parse(request.On), clock.GetUtcNow())), ct);
}
