using FluentValidation;
using Marten;
using Merit.Infrastructure;
using Merit.Security;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;
using Microsoft.AspNetCore.Mvc;

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

public static class AdoptTalentMatrixEndpoint
{
    /// <summary>Adopt an instansi's own 9-box numbering, as a new version.</summary>
    [WolverinePost("/talent-matrices/{instansiCode}", OperationId = "AdoptTalentMatrix")]
    [ProducesResponseType<CommandPath.Appended>(StatusCodes.Status200OK)]
    [Tags("Career")]
    [Authorize(Roles = Roles.Admin)]
    public static Task<IResult> Post(string instansiCode, AdoptTalentMatrixRequest request, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var cells = request.Cells.ToDictionary(
            r => CareerCodes.ParseKey<PerformanceLevel>(r.Key),
            r => (IReadOnlyDictionary<PotentialLevel, int>)r.Value.ToDictionary(c => CareerCodes.ParseKey<PotentialLevel>(c.Key), c => c.Value));
        var command = new AdoptTalentMatrix(instansiCode, request.Version, new TalentMatrix(cells, request.SuccessionBoxes), clock.GetUtcNow());
        return session.DecideAsync<InstansiTalentMatrix>(TalentDecisions.MatrixIdFor(instansiCode), m => TalentDecisions.Adopt(m, command), ct);
    }
}
