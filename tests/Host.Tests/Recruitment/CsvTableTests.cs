using System.Globalization;
using System.Text;
using Merit.Recruitment.Files;
using Xunit;

namespace Merit.Tests.Recruitment;

/// <summary>The reader of the imported files (RFC 4180): what a committee's spreadsheet export may hold, and the line each error is on.</summary>
public class CsvTableTests
{
    private static readonly string[] Columns = ["registration_number", "position", "reason"];

    // The errors speak the caller's language (Indonesian where nothing says otherwise); these tests read English.
    public CsvTableTests() => CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("en");

    private static (IReadOnlyList<CsvRow> Rows, IReadOnlyList<FileError> Errors) Read(string text, string[]? optional = null) =>
        CsvTable.Read(new MemoryStream(Encoding.UTF8.GetBytes(text)), Columns, optional);

    [Fact]
    public void Quoted_fields_keep_their_commas_doubled_quotes_and_line_breaks()
    {
        var (rows, errors) = Read("registration_number,position,reason\n"
            + "1,\"Analis, Ahli Pertama\",\"ijazah \"\"S1\"\" tidak sesuai\"\n"
            + "2,Pranata,\"baris satu\nbaris dua\"\n"
            + "3, Guru ,\n");

        Assert.Empty(errors);
        Assert.Equal(["Analis, Ahli Pertama", "Pranata", "Guru"], rows.Select(r => r["position"]));
        Assert.Equal(["ijazah \"S1\" tidak sesuai", "baris satu\nbaris dua", ""], rows.Select(r => r["reason"]));
        Assert.Null(rows[2].Optional("reason"));
        Assert.Equal([2, 3, 5], rows.Select(r => r.Line));
    }

    [Fact]
    public void Blank_lines_are_skipped_and_lines_still_counted()
    {
        var (rows, errors) = Read("registration_number,position,reason\r\n\r\n1,Analis,ok\r\n   \r\n2,Guru,ok\r\n");

        Assert.Empty(errors);
        Assert.Equal([3, 5], rows.Select(r => r.Line));
        Assert.Equal("2", rows[1]["registration_number"]);
    }

    [Fact]
    public void A_closing_quote_followed_by_text_is_malformed_on_its_line_and_reading_goes_on()
    {
        var (rows, errors) = Read("registration_number,position,reason\n1,\"Analis\"x,ok\n2,Guru,ok\n3,Guru\n");

        Assert.Equal([(2, (string?)null, "malformed CSV (broken quoting)"), (4, null, "2 fields where the header has 3")], errors.Select(e => (e.Line, e.Column, e.Message)));
        Assert.Equal(["2"], rows.Select(r => r["registration_number"]));
    }

    [Fact]
    public void A_quote_left_open_is_malformed_on_the_line_it_opened()
    {
        var (_, errors) = Read("registration_number,position,reason\n1,Analis,ok\n2,\"Guru,ok\n3,Guru,ok\n");

        Assert.Equal((3, "malformed CSV (broken quoting)"), (errors.Single().Line, errors.Single().Message));
    }

    [Fact]
    public void Optional_columns_are_read_when_present_and_unknown_ones_refused()
    {
        var (rows, errors) = Read("registration_number,position,reason,nik\n1,Analis,ok,3171010101900001\n2,Guru,ok,\n", ["nik"]);
        Assert.Empty(errors);
        Assert.Equal(["3171010101900001", null], rows.Select(r => r.Optional("nik")));
        Assert.Null(rows[0].Optional("full_name"));

        var (_, unknown) = Read("registration_number,position,reason,color\n");
        Assert.Equal(("color", 1), (unknown.Single().Column, unknown.Single().Line));
    }
}
