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

    /// <summary>The code of the refusal outside the caller's rounds; <see cref="Problems"/> answers it with 403.</summary>
    public const string RefusalCode = "scope.round";

    /// <summary>Null when allowed, else the refusal naming the round.</summary>
    public static Deciding.Refusal? Check(ClaimsPrincipal user, Round round) =>
        Allows(user, round) ? null : new Deciding.Refusal(Deciding.RefusalKind.Rule, RefusalCode, $"Round {round.Code} is not in your scope.");

    /// <summary>Null when allowed, else a 403 problem naming the round.</summary>
    public static IResult? Refuse(ClaimsPrincipal user, Round round) => Check(user, round) is { } outside ? Problems.ToResult(outside) : null;
}
