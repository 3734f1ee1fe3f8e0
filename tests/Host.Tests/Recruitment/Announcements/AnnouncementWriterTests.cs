using System.Globalization;
using Merit.Localization;
using Merit.Recruitment;
using Merit.Recruitment.Announcements;
using PdfSharp.Drawing;
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
    public void A_text_position_is_written_as_the_format_0_point_four_hashes_writes_it()
    {
        var random = new Random(31);
        var values = new List<double> { 0, 1, -1, 36, 559.5, 0.00004, -0.00006, 12.34567, 841.99996, -123.4 };
        values.AddRange(Enumerable.Range(0, 5_000).Select(_ => Math.Round((random.NextDouble() * 1_700) - 850, random.Next(0, 8))));
        foreach (var value in values)
        {
            var written = new System.Text.StringBuilder();
            PageText.Number(written, value);
            var expected = value.ToString("0.####", CultureInfo.InvariantCulture);
            Assert.Equal(expected == "-0" ? "0" : expected, written.ToString());
        }
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

    [Fact]
    public void Every_line_of_a_list_over_several_pages_reads_back_in_its_place()
    {
        // Ten formations of 40 lines: several pages, a table header and formation headings among the lines, and
        // characters first met on the last line (the names before it use none of them).
        var round = RoundDecisions.IdFor("CPNS-2024");
        var formations = Enumerable.Range(1, 10).Select(f => new AnnouncedFormation($"F-{f:D3}", "Analis Kebijakan", "Jakarta", FormationCategory.Umum, 4)).ToList();
        var persons = Enumerable.Range(0, 400).Select(i => new Guid(i + 1, 0, 0x4000, 0x80, 0, 0, 0, 0, 0, 0, 0)).ToList();
        var names = persons.Select((p, i) => (p, Name: i == 399 ? "Ŝŵ Ŧŷ & Ŋ <Ÿ>" : $"Peserta {i:D3} Nusantara")).ToDictionary(n => n.p, n => n.Name);
        var rows = persons.Select((p, i) => new AnnouncementRow(formations[i / 40].Code, p,
            [$"24{i:D6}", "", $"{60 + (i % 37)}.{i % 1000:D3}", i % 3 == 0 ? "TL" : "P/L", i % 7 == 0 ? "note.placed-in|F-009" : ""])).ToList();
        var list = new AnnouncementList(
            AnnouncementKind.FinalResult, round, "CPNS-2024", "CPNS 2024", "INST01", "CPNS-2024",
            [new("column.registration", ColumnKind.Text), new("column.name", ColumnKind.Name), new("column.final-score", ColumnKind.Number), new("column.status", ColumnKind.Code), new("column.note", ColumnKind.Note)],
            formations, rows, [new DecisionReference(Guid.Empty, 41, "aa", new DateTimeOffset(2025, 1, 4, 10, 0, 0, TimeSpan.Zero))], []);
        var issued = new AnnouncementIssued(AnnouncementDecisions.IdFor(round, AnnouncementKind.FinalResult, "INST01"), round, AnnouncementKind.FinalResult, "INST01", 1,
            "800/1/PANSEL/2025", new DateOnly(2025, 1, 5), "CPNS-2024", 41, 41, 1, list.DecisionsDigest(), 1, list.ListDigest(), 2, DateTimeOffset.UnixEpoch);
        var print = new AnnouncementPrint(issued, list, "ab12", new Uri("https://merit.example/announcements/x/editions/1/proof"), names, Texts.Indonesian);

        var pdf = AnnouncementPdf.Write(print);

        var lines = PdfText.Lines(pdf);
        for (var i = 0; i < rows.Count; i++)
        {
            List<string> expected = [(i + 1).ToString(CultureInfo.InvariantCulture), rows[i].FormationCode, rows[i].Cells[0], names[persons[i]], rows[i].Cells[2].Replace('.', ','), rows[i].Cells[3]];
            if (rows[i].Cells[4].Length > 0)
            {
                expected.Add("dioptimalkan ke formasi F-009");
            }

            Assert.Contains(expected, lines);
        }

        // Every page places a column where the first does: left-aligned cells start at one x, numbers end at one x.
        var shown = PdfText.Shown(pdf);
        Assert.True(shown.Max(s => s.Page) >= 4);
        var registrations = shown.Where(s => s.Text.Length == 8 && s.Text.StartsWith("24", StringComparison.Ordinal)).ToList();
        Assert.Equal(rows.Count, registrations.Count);
        Assert.True(registrations.Max(s => s.X) - registrations.Min(s => s.X) < 0.01);
        var cell = AnnouncementFonts.Font(7, bold: false);
        var measure = XGraphics.CreateMeasureContext(new XSize(595, 842), XGraphicsUnit.Point, XPageDirection.Downwards);
        var scores = shown.Where(s => s.Text.Contains(',', StringComparison.Ordinal) && char.IsAsciiDigit(s.Text[0])).ToList();
        Assert.Equal(rows.Count, scores.Count);
        var ends = scores.Select(s => s.X + measure.MeasureString(s.Text, cell).Width).ToList();
        Assert.True(ends.Max() - ends.Min() < 0.01);
    }
}
