using Merit.PersonalData;

namespace Merit.Identifiers;

/// <summary>
/// The facts R24 reads from a NIK (Nomor Induk Kependudukan, brief 5.3): digits 7–12 are the birth date DDMMYY,
/// with 40 added to the day for women. The year has two digits, so the century is resolved against a pivot year.
/// </summary>
public static class NikFacts
{
    /// <summary>
    /// The youngest age the century rule allows. Applicants are 18–35, or 40 for some jabatan (R06), and serving
    /// ASN retire by 70 at the latest; 15 leaves room for a pivot year taken a few years from the event, and the
    /// hundred-year window then reaches back to age 114.
    /// </summary>
    public const int MinimumAge = 15;

    /// <summary>Female (perempuan) when the NIK's day is over 40, else male (laki-laki).</summary>
    /// <exception cref="FormatException">The NIK breaks R25.</exception>
    public static Recruitment.Sex Sex(string nik) =>
        BirthDigits(nik).Female ? Recruitment.Sex.F : Recruitment.Sex.M;

    /// <summary>
    /// The birth date. Century rule: the year is the one ending in the NIK's two digits that falls in the hundred
    /// years <c>pivotYear − 114 … pivotYear − 15</c>, i.e. the holder is 15 to 114 years old in the pivot year.
    /// With pivot 2025: <c>10</c> → 2010, <c>11</c> → 1911, <c>68</c> → 1968. The pivot is the year of the fact
    /// being checked (the round, the appointment), not necessarily today, so a replay gives the same date.
    /// </summary>
    /// <exception cref="FormatException">The NIK breaks R25, or its day and month do not exist in that year.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The pivot year is not a four-digit year.</exception>
    public static DateOnly BirthDate(string nik, int pivotYear)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pivotYear, 1000);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pivotYear, 9999);
        var (day, month, twoDigitYear, _) = BirthDigits(nik);
        var latest = pivotYear - MinimumAge;
        var year = latest - ((((latest - twoDigitYear) % 100) + 100) % 100);
        if (!DigitFields.IsDate(year, month, day))
        {
            throw new FormatException("NIK digits 7–12 must be a date that exists (R25).");
        }

        return new DateOnly(year, month, day);
    }

    /// <summary>Day (40 already taken off for women), month and two-digit year as written; not checked as a date.</summary>
    internal static (int Day, int Month, int TwoDigitYear, bool Female) BirthDigits(string nik)
    {
        ArgumentNullException.ThrowIfNull(nik);
        if (Nik.Problem(nik) is { } problem)
        {
            throw new FormatException(problem);
        }

        var day = DigitFields.Number(nik, 6, 2);
        var female = day > 40;
        return (female ? day - 40 : day, DigitFields.Number(nik, 8, 2), DigitFields.Number(nik, 10, 2), female);
    }
}
