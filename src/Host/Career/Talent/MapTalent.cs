using System.Security.Claims;
using FluentValidation;
using Marten;
using Merit.Infrastructure;
using Merit.Security;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;
using Microsoft.AspNetCore.Mvc;

namespace Merit.Career;

/// <summary>Map a civil servant: the potential level (Low, Medium, High), and the performance level (Below, Meets, Above) or none to take it from the SKP.</summary>
public sealed record MapTalentRequest(int Year, string? Performance, string Potential, string On);

public sealed class MapTalentRequestValidator : AbstractValidator<MapTalentRequest>
{
    public MapTalentRequestValidator()
    {
        RuleFor(x => x.Year).InclusiveBetween(2000, 2100);
        RuleFor(x => x.Performance).IsOptionalName<MapTalentRequest, PerformanceLevel>();
        RuleFor(x => x.Potential).IsName<MapTalentRequest, PotentialLevel>();
        RuleFor(x => x.On).IsIsoDate();
    }
}

public static class MapTalentEndpoint
{
    /// <summary>Map a civil servant to a box; answers the box, the succession group and the track-record screen.</summary>
    [WolverinePost("/civil-servants/{servantId}/talent-mapping", OperationId = "MapTalent")]
    [ProducesResponseType<TalentMapped>(StatusCodes.Status200OK)]
    [Tags("Career")]
    [Authorize(Roles = Roles.Committee)]
    public static Task<IResult> Post(Guid servantId, MapTalentRequest request, ClaimsPrincipal user, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var command = new MapTalent(servantId, request.Year, CareerCodes.ParseOptional<PerformanceLevel>(request.Performance), CareerCodes.Parse<PotentialLevel>(request.Potential), IsoDate.Parse(request.On), clock.GetUtcNow());
        return session.DecideAsync<CareerRecord>(user, servantId, async r =>
        {
            // The instansi's own 9-box numbering, if it adopted one; the talent rule set's default otherwise.
            var matrix = r is null ? null : await session.LoadAsync<InstansiTalentMatrix>(TalentDecisions.MatrixIdFor(r.InstansiCode), ct);
            return TalentDecisions.Map(r, matrix, command);
        }, d => Results.Ok(d.Events[0]), ct);
    }
}
