using Merit.Identifiers;
using Merit.Recruitment;
using Xunit;

namespace Merit.Tests.Identifiers;

public class NipTests
{
    [Fact]
    public void The_brief_male_example_is_born_26_September_1986_with_TMT_May_2015_R22()
    {
        Assert.Null(Nip.Problem("198609262015051001"));
        Assert.Equal(new NipParts(new DateOnly(1986, 9, 26), 2015, 5, Sex.M, 1), Nip.Parse("198609262015051001"));
        Assert.Equal(new DateOnly(2015, 5, 1), Nip.Parse("198609262015051001").TmtCpns);
    }

    [Fact]
    public void The_brief_female_example_has_sex_digit_2_and_sequence_020_R22()
    {
        Assert.Null(Nip.Problem("198407062006042020"));
        Assert.Equal(new NipParts(new DateOnly(1984, 7, 6), 2006, 4, Sex.F, 20), Nip.Parse("198407062006042020"));
    }

    [Theory]
    [InlineData("198402292006042020")] // 29 February of a leap year
    [InlineData("198609262015121999")] // December, sequence 999
    public void Boundary_values_that_exist_are_valid_R22(string nip) => Assert.Null(Nip.Problem(nip));

    [Theory]
    [InlineData("19860926201505100", "exactly 18 digits")] // 17 digits
    [InlineData("1986092620150510011", "exactly 18 digits")] // 19 digits
    [InlineData("19860926201505100A", "exactly 18 digits")]
    [InlineData("1986-09-26-2015051", "exactly 18 digits")]
    [InlineData("١٩٨٦٠٩٢٦٢٠١٥٠٥١٠٠١", "exactly 18 digits")] // Arabic-Indic digits are not ASCII digits
    [InlineData("", "exactly 18 digits")]
    [InlineData(null, "exactly 18 digits")]
    [InlineData("198602302015051001", "digits 1–8")] // 30 February
    [InlineData("198502292015051001", "digits 1–8")] // 29 February of a common year
    [InlineData("198613262015051001", "digits 1–8")] // birth month 13
    [InlineData("198609002015051001", "digits 1–8")] // day 00
    [InlineData("000009262015051001", "digits 1–8")] // year 0000
    [InlineData("198609262015131001", "digits 9–14")] // TMT month 13
    [InlineData("198609262015001001", "digits 9–14")] // TMT month 00
    [InlineData("198609260000051001", "digits 9–14")] // TMT year 0000
    [InlineData("198609262015053001", "digit 15")]
    [InlineData("198609262015050001", "digit 15")]
    [InlineData("198609262015051000", "digits 16–18")] // sequence 000
    public void Malformed_NIPs_name_the_rule_they_break_R22(string? nip, string expected)
    {
        var problem = Nip.Problem(nip);
        Assert.Contains(expected, problem, StringComparison.Ordinal);
        Assert.EndsWith("(R22).", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Parsing_a_malformed_NIP_throws_with_the_rule_it_breaks_R22()
    {
        var error = Assert.Throws<FormatException>(() => Nip.Parse("198609262015053001"));
        Assert.Equal(Nip.Problem("198609262015053001"), error.Message);
    }

    [Fact]
    public void The_prefix_is_birth_date_TMT_year_month_and_sex_digit_R22()
    {
        Assert.Equal("198609262015051", Nip.Prefix(new DateOnly(1986, 9, 26), new DateOnly(2015, 5, 1), Sex.M));
        Assert.Equal("198407062006042", Nip.Prefix(new DateOnly(1984, 7, 6), new DateOnly(2006, 4, 1), Sex.F));
    }

    [Fact]
    public void A_TMT_CPNS_that_is_not_the_1st_of_a_month_has_no_prefix_R22()
    {
        var error = Assert.Throws<ArgumentException>(() => Nip.Prefix(new DateOnly(1986, 9, 26), new DateOnly(2015, 5, 2), Sex.M));
        Assert.Equal("tmtCpns", error.ParamName);
    }

    [Fact]
    public void Compose_writes_the_sequence_with_three_digits_R22()
    {
        Assert.Equal("198609262015051001", Nip.Compose("198609262015051", 1));
        Assert.Equal("198407062006042020", Nip.Compose("198407062006042", 20));
        Assert.Equal("198407062006042999", Nip.Compose("198407062006042", 999));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(1000)]
    public void Compose_refuses_a_sequence_outside_001_to_999_R22(int sequence) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Nip.Compose("198609262015051", sequence));

    [Theory]
    [InlineData("19860926201505")] // 14 digits
    [InlineData("1986092620150510")] // 16 digits
    [InlineData("19860926201505X")]
    [InlineData("198609262015053")] // sex digit 3
    [InlineData("198602302015051")] // 30 February
    public void Compose_refuses_a_prefix_that_is_not_the_start_of_a_valid_NIP_R22(string prefix) =>
        Assert.Throws<ArgumentException>(() => Nip.Compose(prefix, 1));

    [Fact]
    public void Prefix_compose_and_parse_round_trip_R22()
    {
        var nip = Nip.Compose(Nip.Prefix(new DateOnly(2001, 2, 28), new DateOnly(2025, 10, 1), Sex.F), 42);
        Assert.Equal("200102282025102042", nip);
        Assert.Equal(new NipParts(new DateOnly(2001, 2, 28), 2025, 10, Sex.F, 42), Nip.Parse(nip));
    }
}
