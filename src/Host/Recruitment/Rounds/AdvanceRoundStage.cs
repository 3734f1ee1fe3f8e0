using Merit.Localization;
using System.Security.Claims;
using FluentValidation;
using Marten;
using Merit.Security;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;
using Microsoft.AspNetCore.Mvc;

namespace Merit.Recruitment;

/// <summary>Move a round to its next stage; <c>to</c>, when given, must be the stage that follows the current one (R05).</summary>
/// <param name="To">The stage expected next (guards against a stale view); omitted, the round moves to its next stage.</param>
public sealed record AdvanceRoundStageRequest(string? To);

public sealed class AdvanceRoundStageRequestValidator : AbstractValidator<AdvanceRoundStageRequest>
{
    public AdvanceRoundStageRequestValidator()
    {
        RuleFor(x => x.To).Must(s => Enum.TryParse<RoundStage>(s, ignoreCase: false, out _) && !int.TryParse(s, out _))
            .When(x => x.To is not null)
            .WithMessage(_ => Texts.Current.Say($"Stage must be one of {string.Join(", ", Enum.GetNames<RoundStage>())}."));
    }
}

/// <summary>The round and the stage it is in now.</summary>
public sealed record RoundStageMoved(Guid Id, RoundStage Stage);

public static class AdvanceRoundStageEndpoint
{
    /// <summary>Advance a round to its next stage.</summary>
    [WolverinePost("/rounds/{roundId}/stage", OperationId = "AdvanceRoundStage")]
    [ProducesResponseType<RoundStageMoved>(StatusCodes.Status200OK)]
    [Tags("Rounds")]
    [Authorize(Roles = Roles.Committee)]
    public static Task<IResult> Post(Guid roundId, AdvanceRoundStageRequest request, ClaimsPrincipal user, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        RoundStage? to = request.To is null ? null : Enum.Parse<RoundStage>(request.To);
        return session.OnRoundAsync(
            user,
            roundId,
            round => RoundLifecycle.AdvanceAsync(session, round, to, clock.GetUtcNow(), ct),
            decision => Results.Ok(new RoundStageMoved(roundId, decision.Events.OfType<RoundStageAdvanced>().Single().To)),
            ct);
    }
}
