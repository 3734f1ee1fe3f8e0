using Merit.Security;
using Microsoft.AspNetCore.Authorization;
using FluentValidation;
using Marten;
using Wolverine.Http;

namespace Merit.Career;

/// <summary>
/// An instansi's own 9-box numbering: a version name, the box of each cell (performance Below/Meets/Above →
/// potential Low/Medium/High → 1..9) and the succession boxes.
/// </summary>
public sealed record AdoptTalentMatrixRequest(string Version, IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> Cells, IReadOnlyList<int> SuccessionBoxes);

public sealed class AdoptTalentMatrixRequestValidator : AbstractValidator<AdoptTalentMatrixRequest>
{
    public AdoptTalentMatrixRequestValidator()
    {
        RuleFor(x => x.Version).NotEmpty().MaximumLength(40);
        RuleFor(x => x.Cells).NotNull()
            .Must(c => c.Keys.All(CareerCodes.IsKey<PerformanceLevel>) && c.Values.All(r => r is not null && r.Keys.All(CareerCodes.IsKey<PotentialLevel>)))
            .WithMessage("Cells are keyed by performance (Below, Meets, Above), then potential (Low, Medium, High).");
        RuleFor(x => x.SuccessionBoxes).NotNull();
    }
}

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

/// <summary>Talent management (PermenPANRB 3/2020): 9-box per the instansi's matrix or the default, succession group, track record (R39, R40).</summary>
public static class TalentEndpoints
{
    /// <summary>Adopt an instansi's own 9-box numbering, as a new version.</summary>
    [WolverinePost("/talent-matrices/{instansiCode}", OperationId = "AdoptTalentMatrix")]
    [Tags("Career")]
    [Authorize(Roles = Roles.Admin)]
    public static Task<IResult> Adopt(string instansiCode, AdoptTalentMatrixRequest request, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var cells = request.Cells.ToDictionary(
            r => CareerCodes.ParseKey<PerformanceLevel>(r.Key),
            r => (IReadOnlyDictionary<PotentialLevel, int>)r.Value.ToDictionary(c => CareerCodes.ParseKey<PotentialLevel>(c.Key), c => c.Value));
        var command = new AdoptTalentMatrix(instansiCode, request.Version, new TalentMatrix(cells, request.SuccessionBoxes), clock.GetUtcNow());
        return session.DecideAsync<InstansiTalentMatrix>(TalentDecisions.MatrixIdFor(instansiCode), m => TalentDecisions.Adopt(m, command), ct);
    }

    /// <summary>The 9-box numbering in force for an instansi: its own, or the default of the talent rule set.</summary>
    [WolverineGet("/talent-matrices/{instansiCode}", OperationId = "GetTalentMatrix")]
    [Tags("Career")]
    [Authorize(Roles = Roles.CommitteeOrAuditor)]
    public static async Task<IResult> Get(string instansiCode, IQuerySession session, CancellationToken ct)
    {
        if (await session.LoadAsync<InstansiTalentMatrix>(TalentDecisions.MatrixIdFor(instansiCode), ct) is { } own)
        {
            return Results.Ok(new { instansiCode, version = own.Version, own.Matrix });
        }

        var rules = CareerRuleSets.Talent.RuleSets[^1];
        return Results.Ok(new { instansiCode, version = rules.Version, matrix = rules.DefaultMatrix });
    }

    /// <summary>Map a civil servant to a box; answers the box, the succession group and the track-record screen.</summary>
    [WolverinePost("/civil-servants/{servantId}/talent-mapping", OperationId = "MapTalent")]
    [Tags("Career")]
    [Authorize(Roles = Roles.Committee)]
    public static async Task<IResult> Map(Guid servantId, MapTalentRequest request, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var record = await session.LoadAsync<CareerRecord>(servantId, ct);
        var matrix = record is null ? null : await session.LoadAsync<InstansiTalentMatrix>(TalentDecisions.MatrixIdFor(record.InstansiCode), ct);
        var command = new MapTalent(servantId, request.Year, CareerCodes.ParseOptional<PerformanceLevel>(request.Performance), CareerCodes.Parse<PotentialLevel>(request.Potential), IsoDate.Parse(request.On), clock.GetUtcNow());
        return await session.DecideAsync<CareerRecord>(servantId, r => TalentDecisions.Map(r, matrix, command), ct, d => Results.Ok(d.Events[0]));
    }
}
