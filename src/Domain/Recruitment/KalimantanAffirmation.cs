using System.Text.RegularExpressions;
using Merit.Deciding;

namespace Merit.Recruitment;

/// <summary>
/// R43: of the formations placed at IKN, the rule set's share (5% in 2024) is reserved for putra/putri Kalimantan.
/// Checked when the round leaves a stage in which formations are opened (Announcement, Registration), since only
/// then is the round's list of IKN formations complete.
/// </summary>
public static partial class KalimantanAffirmation
{
    /// <summary>[I] A formation is an IKN placement when its location names IKN or Ibu Kota Nusantara.</summary>
    public static bool IsIknPlacement(string location) => IknLocation().IsMatch(location ?? "");

    public static Refusal? Check(RuleSet rules, IEnumerable<Formation> formations)
    {
        ArgumentNullException.ThrowIfNull(rules);
        if (rules.IknKalimantanSharePercent is not { } percent)
        {
            return null;
        }

        var ikn = formations.Where(f => IsIknPlacement(f.Location)).ToList();
        var total = ikn.Sum(f => f.Allocation);
        var reserved = ikn.Where(f => f.Category == FormationCategory.Kalimantan).Sum(f => f.Allocation);
        var required = (total * percent + 99) / 100;
        return reserved >= required
            ? null
            : new Refusal(
                RefusalKind.Rule,
                "R43.kalimantan-share",
                $"Of {total} IKN-placement places, {required} ({percent}%) are reserved for putra/putri Kalimantan; {reserved} are (R43, {rules.Version}).",
                "to");
    }

    [GeneratedRegex(@"\bIKN\b|Ibu\s*Kota\s*Nusantara", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex IknLocation();
}
