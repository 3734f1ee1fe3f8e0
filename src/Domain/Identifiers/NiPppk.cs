namespace Merit.Identifiers;

/// <summary>
/// NI PPPK: Nomor Induk PPPK, the 18-digit number of a government employee on contract (brief 5.2): birth date (8),
/// year of the first PPPK appointment (4), a 2-digit code, sex digit (1), sequence (3). Sources disagree on what
/// the code means (number of work contracts, or a cohort code), so only the structure is checked (R26).
/// </summary>
public static class NiPppk
{
    public const int Length = 18;

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
