using FluentValidation;
using Marten;
using Merit.Infrastructure;
using Merit.Security;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Merit.Recruitment;

/// <summary>Open a selection round under a rule set version.</summary>
/// <param name="Code">The round's code, e.g. <c>CPNS-2024</c>; its id derives from it.</param>
/// <param name="Name">A title for people, e.g. <c>CPNS 2024</c>.</param>
/// <param name="RuleSetVersion">The rule set applied to every decision of the round, e.g. <c>CPNS-2024</c>.</param>
public sealed record OpenRoundRequest(string Code, string Name, string RuleSetVersion);

public sealed class OpenRoundRequestValidator : AbstractValidator<OpenRoundRequest>
{
    public OpenRoundRequestValidator()
    {
        RuleFor(x => x.Code).NotEmpty().MaximumLength(40).Matches("^[A-Za-z0-9._-]+$")
            .WithMessage("Code must be 1–40 letters, digits, '.', '_' or '-'.");
        RuleFor(x => x.Name).NotEmpty().MaximumLength(200);
        RuleFor(x => x.RuleSetVersion).NotEmpty().MaximumLength(40);
    }
}

public static class OpenRoundEndpoint
{
    /// <summary>Open a round (CPNS or PPPK) under a named rule set.</summary>
    [WolverinePost("/rounds", OperationId = "OpenRound")]
    [Tags("Rounds")]
    [Authorize(Roles = Roles.Admin)]
    public static Task<IResult> Post(OpenRoundRequest request, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var id = RoundDecisions.IdFor(request.Code);
        return session.DecideAsync<Round>(
            id,
            existing => RoundDecisions.Open(existing, new OpenRound(request.Code, request.Name, request.RuleSetVersion, clock.GetUtcNow())),
            _ => Results.Created($"/rounds/{id}", new { id, code = request.Code, stage = RoundStage.Announcement }),
            ct);
    }
}
