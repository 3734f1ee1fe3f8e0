using Merit.Identifiers;
using Merit.Recruitment;
using Xunit;

namespace Merit.Tests.Identifiers;

public class NikFactsTests
{
    [Fact]
    public void The_brief_example_NIK_is_a_woman_born_5_August_1968_R24()
    {
        Assert.Equal(Sex.F, NikFacts.Sex("3515144508680002"));
        Assert.Equal(new DateOnly(1968, 8, 5), NikFacts.BirthDate("3515144508680002", 2025));
    }

    [Theory]
    [InlineData("3171010101900001", Sex.M)] // day 01
    [InlineData("3171013101900001", Sex.M)] // day 31
    [InlineData("3171014101900001", Sex.F)] // day 41 = the 1st
    [InlineData("9471017112990001", Sex.F)] // day 71 = the 31st
    public void A_day_over_40_means_female_R24(string nik, Sex expected) => Assert.Equal(expected, NikFacts.Sex(nik));

    [Fact]
    public void Forty_is_taken_off_a_woman_s_birth_day_R24() =>
        Assert.Equal(new DateOnly(1999, 12, 31), NikFacts.BirthDate("9471017112990001", 2025));

    [Theory]
    [InlineData("68", 2025, 1968)]
    [InlineData("00", 2025, 2000)]
    [InlineData("07", 2025, 2007)] // 18 in 2025: the youngest applicant (R06)
    [InlineData("10", 2025, 2010)] // 15 in 2025: the youngest the rule allows
    [InlineData("11", 2025, 1911)] // 14 in 2025 is not plausible, so 114
    [InlineData("99", 2030, 1999)]
    [InlineData("10", 2130, 2110)] // the window moves with the pivot, past 2099
    public void The_century_is_the_one_that_makes_the_holder_15_to_114_in_the_pivot_year_R24(string yy, int pivotYear, int expected) =>
        Assert.Equal(new DateOnly(expected, 1, 1), NikFacts.BirthDate("3171010101" + yy + "0001", pivotYear));

    [Fact]
    public void A_day_and_month_that_do_not_exist_in_the_resolved_year_are_refused_R25()
    {
        Assert.Equal(new DateOnly(2000, 2, 29), NikFacts.BirthDate("3171012902000001", 2025));
        var error = Assert.Throws<FormatException>(() => NikFacts.BirthDate("3171012902010001", 2025)); // 29 Feb 2001
        Assert.EndsWith("(R25).", error.Message, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => NikFacts.BirthDate("3171013002900001", 2025)); // 30 February
    }

    [Fact]
    public void A_malformed_NIK_yields_no_facts_R25()
    {
        Assert.Throws<FormatException>(() => NikFacts.Sex("3515147208680002")); // day 72
        Assert.Throws<FormatException>(() => NikFacts.BirthDate("351514450868000", 2025));
    }

    [Theory]
    [InlineData(999)]
    [InlineData(10000)]
    public void The_pivot_must_be_a_four_digit_year_R24(int pivotYear) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => NikFacts.BirthDate("3515144508680002", pivotYear));
}
