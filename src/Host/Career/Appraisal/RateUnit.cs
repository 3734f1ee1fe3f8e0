using System.Security.Claims;
using FluentValidation;
using Marten;
using Merit.Infrastructure;
using Merit.Security;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;
using Microsoft.AspNetCore.Mvc;

namespace Merit.Career;

/// <summary>One employee's predicate in a unit's appraisal.</summary>
public sealed record UnitRatingRequest(Guid ServantId, string Predicate);

/// <summary>
/// A unit's appraisal of a year: the organisation's predicate (Istimewa, Baik, ButuhPerbaikan, Kurang,
/// SangatKurang) and every employee's predicate, recorded together when the distribution is allowed (R33).
/// </summary>
public sealed record RateUnitRequest(string InstansiCode, string UnitCode, int Year, string OrganisationPredicate, IReadOnlyList<UnitRatingRequest> Ratings);

public sealed class RateUnitRequestValidator : AbstractValidator<RateUnitRequest>
{
    public RateUnitRequestValidator()
    {
        RuleFor(x => x.InstansiCode).NotEmpty().MaximumLength(42);
        RuleFor(x => x.UnitCode).NotEmpty().MaximumLength(42);
        RuleFor(x => x.Year).InclusiveBetween(2000, 2100);
        RuleFor(x => x.OrganisationPredicate).IsName<RateUnitRequest, OrganisationPredicate>();
        RuleFor(x => x.Ratings).NotEmpty().Must(r => r.Count <= 20_000).WithMessage("At most 20,000 ratings per unit.");
        RuleForEach(x => x.Ratings).ChildRules(r => r.RuleFor(x => x.Predicate).IsName<UnitRatingRequest, Predicate>());
    }
}

/// <summary>A unit's appraisal recorded: how many of its members got each predicate, under which rule set.</summary>
public sealed record UnitAppraisalView(Guid Id, IReadOnlyDictionary<Predicate, int> Counts, string RuleSetVersion);

public static class RateUnitEndpoint
{
    /// <summary>Record a unit's SKP predicates for a year, each on its civil servant's record, when the distribution fits the organisation's predicate (R33).</summary>
    [WolverinePost("/performance-appraisals", OperationId = "RateUnit")]
    [ProducesResponseType<UnitAppraisalView>(StatusCodes.Status201Created)]
    [Tags("Career")]
    [Authorize(Roles = Roles.Committee)]
    public static Task<IResult> Post(RateUnitRequest request, ClaimsPrincipal user, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var id = PerformanceDistribution.AppraisalIdFor(request.InstansiCode, request.UnitCode, request.Year);
        var command = new RateUnit(
            request.InstansiCode, request.UnitCode, request.Year, CareerCodes.Parse<OrganisationPredicate>(request.OrganisationPredicate),
            request.Ratings.Select(r => (r.ServantId, CareerCodes.Parse<Predicate>(r.Predicate))).ToList(), clock.GetUtcNow());
        return session.DecideAsync<UnitAppraisal>(id, async appraisal =>
        {
            var records = (await session.LoadManyAsync<CareerRecord>(ct, request.Ratings.Select(r => r.ServantId).Distinct().ToArray())).ToDictionary(r => r.Id);
            return InstansiScope.Check(user, request.InstansiCode) ?? PerformanceDistribution.RateUnit(appraisal, records, command);
        }, d =>
        {
            var rated = (UnitPerformanceRated)d.Events[0];
            return Results.Created($"/performance-appraisals/{id}", new UnitAppraisalView(id, rated.Counts, rated.RuleSetVersion));
        }, ct);
    }
}
