using System.Collections.Frozen;

namespace Merit.PersonalData;

/// <summary>
/// NIK: Nomor Induk Kependudukan, the 16-digit population number (Dukcapil): PP KK CC DD MM YY NNNN, with the
/// birth day +40 for women (R25, brief 5.3). Only its structure is validated; its meaning stays personal data.
/// </summary>
public static class Nik
{
    /// <summary>Kemendagri province codes, including the Papua provinces formed in 2022.</summary>
    private static readonly FrozenSet<int> ProvinceCodes = new[]
    {
        11, 12, 13, 14, 15, 16, 17, 18, 19, 21,
        31, 32, 33, 34, 35, 36,
        51, 52, 53,
        61, 62, 63, 64, 65,
        71, 72, 73, 74, 75, 76,
        81, 82,
        91, 92, 93, 94, 95, 96,
    }.ToFrozenSet();

    /// <summary>Null when <paramref name="nik"/> is well formed, else the rule it breaks.</summary>
    public static string? Problem(string? nik)
    {
        if (nik is null || nik.Length != 16 || !nik.All(char.IsAsciiDigit))
        {
            return "NIK must be exactly 16 digits (R25).";
        }

        if (!ProvinceCodes.Contains(int.Parse(nik.AsSpan(0, 2), provider: null)))
        {
            return "NIK digits 1–2 must be a Kemendagri province code (R25).";
        }

        var day = int.Parse(nik.AsSpan(6, 2), provider: null);
        if (day is not ((>= 1 and <= 31) or (>= 41 and <= 71)))
        {
            return "NIK digits 7–8 must be a birth day 01–31, or 41–71 for women (R25).";
        }

        var month = int.Parse(nik.AsSpan(8, 2), provider: null);
        if (month is < 1 or > 12)
        {
            return "NIK digits 9–10 must be a birth month 01–12 (R25).";
        }

        return null;
    }
}
