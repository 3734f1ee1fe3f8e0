using System.Security.Claims;
using Merit.Infrastructure;
using Merit.Recruitment;

namespace Merit.Security;

/// <summary>
/// A committee member decides only in the rounds of their token's scope (round codes, or "*"). Checked where the
/// round is known, before anything is decided; admins are not limited.
/// </summary>
public static class RoundScope
{
    public static bool Allows(ClaimsPrincipal user, Round round) =>
        user.IsInRole(Roles.Admin)
        || user.FindAll(Tokens.ScopeClaim).Any(c => c.Value == "*" || string.Equals(c.Value, round.Code, StringComparison.Ordinal));

    /// <summary>Null when allowed, else a 403 problem naming the round.</summary>
    public static IResult? Refuse(ClaimsPrincipal user, Round round)
    {
        if (Allows(user, round))
        {
            return null;
        }

        var problem = Problems.From(new Deciding.Refusal(Deciding.RefusalKind.Rule, "scope.round", $"Round {round.Code} is not in your scope."));
        problem.Status = StatusCodes.Status403Forbidden;
        problem.Title = "Outside your scope.";
        return Results.Problem(problem);
    }
}
