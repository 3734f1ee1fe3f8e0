namespace Merit.Identifiers;

/// <summary>
/// R24: a PNS's NIP and NIK must tell the same birth date and sex. A mismatch is a data-quality finding, so the
/// sentences name only which part differs, never the digits (both identifiers are personal data).
/// </summary>
public static class IdentityConsistency
{
    /// <summary>
    /// The mismatches between a well-formed NIK and NIP, empty when they agree. The NIK's two-digit year is compared
    /// with the last two digits of the NIP's year, so no century has to be guessed.
    /// </summary>
    /// <exception cref="FormatException">The NIK breaks R25 or the NIP breaks R22; check those first.</exception>
    public static IReadOnlyList<string> Check(string nik, string nip)
    {
        var (day, month, twoDigitYear, female) = NikFacts.BirthDigits(nik);
        var parts = Nip.Parse(nip);

        var differing = new List<string>();
        if (day != parts.BirthDate.Day)
        {
            differing.Add("day");
        }

        if (month != parts.BirthDate.Month)
        {
            differing.Add("month");
        }

        if (twoDigitYear != parts.BirthDate.Year % 100)
        {
            differing.Add("year");
        }

        var mismatches = new List<string>();
        if (differing.Count > 0)
        {
            mismatches.Add(
                $"The NIP birth date (digits 1–8) and the NIK birth date (digits 7–12) differ in the {Enumerate(differing)} (R24).");
        }

        if (female != (parts.Sex == Recruitment.Sex.F))
        {
            mismatches.Add("The NIP sex digit (digit 15) and the sex the NIK encodes (birth day over 40 for women) differ (R24).");
        }

        return mismatches;
    }

    private static string Enumerate(List<string> words) =>
        words.Count == 1 ? words[0] : $"{string.Join(", ", words[..^1])} and {words[^1]}";
}
