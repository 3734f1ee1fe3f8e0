using System.Diagnostics.CodeAnalysis;

namespace Merit.Identifiers;

/// <summary>
/// Reading the fixed-width digit fields that NIP, NI PPPK and NIK share. Callers check first that the string is
/// ASCII digits only, so every field parses.
/// </summary>
internal static class DigitFields
{
    public static bool AreAsciiDigits([NotNullWhen(true)] string? value, int length) =>
        value is not null && value.Length == length && value.All(char.IsAsciiDigit);

    public static int Number(string digits, int start, int length) =>
        int.Parse(digits.AsSpan(start, length), provider: null);

    /// <summary>Whether year, month and day name a day of the Gregorian calendar (year 0000 does not exist).</summary>
    public static bool IsDate(int year, int month, int day) =>
        year is >= 1 and <= 9999 && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month);

    /// <summary>Whether the 8 digits at <paramref name="start"/> are a date written YYYYMMDD.</summary>
    public static bool IsDate(string digits, int start) =>
        IsDate(Number(digits, start, 4), Number(digits, start + 4, 2), Number(digits, start + 6, 2));

    public static DateOnly Date(string digits, int start) =>
        new(Number(digits, start, 4), Number(digits, start + 4, 2), Number(digits, start + 6, 2));
}
