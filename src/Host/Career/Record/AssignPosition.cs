using System.Security.Claims;
using FluentValidation;
using Marten;
using Merit.Infrastructure;
using Merit.Security;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;
using Microsoft.AspNetCore.Mvc;

namespace Merit.Career;

/// <summary>A position held from a date: kind (Pelaksana, Fungsional, Pengawas, Administrator, JptPratama…), title, JF level for Fungsional, and the direct superior's rank.</summary>
public sealed record AssignPositionRequest(string Kind, string Title, string? FunctionalLevel, string? SuperiorRank, string From);

public sealed class AssignPositionRequestValidator : AbstractValidator<AssignPositionRequest>
{
    public AssignPositionRequestValidator()
    {
        RuleFor(x => x.Kind).IsName<AssignPositionRequest, PositionKind>();
        RuleFor(x => x.Title).NotEmpty().MaximumLength(200);
        RuleFor(x => x.FunctionalLevel).IsOptionalName<AssignPositionRequest, FunctionalLevel>();
        RuleFor(x => x.SuperiorRank).IsOptionalRank();
        RuleFor(x => x.From).IsIsoDate();
    }
}

public static class AssignPositionEndpoint
{
    /// <summary>Record a position held from a date.</summary>
    [WolverinePost("/civil-servants/{servantId}/positions", OperationId = "AssignPosition")]
    [ProducesResponseType<CommandPath.Appended>(StatusCodes.Status200OK)]
    [Tags("Career")]
    [Authorize(Roles = Roles.Committee)]
    public static Task<IResult> Post(Guid servantId, AssignPositionRequest request, ClaimsPrincipal user, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        session.DecideAsync<CareerRecord>(user, servantId, r => CareerDecisions.AssignPosition(r, new AssignPosition(
            servantId, CareerCodes.Parse<PositionKind>(request.Kind), request.Title, CareerCodes.ParseOptional<FunctionalLevel>(request.FunctionalLevel), CareerCodes.OptionalRank(request.SuperiorRank), IsoDate.Parse(request.From), clock.GetUtcNow())), ct);
}
