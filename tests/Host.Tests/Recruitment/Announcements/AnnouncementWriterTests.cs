using System.Globalization;
using Merit.Localization;
using Merit.Recruitment;
using Merit.Recruitment.Announcements;
using Xunit;

namespace Merit.Tests.Recruitment.Announcements;

/// <summary>The PDF and XLSX writers alone: the same print gives the same bytes whatever the formatting culture, and reads back.</summary>
public class AnnouncementWriterTests
{
    private static AnnouncementPrint Print(Texts texts)
    {
        var round = RoundDecisions.IdFor("CPNS-2024");
        var person = Guid.Parse("0b9a3c1e-0000-4000-8000-000000000001");
        var list = new AnnouncementList(
            AnnouncementKind.FinalResult, round, "CPNS-2024", "CPNS 2024", "INST01", "CPNS-2024",
            [new("column.registration", ColumnKind.Text), new("column.name", ColumnKind.Name), new("column.final-score", ColumnKind.Number), new("column.status", ColumnKind.Code), new("column.note", ColumnKind.Note)],
            [new("F-001", "Analis Kebijakan", "Jakarta", FormationCategory.Umum, 1)],
            [new("F-001", person, ["24100001", "", "78.125", "P/L", ""]), new("F-001", Guid.Empty, ["24100002", "", "70.500", "TL", "note.placed-in|F-009"])],
            [new DecisionReference(Guid.Empty, 41, "aa", new DateTimeOffset(2025, 1, 4, 10, 0, 0, TimeSpan.Zero))],
            []);
        var issued = new AnnouncementIssued(AnnouncementDecisions.IdFor(round, AnnouncementKind.FinalResult, "INST01"), round, AnnouncementKind.FinalResult, "INST01", 1,
            "800/1/PANSEL/2025", new DateOnly(2025, 1, 5), "CPNS-2024", 41, 41, 1, list.DecisionsDigest(), 1, list.ListDigest(), 2, DateTimeOffset.UnixEpoch);
        return new AnnouncementPrint(issued, list, "ab12", new Uri("https://merit.example/announcements/x/editions/1/proof"), new Dictionary<Guid, string> { [person] = "Ni Luh Āyu" }, texts);
    }

    [Fact]
    public void The_same_print_gives_the_same_bytes_under_any_formatting_culture_and_reads_back()
    {
        var culture = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("id-ID");
            var (pdf, xlsx) = (AnnouncementPdf.Write(Print(Texts.Indonesian)), AnnouncementXlsx.Write(Print(Texts.Indonesian)));
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("en-US");
            Assert.Equal(pdf, AnnouncementPdf.Write(Print(Texts.Indonesian)));
            Assert.Equal(xlsx, AnnouncementXlsx.Write(Print(Texts.Indonesian)));

            var lines = PdfText.Lines(pdf);
            Assert.Contains(["1", "F-001", "24100001", "Ni Luh Āyu", "78,125", "P/L"], lines);
            Assert.Contains(["2", "F-001", "24100002", "(tanpa nama)", "70,500", "TL", "dioptimalkan ke formasi F-009"], lines);
            Assert.Contains(["Tanggal: 5 Januari 2025"], lines);
            Assert.Contains(XlsxCells.Rows(xlsx), r => r.SequenceEqual(["1", "F-001", "Analis Kebijakan", "Jakarta", "umum", "24100001", "Ni Luh Āyu", "78.125", "P/L"]));
            Assert.NotEqual(pdf, AnnouncementPdf.Write(Print(Texts.English)));
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }
    }
}
