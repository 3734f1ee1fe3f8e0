using System.Globalization;
using Merit.Recruitment;

namespace Merit.Identifiers;

/// <summary>
/// NI PPPK: Nomor Induk PPPK, the 18-digit number of a government employee on contract (brief 5.2): birth date (8),
/// year of the first PPPK appointment (4), a 2-digit code, sex digit (1), sequence (3). Sources disagree on what
/// the code means (number of work contracts, or a cohort code), so only the structure is checked (R26).
/// </summary>
public static class NiPppk
{
    public const int Length = 18;

    /// <summary>Birth date, appointment year, code and sex digit: the part whose collisions the sequence separates.</summary>
    public const int PrefixLength = 15;

    public const int MaximumSequence = 999;

    /// <summary>The first 15 digits: birth date, year of the first PPPK appointment, the 2-digit code, sex digit.</summary>
    /// <exception cref="ArgumentException">The year is not four digits or the code not two.</exception>
    public static string Prefix(DateOnly birthDate, int appointmentYear, string code, Sex sex)
    {
        ArgumentNullException.ThrowIfNull(code);
        if (appointmentYear is < 1 or > 9999)
        {
            throw new ArgumentOutOfRangeException(nameof(appointmentYear), appointmentYear, "The appointment year has four digits (R26).");
        }

        if (!DigitFields.AreAsciiDigits(code, 2))
        {
            throw new ArgumentException("The NI PPPK code is two digits (R26).", nameof(code));
        }

        return string.Create(CultureInfo.InvariantCulture, $"{birthDate:yyyyMMdd}{appointmentYear:D4}{code}{SexDigit.Of(sex)}");
    }

    /// <summary>An NI PPPK from its first 15 digits and a sequence 1..999, checked against R26.</summary>
    /// <exception cref="ArgumentException">The result breaks R26.</exception>
    public static string Compose(string prefix15, int sequence)
    {
        ArgumentNullException.ThrowIfNull(prefix15);
        ArgumentOutOfRangeException.ThrowIfLessThan(sequence, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(sequence, MaximumSequence);
        var niPppk = string.Create(CultureInfo.InvariantCulture, $"{prefix15}{sequence:D3}");
        return Problem(niPppk) is { } problem ? throw new ArgumentException(problem, nameof(prefix15)) : niPppk;
    }

    /// <summary>Null when <paramref name="niPppk"/> is well formed, else a sentence naming the rule it breaks (R26).</summary>
    public static string? Problem(string? niPppk)
    {
        if (!DigitFields.AreAsciiDigits(niPppk, Length))
        {
            return "NI PPPK must be exactly 18 digits (R26).";
        }

        if (!DigitFields.IsDate(niPppk, 0))
        {
            return "NI PPPK digits 1–8 must be a valid birth date, YYYYMMDD (R26).";
        }

        if (DigitFields.Number(niPppk, 8, 4) < 1)
        {
            return "NI PPPK digits 9–12 must be the year of the first PPPK appointment (R26).";
        }

        // Digits 13–14: the code; any two digits, no meaning derived.
        if (!SexDigit.IsValid(niPppk[14]))
        {
            return "NI PPPK digit 15 must be the sex digit, 1 (male) or 2 (female) (R26).";
        }

        if (DigitFields.Number(niPppk, 15, 3) < 1)
        {
            return "NI PPPK digits 16–18 must be a sequence number from 001 (R26).";
        }

        return null;
    }
}
