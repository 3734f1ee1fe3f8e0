using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Merit.Security;
using FluentValidation;
using Marten;
using Merit.Infrastructure;
using Merit.Projections.Recruitment;
using Wolverine.Http;

namespace Merit.Recruitment;

/// <summary>Open a formation (formasi) in a round.</summary>
/// <param name="Code">Formation code, unique in the round.</param>
/// <param name="InstansiCode">The instansi (agency) code; opaque (R27).</param>
/// <param name="Category">One of umum, cumlaude, diaspora, disabilitas, papua, daerah_tertinggal, kalimantan.</param>
/// <param name="Allocation">Number of places (jumlah kebutuhan).</param>
/// <param name="EducationLevel">Required education level, e.g. S1.</param>
public sealed record OpenFormationRequest(string Code, string InstansiCode, string Position, string Location, string Category, int Allocation, string EducationLevel);

public sealed class OpenFormationRequestValidator : AbstractValidator<OpenFormationRequest>
{
    public OpenFormationRequestValidator()
    {
        RuleFor(x => x.Code).NotEmpty().MaximumLength(64);
        RuleFor(x => x.InstansiCode).NotEmpty().MaximumLength(64);
        RuleFor(x => x.Position).NotEmpty().MaximumLength(200);
        RuleFor(x => x.Location).NotEmpty().MaximumLength(200);
        RuleFor(x => x.Category).Must(c => FormationCategories.TryParse(c, out _))
            .WithMessage($"Category must be one of {string.Join(", ", FormationCategories.Codes)}.");
        RuleFor(x => x.Allocation).InclusiveBetween(1, 100_000);
        RuleFor(x => x.EducationLevel).IsEnumName(typeof(EducationLevel), caseSensitive: true)
            .WithMessage($"Education level must be one of {string.Join(", ", Enum.GetNames<EducationLevel>())}.");
    }
}

public static class FormationEndpoints
{
    /// <summary>Open a formation in a round (stage Announcement or Registration).</summary>
    [WolverinePost("/rounds/{roundId}/formations", OperationId = "OpenFormation")]
    [Tags("Formations")]
    [Authorize(Roles = Roles.Committee)]
    public static async Task<IResult> Open(Guid roundId, OpenFormationRequest request, ClaimsPrincipal user, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        if (await session.Events.FetchLatest<Round>(roundId, ct) is not { } round)
        {
            return Results.Problem(Problems.NotFound("round", roundId));
        }

        if (RoundScope.Refuse(user, round) is { } outside)
        {
            return outside;
        }

        var id = FormationDecisions.IdFor(roundId, request.Code);
        var stream = await session.Events.FetchForWriting<Formation>(id, ct);
        var command = new OpenFormation(roundId, request.Code, request.InstansiCode, request.Position, request.Location, FormationCategories.Parse(request.Category), request.Allocation, Enum.Parse<EducationLevel>(request.EducationLevel), clock.GetUtcNow());
        return FormationDecisions.Open(round, stream.Aggregate, command)
            .AppendTo(stream, () => Results.Created($"/formations/{id}", new { id, code = request.Code }));
    }

    /// <summary>Per-formation counts (asynchronous read model; may trail the newest event briefly).</summary>
    [WolverineGet("/formations/{formationId}/summary", OperationId = "GetFormationSummary")]
    [Tags("Formations")]
    [Authorize(Roles = Roles.CommitteeOrAuditor)]
    public static async Task<IResult> Summary(Guid formationId, IQuerySession session, CancellationToken ct) =>
        await session.LoadAsync<FormationSummary>(formationId, ct) is { } summary
            ? Results.Ok(summary)
            : Results.Problem(Problems.NotFound("formation summary", formationId));

    /// <summary>All formation summaries of a round, ordered by formation code.</summary>
    [WolverineGet("/rounds/{roundId}/formations", OperationId = "ListFormations")]
    [Tags("Formations")]
    [Authorize(Roles = Roles.CommitteeOrAuditor)]
    public static Task<IReadOnlyList<FormationSummary>> List(Guid roundId, IQuerySession session, CancellationToken ct) =>
        session.Query<FormationSummary>().Where(f => f.RoundId == roundId).OrderBy(f => f.Code).ToListAsync(ct);
}
