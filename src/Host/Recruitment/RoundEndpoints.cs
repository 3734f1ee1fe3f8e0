using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Merit.Security;
using FluentValidation;
using Marten;
using Merit.Infrastructure;
using Merit.Recruitment;
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

/// <summary>Move a round to its next stage; <c>to</c> must be the stage that follows the current one (R05).</summary>
public sealed record AdvanceRoundStageRequest(string To);

public sealed class AdvanceRoundStageRequestValidator : AbstractValidator<AdvanceRoundStageRequest>
{
    public AdvanceRoundStageRequestValidator()
    {
        RuleFor(x => x.To).Must(s => Enum.TryParse<RoundStage>(s, ignoreCase: false, out _) && !int.TryParse(s, out _))
            .WithMessage($"Stage must be one of {string.Join(", ", Enum.GetNames<RoundStage>())}.");
    }
}

/// <summary>A round's id, code, rule set and current stage.</summary>
public sealed record RoundView(Guid Id, string Code, string Name, string RuleSetVersion, RoundStage Stage, DateTimeOffset StageSince)
{
    public static RoundView From(Round r) => new(r.Id, r.Code, r.Name, r.RuleSetVersion, r.Stage, r.StageSince);
}

public static class RoundEndpoints
{
    /// <summary>Open a round (CPNS or PPPK) under a named rule set.</summary>
    [WolverinePost("/rounds", OperationId = "OpenRound")]
    [Tags("Rounds")]
    [Authorize(Roles = Roles.Admin)]
    public static async Task<IResult> Open(OpenRoundRequest request, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var id = RoundDecisions.IdFor(request.Code);
        var stream = await session.Events.FetchForWriting<Round>(id, ct);
        var decision = RoundDecisions.Open(stream.Aggregate, new OpenRound(request.Code, request.Name, request.RuleSetVersion, clock.GetUtcNow()));
        return decision.AppendTo(stream, () => Results.Created($"/rounds/{id}", new { id, code = request.Code, stage = RoundStage.Announcement }));
    }

    /// <summary>Advance a round to its next stage.</summary>
    [WolverinePost("/rounds/{roundId}/stage", OperationId = "AdvanceRoundStage")]
    [Tags("Rounds")]
    [Authorize(Roles = Roles.Committee)]
    public static async Task<IResult> Advance(Guid roundId, AdvanceRoundStageRequest request, ClaimsPrincipal user, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var stream = await session.Events.FetchForWriting<Round>(roundId, ct);
        if (stream.Aggregate is null)
        {
            return Results.Problem(Problems.NotFound("round", roundId));
        }

        if (RoundScope.Refuse(user, stream.Aggregate) is { } outside)
        {
            return outside;
        }

        var to = Enum.Parse<RoundStage>(request.To);
        if (stream.Aggregate.Stage is RoundStage.Announcement or RoundStage.Registration)
        {
            var formations = await session.Query<Formation>().Where(f => f.RoundId == roundId).ToListAsync(ct);
            if (KalimantanAffirmation.Check(stream.Aggregate.Rules(), formations) is { } unreserved)
            {
                return Problems.ToResult(unreserved);
            }
        }

        var decision = RoundDecisions.Advance(stream.Aggregate, new AdvanceRoundStage(roundId, to, clock.GetUtcNow()));
        return decision.AppendTo(stream, () => Results.Ok(new { id = roundId, stage = to }));
    }

    /// <summary>A round and its current stage.</summary>
    [WolverineGet("/rounds/{roundId}", OperationId = "GetRound")]
    [Tags("Rounds")]
    [Authorize(Roles = Roles.Anyone)]
    public static async Task<IResult> Get(Guid roundId, IQuerySession session, CancellationToken ct) =>
        await session.LoadAsync<Round>(roundId, ct) is { } round
            ? Results.Ok(RoundView.From(round))
            : Results.Problem(Problems.NotFound("round", roundId));

    /// <summary>The rule sets Merit ships, with their thresholds, weights and sources.</summary>
    [WolverineGet("/rule-sets", OperationId = "ListRuleSets")]
    [Tags("Rule sets")]
    [Authorize(Roles = Roles.Anyone)]
    public static IEnumerable<RuleSet> RuleSets() => RuleSetCatalog.RuleSets.OrderBy(r => r.Version, StringComparer.Ordinal);
}
