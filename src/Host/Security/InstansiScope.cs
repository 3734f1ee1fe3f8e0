using System.Security.Claims;
using Merit.Career;
using Merit.Deciding;
using Merit.Infrastructure;
using Merit.Relocation;

namespace Merit.Security;

/// <summary>
/// Career, JPT and relocation cases belong to an instansi: a token acts on and reads only the cases of the instansi of
/// its scope (claim <see cref="Tokens.InstansiClaim"/>: instansi codes, or "*"). Checked on the command path as soon as
/// the case is fetched (<see cref="CommandPath"/>) and by every read of such a case; admins are not limited, and
/// auditors and analysts read every instansi their role admits.
/// </summary>
public static class InstansiScope
{
    /// <summary>The code of the refusal outside the caller's instansi; <see cref="Problems"/> answers it with 403.</summary>
    public const string RefusalCode = "scope.instansi";

    public static bool Allows(ClaimsPrincipal user, string instansiCode) =>
        user.IsInRole(Roles.Admin)
        || user.FindAll(Tokens.InstansiClaim).Any(c => c.Value == "*" || string.Equals(c.Value, instansiCode, StringComparison.Ordinal));

    public static bool AllowsReading(ClaimsPrincipal user, string instansiCode) =>
        user.IsInRole(Roles.Auditor) || user.IsInRole(Roles.Analyst) || Allows(user, instansiCode);

    /// <summary>Null when allowed, else the refusal naming the instansi.</summary>
    public static Refusal? Check(ClaimsPrincipal user, string instansiCode) =>
        Allows(user, instansiCode) ? null : new Refusal(RefusalKind.Rule, RefusalCode, $"Instansi {instansiCode} is not in your scope.");

    /// <summary>Null when the caller may act on the case <paramref name="state"/> (or it belongs to no instansi, or does not exist yet), else the refusal.</summary>
    public static Refusal? CheckCase(ClaimsPrincipal user, object? state) => Of(state) is { } instansi ? Check(user, instansi) : null;

    /// <summary>Null when the caller may read the case <paramref name="state"/>, else a 403 problem naming its instansi.</summary>
    public static IResult? RefuseReading(ClaimsPrincipal user, object state) =>
        Of(state) is { } instansi && !AllowsReading(user, instansi) ? Problems.ToResult(Check(user, instansi)!) : null;

    /// <summary>
    /// Null when the caller may read a list of the cases of <paramref name="instansiCode"/>, or of every instansi when
    /// it is null (a token of every instansi, an auditor, an analyst, an admin); else a 403 problem.
    /// </summary>
    public static IResult? RefuseReadingList(ClaimsPrincipal user, string? instansiCode) =>
        instansiCode is not null
            ? AllowsReading(user, instansiCode) ? null : Problems.ToResult(Check(user, instansiCode)!)
            : AllowsReading(user, "*") ? null : Problems.ToResult(new Refusal(RefusalKind.Rule, RefusalCode, "Your token does not reach every instansi: name one of yours in instansiCode.", "instansiCode"));

    /// <summary>The instansi a case belongs to: a career record, a JPT selection, a relocation case, a housing quota; null for any other.</summary>
    public static string? Of(object? state) => state switch
    {
        CareerRecord record => record.InstansiCode,
        JptSelection selection => selection.InstansiCode,
        RelocationCase relocation => relocation.InstansiCode,
        HousingQuota quota => quota.InstansiCode,
        _ => null,
    };
}
