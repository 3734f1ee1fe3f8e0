using Merit.Recruitment;

namespace Merit.Identifiers;

/// <summary>The sex digit of NIP and NI PPPK (digit 15): 1 = male (laki-laki), 2 = female (perempuan).</summary>
internal static class SexDigit
{
    public static bool IsValid(char digit) => digit is '1' or '2';

    public static char Of(Sex sex) => sex switch
    {
        Sex.M => '1',
        Sex.F => '2',
        _ => throw new ArgumentOutOfRangeException(nameof(sex), sex, "Sex must be M or F."),
    };

    public static Sex Parse(char digit) => digit == '2' ? Sex.F : Sex.M;
}
