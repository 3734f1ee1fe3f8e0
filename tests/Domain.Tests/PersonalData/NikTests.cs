using Merit.Deciding;
using Merit.PersonalData;
using Xunit;

namespace Merit.Tests.PersonalData;

public class NikTests
{
    [Theory]
    [InlineData("3515144508680002")] // the brief's example: East Java, female born 5 Aug 1968
    [InlineData("3171010101900001")]
    [InlineData("9471017112990001")] // day 71: a woman born on the 31st
    public void Well_formed_NIKs_pass_R25(string nik) => Assert.Null(Nik.Problem(nik));

    [Theory]
    [InlineData("351514450868000", "16 digits")] // 15 digits
    [InlineData("35151445086800021", "16 digits")]
    [InlineData("35151445086800a2", "16 digits")]
    [InlineData("9915144508680002", "province")]
    [InlineData("3515143208680002", "birth day")] // day 32
    [InlineData("3515147208680002", "birth day")] // day 72
    [InlineData("3515140513680002", "birth month")]
    public void Malformed_NIKs_name_the_rule_they_break_R25(string nik, string expected) =>
        Assert.Contains(expected, Nik.Problem(nik), StringComparison.Ordinal);

    [Fact]
    public void Stable_ids_are_deterministic_and_distinct()
    {
        Assert.Equal(StableId.For("round", "CPNS-2024"), StableId.For("round", "CPNS-2024"));
        Assert.NotEqual(StableId.For("round", "CPNS-2024"), StableId.For("round", "CPNS-2023"));
        Assert.NotEqual(StableId.For("formation", "a", "bc"), StableId.For("formation", "ab", "c"));
        Assert.Equal(5, StableId.For("round", "CPNS-2024").Version);
    }
}
