using System.Globalization;
using Merit.Deciding;
using Merit.Recruitment;

namespace Merit.Identifiers;

/// <summary>
/// What a NIP encodes (R22). TMT CPNS (terhitung mulai tanggal, the start of the first appointment) is held as a
/// year and month because the NIP carries no day: it is always the 1st.
/// </summary>
public sealed record NipParts(DateOnly BirthDate, int TmtYear, int TmtMonth, Sex Sex, int Sequence)
{
    /// <summary>TMT CPNS as a date: the 1st of its month.</summary>
    public DateOnly TmtCpns => new(TmtYear, TmtMonth, 1);
}

/// <summary>
/// NIP: Nomor Induk Pegawai, the 18-digit number BKN gives a PNS (Perka BKN 22/2007, brief 5.1):
/// <c>YYYYMMDD YYYYMM G NNN</c> = birth date, TMT CPNS year and month, sex digit (1 male, 2 female), and a sequence
/// from 001 that grows only when the first 15 digits collide (R22, R23). A NIP encodes a birth date, so it is
/// personal data: no message here repeats the digits it checks.
/// </summary>
public static class Nip
{
    public const int Length = 18;

    /// <summary>Birth date, TMT CPNS and sex digit: the part that decides whether two NIPs collide (R23).</summary>
    public const int PrefixLength = 15;

    public const int MaximumSequence = 999;

    /// <summary>Null when <paramref name="nip"/> is well formed, else a sentence naming the rule it breaks (R22).</summary>
    public static string? Problem(string? nip)
    {
        if (!DigitFields.AreAsciiDigits(nip, Length))
        {
            return "NIP must be exactly 18 digits (R22).";
        }

        if (!DigitFields.IsDate(nip, 0))
        {
            return "NIP digits 1–8 must be a valid birth date, YYYYMMDD (R22).";
        }

        if (!DigitFields.IsDate(DigitFields.Number(nip, 8, 4), DigitFields.Number(nip, 12, 2), 1))
        {
            return "NIP digits 9–14 must be a valid TMT CPNS year and month, YYYYMM (R22).";
        }

        if (!SexDigit.IsValid(nip[14]))
        {
            return "NIP digit 15 must be the sex digit, 1 (male) or 2 (female) (R22).";
        }

        if (DigitFields.Number(nip, 15, 3) < 1)
        {
            return "NIP digits 16–18 must be a sequence number from 001 (R22).";
        }

        return null;
    }

    /// <summary>The first 15 digits. TMT CPNS always falls on the 1st of a month; any other day is a caller's error.</summary>
    /// <exception cref="ArgumentException">The TMT is not the 1st of a month.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The sex is not M or F.</exception>
    public static string Prefix(DateOnly birthDate, DateOnly tmtCpns, Sex sex)
    {
        if (tmtCpns.Day != 1)
        {
            throw new ArgumentException("TMT CPNS must be the 1st of a month (R22).", nameof(tmtCpns));
        }

        return string.Create(
            CultureInfo.InvariantCulture,
            $"{birthDate:yyyyMMdd}{tmtCpns:yyyyMM}{SexDigit.Of(sex)}");
    }

    /// <summary>A NIP from its first 15 digits and a sequence 1..999, written with 3 digits.</summary>
    /// <exception cref="ArgumentException">The prefix is not 15 digits of a valid NIP.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The sequence is outside 1..999.</exception>
    public static string Compose(string prefix15, int sequence)
    {
        ArgumentNullException.ThrowIfNull(prefix15);
        if (!DigitFields.AreAsciiDigits(prefix15, PrefixLength))
        {
            throw new ArgumentException("A NIP prefix must be exactly 15 digits (R22).", nameof(prefix15));
        }

        if (Problem(prefix15 + "001") is { } problem)
        {
            throw new ArgumentException(problem, nameof(prefix15));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(sequence, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(sequence, MaximumSequence);
        return string.Create(CultureInfo.InvariantCulture, $"{prefix15}{sequence:D3}");
    }

    /// <summary>The parts of a well-formed NIP.</summary>
    /// <exception cref="FormatException">The NIP breaks R22; the message names the rule.</exception>
    public static NipParts Parse(string nip)
    {
        ArgumentNullException.ThrowIfNull(nip);
        if (Problem(nip) is { } problem)
        {
            throw new FormatException(problem);
        }

        return new NipParts(
            DigitFields.Date(nip, 0),
            DigitFields.Number(nip, 8, 4),
            DigitFields.Number(nip, 12, 2),
            SexDigit.Parse(nip[14]),
            DigitFields.Number(nip, 15, 3));
    }

    /// <summary>
    /// R23 as a pure decision: the next NIP for this birth date, TMT and sex, with the registry that records it.
    /// The sequence is 001 for a new prefix, else one more than the highest ever issued for it, so a number is
    /// never reassigned, not even when its holder left or the NIP was revoked. Refused when the TMT is not the
    /// 1st of a month, or when 999 has been issued for the prefix; the registry is then unchanged.
    /// </summary>
    public static NipAllocation Allocate(NipRegistry registry, DateOnly birthDate, DateOnly tmtCpns, Sex sex)
    {
        ArgumentNullException.ThrowIfNull(registry);
        if (tmtCpns.Day != 1)
        {
            return new NipRefused(new Refusal(
                RefusalKind.Invalid, "nip.tmt-not-first-of-month", "TMT CPNS must be the 1st of a month (R22).", "tmtCpns"));
        }

        var prefix = Prefix(birthDate, tmtCpns, sex);
        var last = registry.LastSequence(prefix);
        if (last >= MaximumSequence)
        {
            return new NipRefused(new Refusal(
                RefusalKind.Conflict,
                "nip.sequence-exhausted",
                "Every sequence number 001–999 has been issued for this birth date, TMT CPNS and sex; a NIP is never reassigned (R23)."));
        }

        var nip = Compose(prefix, last + 1);
        return new NipIssued(nip, registry.Record(nip));
    }
}
