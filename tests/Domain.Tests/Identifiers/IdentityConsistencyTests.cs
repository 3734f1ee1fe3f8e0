using Merit.Identifiers;
using Xunit;

namespace Merit.Tests.Identifiers;

public class IdentityConsistencyTests
{
    // The brief's NIK: a woman born 5 August 1968.
    private const string WomanBorn1968 = "3515144508680002";

    [Theory]
    [InlineData(WomanBorn1968, "196808052000012001")]
    [InlineData("3171012609860001", "198609262015051001")] // the brief's male NIP with a matching NIK
    public void A_NIK_and_NIP_with_the_same_birth_date_and_sex_agree_R24(string nik, string nip) =>
        Assert.Empty(IdentityConsistency.Check(nik, nip));

    [Fact]
    public void A_male_sex_digit_against_a_woman_s_NIK_is_a_mismatch_R24()
    {
        var mismatch = Assert.Single(IdentityConsistency.Check(WomanBorn1968, "196808052000011001"));
        Assert.Equal("The NIP sex digit (digit 15) and the sex the NIK encodes (birth day over 40 for women) differ (R24).", mismatch);
    }

    [Fact]
    public void A_woman_s_NIK_day_is_compared_after_taking_off_40_R24()
    {
        // NIP day 05 matches NIK day 45; NIP day 45 would not be a date at all.
        Assert.Empty(IdentityConsistency.Check(WomanBorn1968, "196808052000012001"));
        var mismatch = Assert.Single(IdentityConsistency.Check(WomanBorn1968, "196808152000012001"));
        Assert.Equal("The NIP birth date (digits 1–8) and the NIK birth date (digits 7–12) differ in the day (R24).", mismatch);
    }

    [Theory]
    [InlineData("196809052000012001", "month")]
    [InlineData("196908052000012001", "year")]
    [InlineData("196709062000012001", "day, month and year")]
    public void A_different_birth_date_names_the_parts_that_differ_R24(string nip, string parts) =>
        Assert.Equal(
            $"The NIP birth date (digits 1–8) and the NIK birth date (digits 7–12) differ in the {parts} (R24).",
            Assert.Single(IdentityConsistency.Check(WomanBorn1968, nip)));

    [Fact]
    public void Birth_date_and_sex_mismatches_are_both_reported_without_the_digits_R24()
    {
        var mismatches = IdentityConsistency.Check(WomanBorn1968, "198609262015051001");
        Assert.Equal(2, mismatches.Count);
        Assert.Contains("birth date", mismatches[0], StringComparison.Ordinal);
        Assert.Contains("sex digit", mismatches[1], StringComparison.Ordinal);
        Assert.All(mismatches, m => Assert.DoesNotContain("1968", m, StringComparison.Ordinal));
        Assert.All(mismatches, m => Assert.DoesNotContain("1986", m, StringComparison.Ordinal));
    }

    [Fact]
    public void Only_the_last_two_digits_of_the_year_are_compared_so_no_century_is_guessed_R24() =>
        // The NIK cannot tell 1968 from 1868; the NIP's full year is not contradicted by it.
        Assert.Empty(IdentityConsistency.Check(WomanBorn1968, "186808052000012001"));

    [Fact]
    public void Malformed_identifiers_are_refused_before_any_comparison_R22_R25()
    {
        Assert.Throws<FormatException>(() => IdentityConsistency.Check("3515147208680002", "196808052000012001"));
        Assert.Throws<FormatException>(() => IdentityConsistency.Check(WomanBorn1968, "196808052000013001"));
    }
}
