using Merit.Localization;
using System.Security.Claims;
using FluentValidation;
using Merit.Career;
using Marten;
using Merit.Security;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;
using Microsoft.AspNetCore.Mvc;

namespace Merit.Recruitment;

/// <summary>Open a formation (formasi) in a round.</summary>
/// <param name="Code">Formation code, unique in the round.</param>
/// <param name="InstansiCode">The instansi (agency) code; opaque (R27).</param>
/// <param name="Category">One of umum, cumlaude, diaspora, disabilitas, papua, daerah_tertinggal, kalimantan.</param>
/// <param name="Allocation">Number of places (jumlah kebutuhan).</param>
/// <param name="EducationLevel">Required education level, e.g. S1.</param>
/// <param name="PositionKind">Where the rule set gives the position an extended age limit, its kind, e.g. <c>dokter_spesialis</c> (R06); absent for none.</param>
public sealed record OpenFormationRequest(string Code, string InstansiCode, string Position, string Location, string Category, int Allocation, string EducationLevel, string? PositionKind = null);

public sealed class OpenFormationRequestValidator : AbstractValidator<OpenFormationRequest>
{
    public OpenFormationRequestValidator()
    {
        RuleFor(x => x.Code).NotEmpty().MaximumLength(64);
        RuleFor(x => x.InstansiCode).NotEmpty().MaximumLength(64);
        RuleFor(x => x.Position).NotEmpty().MaximumLength(200);
        RuleFor(x => x.Location).NotEmpty().MaximumLength(200);
        RuleFor(x => x.Category).Must(c => FormationCategories.TryParse(c, out _))
            .WithMessage(_ => Texts.Current.Say($"Category must be one of {string.Join(", ", FormationCategories.Codes)}."));
        RuleFor(x => x.Allocation).InclusiveBetween(1, 100_000);
        RuleFor(x => x.EducationLevel).IsName<OpenFormationRequest, EducationLevel>()
            .WithMessage(_ => Texts.Current.Say($"Education level must be one of {string.Join(", ", Enum.GetNames<EducationLevel>())}."));
        RuleFor(x => x.PositionKind).MaximumLength(64);
    }
}

/// <summary>A formation opened: its id (derived from the round and its code) and its code.</summary>
public sealed record FormationOpenedView(Guid Id, string Code);

public static class OpenFormationEndpoint
{
    /// <summary>Open a formation in a round (stage Announcement or Registration).</summary>
    [WolverinePost("/rounds/{roundId}/formations", OperationId = "OpenFormation")]
    [ProducesResponseType<FormationOpenedView>(StatusCodes.Status201Created)]
    [Tags("Formations")]
    [Authorize(Roles = Roles.Committee)]
    public static Task<IResult> Post(Guid roundId, OpenFormationRequest request, ClaimsPrincipal user, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var id = FormationDecisions.IdFor(roundId, request.Code);
        var command = new OpenFormation(roundId, request.Code, request.InstansiCode, request.Position, request.Location, FormationCategories.Parse(request.Category), request.Allocation, Enum.Parse<EducationLevel>(request.EducationLevel), clock.GetUtcNow(), request.PositionKind);
        return session.InRoundAsync<Formation>(user, roundId, id, (round, existing) => FormationDecisions.Open(round, existing, command), _ => Results.Created($"/formations/{id}", new FormationOpenedView(id, request.Code)), ct);
    }
}
