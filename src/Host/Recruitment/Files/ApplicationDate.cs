using Merit.Localization;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Merit.Recruitment.Files;

/// <summary>
/// The day a person applied, as a file or a request gives it (R06): an ISO date (<c>2024-09-10</c>), or a date-time
/// with its offset (<c>2024-09-10T01:00:00+07:00</c>, <c>…Z</c>), which the decision reads in the round's zone. A
/// date-time without an offset is refused: its day would depend on where it was read.
/// </summary>
public readonly partial record struct ApplicationDate(DateOnly? Day, DateTimeOffset? Instant)
{
    public static ApplicationDate None => default;

    /// <summary>Null or empty parses to <see cref="None"/>: the round's registration window then decides the day.</summary>
    public static bool TryParse(string? text, out ApplicationDate date, out string? problem)
    {
        (date, problem) = (None, null);
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            date = new ApplicationDate(day, null);
            return true;
        }

        if (WithOffset().IsMatch(text) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var instant))
        {
            date = new ApplicationDate(null, instant);
            return true;
        }

        problem = Texts.Current.Say("must be an ISO date (yyyy-MM-dd) or a date-time with its offset (yyyy-MM-ddTHH:mm[:ss]+07:00 or Z)");
        return false;
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex WithOffset();
}
