using System.Security.Claims;
using FluentValidation;
using Marten;
using Merit.Infrastructure;
using Merit.Security;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;
using Microsoft.AspNetCore.Mvc;

namespace Merit.Career;

/// <summary>The SKP predicate of a year: SangatBaik, Baik, ButuhPerbaikan, Kurang or SangatKurang.</summary>
public sealed record RatePerformanceRequest(int Year, string Predicate);

public sealed class RatePerformanceRequestValidator : AbstractValidator<RatePerformanceRequest>
{
    public RatePerformanceRequestValidator()
    {
        RuleFor(x => x.Year).InclusiveBetween(1950, 2100);
        RuleFor(x => x.Predicate).IsName<RatePerformanceRequest, Predicate>();
    }
}

public static class RatePerformanceEndpoint
{
    /// <summary>Record the SKP predicate of a year.</summary>
    [WolverinePost("/civil-servants/{servantId}/performance", OperationId = "RatePerformance")]
    [ProducesResponseType<CommandPath.Appended>(StatusCodes.Status200OK)]
    [Tags("Career")]
    [Authorize(Roles = Roles.Committee)]
    public static Task<IResult> Post(Guid servantId, RatePerformanceRequest request, ClaimsPrincipal user, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        session.DecideAsync<CareerRecord>(user, servantId, r => CareerDecisions.RatePerformance(r, new RatePerformance(servantId, request.Year, CareerCodes.Parse<Predicate>(request.Predicate), clock.GetUtcNow())), ct);
}
