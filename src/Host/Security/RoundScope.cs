using System.Security.Claims;
using Marten;
using Merit.Infrastructure;
using Merit.Recruitment;

namespace Merit.Security;

/// <summary>
/// A committee member decides and reads only in the rounds of their token's scope (round codes, or "*"). Checked where
/// the round is known, before anything is decided or answered; admins are not limited, and auditors and analysts read
/// every round their role admits.
/// </summary>
public static class RoundScope
{
    public static bool Allows(ClaimsPrincipal user, Round round) =>
        user.IsInRole(Roles.Admin)
        || user.FindAll(Tokens.ScopeClaim).Any(c => c.Value == "*" || string.Equals(c.Value, round.Code, StringComparison.Ordinal));

    /// <summary>Reading: a committee member's scope limits what they read as it limits what they decide; auditors and analysts are not limited.</summary>
    public static bool AllowsReading(ClaimsPrincipal user, Round round) =>
        user.IsInRole(Roles.Auditor) || user.IsInRole(Roles.Analyst) || Allows(user, round);

    /// <summary>The code of the refusal outside the caller's rounds; <see cref="Problems"/> answers it with 403.</summary>
    public const string RefusalCode = "scope.round";

    /// <summary>Null when allowed, else the refusal naming the round.</summary>
    public static Deciding.Refusal? Check(ClaimsPrincipal user, Round round) =>
        Allows(user, round) ? null : Outside(round);

    /// <summary>Null when allowed, else a 403 problem naming the round.</summary>
    public static IResult? Refuse(ClaimsPrincipal user, Round round) => Check(user, round) is { } outside ? Problems.ToResult(outside) : null;

    /// <summary>Null when the caller may read the round's data, else a 403 problem naming the round.</summary>
    public static IResult? RefuseReading(ClaimsPrincipal user, Round round) => AllowsReading(user, round) ? null : Problems.ToResult(Outside(round));

    /// <summary>
    /// The one check of every read of a round's data (its cases, lists, exports, explanations, announcements): null when
    /// the caller may read round <paramref name="roundId"/>, or when there is no such round (the caller answers its own
    /// 404); else the 403 problem naming the round.
    /// </summary>
    public static async Task<IResult?> RefuseReadingAsync(this IQuerySession session, ClaimsPrincipal user, Guid roundId, CancellationToken ct) =>
        await session.LoadAsync<Round>(roundId, ct) is { } round ? RefuseReading(user, round) : null;

    /// <summary><see cref="RefuseReadingAsync"/> for the round of formation <paramref name="formationId"/>.</summary>
    public static async Task<IResult?> RefuseReadingFormationAsync(this IQuerySession session, ClaimsPrincipal user, Guid formationId, CancellationToken ct) =>
        await session.LoadAsync<Formation>(formationId, ct) is { } formation ? await session.RefuseReadingAsync(user, formation.RoundId, ct) : null;

    private static Deciding.Refusal Outside(Round round) =>
        new(Deciding.RefusalKind.Rule, RefusalCode, $"Round {round.Code} is not in your scope.");
}
