using System.Security.Claims;
using FluentValidation;
using Marten;
using Merit.Security;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Merit.Recruitment;

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

public static class AdvanceRoundStageEndpoint
{
    /// <summary>Advance a round to its next stage.</summary>
    [WolverinePost("/rounds/{roundId}/stage", OperationId = "AdvanceRoundStage")]
    [Tags("Rounds")]
    [Authorize(Roles = Roles.Committee)]
    public static Task<IResult> Post(Guid roundId, AdvanceRoundStageRequest request, ClaimsPrincipal user, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var to = Enum.Parse<RoundStage>(request.To);
        return session.OnRoundAsync(user, roundId, async round =>
        {
            // Leaving registration needs the Kalimantan reservation in place (R43), checked over the round's formations.
            if (round.Stage is RoundStage.Announcement or RoundStage.Registration
                && KalimantanAffirmation.Check(round.Rules(), await session.Query<Formation>().Where(f => f.RoundId == roundId).ToListAsync(ct)) is { } unreserved)
            {
                return unreserved;
            }

            // Leaving the final appeal needs every final result an accepted appeal reopened re-announced (R07).
            if (round.Stage == RoundStage.FinalAppeal
                && AppealDecisions.Unreannounced(round, await session.Query<Formation>().Where(f => f.RoundId == roundId).ToListAsync(ct)) is { } reopened)
            {
                return reopened;
            }

            return RoundDecisions.Advance(round, new AdvanceRoundStage(roundId, to, clock.GetUtcNow()));
        }, _ => Results.Ok(new { id = roundId, stage = to }), ct);
    }
}
