using Merit.Identifiers;
using Xunit;

namespace Merit.Tests.Identifiers;

public class NiPppkTests
{
    [Theory]
    [InlineData("199009132025242014")] // the brief's example: born 13 Sep 1990, 2025, code 24, female, 014
    [InlineData("199009132025002014")] // the code carries no meaning: 00 is as good as 24
    [InlineData("199009132025991001")]
    [InlineData("200002292024011999")] // 29 February 2000 (a leap year)
    public void Well_formed_NI_PPPKs_pass_on_structure_alone_R26(string niPppk) => Assert.Null(NiPppk.Problem(niPppk));

    [Theory]
    [InlineData("19900913202524201", "exactly 18 digits")] // 17 digits
    [InlineData("1990091320252420141", "exactly 18 digits")] // 19 digits
    [InlineData("1990091320252420I4", "exactly 18 digits")]
    [InlineData(null, "exactly 18 digits")]
    [InlineData("199002302025242014", "digits 1–8")] // 30 February
    [InlineData("199013132025242014", "digits 1–8")] // month 13
    [InlineData("199009130000242014", "digits 9–12")] // year 0000
    [InlineData("199009132025243014", "digit 15")]
    [InlineData("199009132025240014", "digit 15")]
    [InlineData("199009132025242000", "digits 16–18")] // sequence 000
    public void Malformed_NI_PPPKs_name_the_rule_they_break_R26(string? niPppk, string expected)
    {
        var problem = NiPppk.Problem(niPppk);
        Assert.Contains(expected, problem, StringComparison.Ordinal);
        Assert.EndsWith("(R26).", problem, StringComparison.Ordinal);
    }
}
