using System.Text.RegularExpressions;

namespace Merit.Infrastructure;

/// <summary>
/// The shapes of the identifiers the request validators check, compiled at build time and without a match timeout:
/// each is an anchored run of character classes, linear in its input, so nothing can backtrack. FluentValidation's
/// <c>Matches(string)</c> compiles a pattern with a two-second timeout, measured on the clock: a process starved of
/// CPU overran it on a one-character class and stopped an import halfway with a RegexMatchTimeoutException.
/// </summary>
public static partial class InputPatterns
{
    /// <summary>A round's, wave's or selection's code: letters, digits, '.', '_' and '-'.</summary>
    [GeneratedRegex("^[A-Za-z0-9._-]+$", RegexOptions.CultureInvariant)]
    public static partial Regex Code();

    /// <summary>A registration number or an applicant's code: letters, digits and '-'.</summary>
    [GeneratedRegex("^[A-Za-z0-9-]+$", RegexOptions.CultureInvariant)]
    public static partial Regex Number();

    /// <summary>An announcement's number as a committee writes it, e.g. 800/123/PANSEL/2024.</summary>
    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9 ./_-]*$", RegexOptions.CultureInvariant)]
    public static partial Regex AnnouncementNumber();

    /// <summary>Two digits.</summary>
    [GeneratedRegex("^[0-9]{2}$", RegexOptions.CultureInvariant)]
    public static partial Regex TwoDigits();
}
