using Merit.Exports;
using Merit.Testing;
using Xunit;

namespace Merit.Tests.Exports;

/// <summary>The one CSV encoding of every export: RFC 4180 quoting, formula cells neutralised (OWASP), numbers as they are.</summary>
public class CsvTests
{
    [Theory]
    [InlineData("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0")]
    [InlineData("+62 21 555", "'+62 21 555")]
    [InlineData("-2+3", "'-2+3")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\tx", "'\tx")]
    [InlineData("\rx", "\"'\rx\"")]
    [InlineData("=1,2", "\"'=1,2\"")]
    [InlineData("a \"b\"", "\"a \"\"b\"\"\"")]
    [InlineData("line\nbreak", "\"line\nbreak\"")]
    [InlineData("F-001", "F-001")]
    [InlineData("", "")]
    public void Text_is_quoted_as_RFC_4180_says_and_a_formula_is_neutralised(string text, string field) =>
        Assert.Equal(field, Csv.Field(CsvCell.Text(text)));

    [Fact]
    public void Numbers_are_written_as_they_are_even_when_negative()
    {
        Assert.Equal("-3.5", Csv.Field(CsvCell.Number(-3.5m)));
        Assert.Equal("78.125", Csv.Field(CsvCell.Number(78.1254m, "0.000")));
        Assert.Equal("0.25", Csv.Field(CsvCell.Of(0.25)));
        Assert.Equal("", Csv.Field(CsvCell.Of(null)));
        Assert.Equal("true", Csv.Field(CsvCell.Of(true)));
        Assert.Equal("a;b", Csv.Field(CsvCell.Of(new List<string> { "a", "b" })));
    }

    [Fact]
    public void A_line_joins_its_fields_and_ends_in_a_line_feed() =>
        Assert.Equal("F-1,3,'=x,\"a,b\"\n", Csv.Line("F-1", 3, "=x", "a,b"));
}

/// <summary>A formation code that a spreadsheet would run, imported as any code, leaves the published list neutralised.</summary>
public class CsvExportTests(MeritApp app) : IClassFixture<MeritApp>
{
    private const string Formula = "=cmd|' /C calc'!A0";

    [Fact]
    public async Task The_SKB_admission_list_neutralises_a_formula_in_a_formation_code()
    {
        var api = new RecruitmentApi(app.CreateClient());
        var round = await api.OpenRoundAsync("CPNS-2024-CSVX");
        var formation = await api.OpenFormationAsync(round, Formula, allocation: 1);
        await api.AdvanceAsync(round, "Registration");
        var application = await api.RegisteredAsync(round, formation, "24100901", "3171010101900901");
        await api.AdvanceAsync(round, "AdministrativeSelection");
        await api.VerifyAsync(application);
        await api.AdvanceAsync(round, "AdministrativeAppeal", "Skd");
        Assert.True((await api.RecordSkdAsync(application, 100, 120, 200)).IsSuccessStatusCode);
        await api.AdvanceAsync(round, "Skb");

        // Before the decisions, their lists are refused rather than published empty.
        foreach (var list in new[] { "skb-admission", "final" })
        {
            var early = await RecruitmentApi.ProblemOf(await api.Client.GetAsync($"/rounds/{round}/exports/{list}"), System.Net.HttpStatusCode.Conflict);
            Assert.Equal("export.not-decided", (string)early["code"]!);
        }

        await api.DecideAsync(round, "skd-cutoff");

        var csv = await api.Client.GetStringAsync($"/rounds/{round}/exports/skb-admission");

        Assert.Equal("formation_code,rank,registration_number,twk,tiu,tkp,total,rule_set_version\n'=cmd|' /C calc'!A0,1,24100901,100,120,200,420,CPNS-2024\n", csv);
    }
}
