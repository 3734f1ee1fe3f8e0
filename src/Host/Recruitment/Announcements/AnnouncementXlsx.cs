using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Xml;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Merit.Recruitment.Announcements;

/// <summary>
/// An announcement as a spreadsheet (XLSX, the Open XML SDK 3.3.0) for the offices that act on it: the heading and
/// provenance lines on top, then one row per line of the list with the formation's code, position, location and
/// category in columns of their own, numbers as numbers; the sheet's XML is streamed. Deterministic: the relationship ids are fixed, no document
/// properties (no dates) are written, and the package is re-zipped with every entry dated the announcement's date
/// (docs/adr/0045).
/// </summary>
public static class AnnouncementXlsx
{
    public const string MediaType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    /// <summary>The 1-based row of the table's header: the heading, identity and provenance lines and a blank row come first.</summary>
    public static int HeaderRow(AnnouncementPrint print)
    {
        ArgumentNullException.ThrowIfNull(print);
        return 2 + print.IdentityLines.Count + print.ProvenanceLines.Count + 2;
    }

    public static byte[] Write(AnnouncementPrint print)
    {
        ArgumentNullException.ThrowIfNull(print);
        using var package = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(package, SpreadsheetDocumentType.Workbook))
        {
            // Stored, not deflated: Normalized deflates every entry once, as it copies them.
            document.CompressionOption = System.IO.Packaging.CompressionOption.NotCompressed;
            var workbook = document.AddWorkbookPart();
            document.ChangeIdOfPart(workbook, "rId1"); // the SDK names the package's relationship at random
            var sheet = workbook.AddNewPart<WorksheetPart>("rId1");
            var styles = workbook.AddNewPart<WorkbookStylesPart>("rId2");
            styles.Stylesheet = Styles();
            WriteSheet(sheet, print);
            workbook.Workbook = new Workbook(new Sheets(new Sheet { Name = print.Texts["announcement.sheet"], SheetId = 1, Id = "rId1" }));
        }

        return Normalized(package.ToArray(), print.Issued.Date);
    }

    private const uint Bold = 1;
    private const uint Header = 2;

    private static Stylesheet Styles() => new(
        new Fonts(new Font(new FontSize { Val = 10 }), new Font(new Bold(), new FontSize { Val = 10 })) { Count = 2 },
        new Fills(new Fill(new PatternFill { PatternType = PatternValues.None }), new Fill(new PatternFill { PatternType = PatternValues.Gray125 }),
            new Fill(new PatternFill(new ForegroundColor { Rgb = "FFE6E6E6" }) { PatternType = PatternValues.Solid }))
        { Count = 3 },
        new Borders(new Border()) { Count = 1 },
        new CellFormats(
            new CellFormat(),
            new CellFormat { FontId = 1, ApplyFont = true },
            new CellFormat { FontId = 1, FillId = 2, ApplyFont = true, ApplyFill = true })
        { Count = 3 });

    private static void WriteSheet(WorksheetPart part, AnnouncementPrint print)
    {
        var formations = print.List.Formations.ToDictionary(f => f.Code, StringComparer.Ordinal);
        var headings = new List<(string Text, double Width)>
        {
            (print.Texts["column.no"], 6), (print.Texts["column.formation"], 12), (print.Texts["column.position"], 26),
            (print.Texts["column.location"], 18), (print.Texts["column.category"], 14),
        };
        headings.AddRange(print.List.Columns.Select(c => (print.ColumnHeading(c), c.Kind switch
        {
            ColumnKind.Name => 32.0,
            ColumnKind.Note => 40.0,
            ColumnKind.Text => 24.0,
            _ => 12.0,
        })));

        using var writer = new SheetWriter(part.GetStream(FileMode.Create), headings.Select(h => h.Width));
        var row = 0;
        void TextRow(string text, uint style)
        {
            row++;
            writer.StartRow(row);
            writer.Text(text, style);
            writer.EndRow();
        }

        TextRow(print.Heading, Bold);
        TextRow(print.Title, Bold);
        foreach (var line in print.IdentityLines.Concat(print.ProvenanceLines))
        {
            TextRow(line, 0);
        }

        row++; // a blank row before the table
        row++;
        writer.StartRow(row);
        foreach (var (text, _) in headings)
        {
            writer.Text(text, Header);
        }

        writer.EndRow();
        for (var i = 0; i < print.List.Rows.Count; i++)
        {
            var line = print.List.Rows[i];
            var formation = formations[line.FormationCode];
            row++;
            writer.StartRow(row);
            writer.Number((i + 1).ToString(CultureInfo.InvariantCulture));
            writer.Text(formation.Code, 0);
            writer.Text(formation.Position, 0);
            writer.Text(formation.Location, 0);
            writer.Text(formation.Category.Code(), 0);
            for (var c = 0; c < print.List.Columns.Count; c++)
            {
                if (print.List.Columns[c].Kind == ColumnKind.Number && line.Cells[c].Length > 0)
                {
                    writer.Number(line.Cells[c]);
                }
                else
                {
                    writer.Text(print.Cell(line, c), 0);
                }
            }

            writer.EndRow();
        }

        var legend = print.Legend();
        if (legend.Count > 0)
        {
            row++;
            TextRow(print.Texts["announcement.codes"], Bold);
            foreach (var (code, meaning) in legend)
            {
                TextRow($"{code}: {meaning}", 0);
            }
        }

    }

    /// <summary>
    /// Writes the sheet's XML forward with an <see cref="XmlWriter"/> (no element objects per cell), naming each cell's
    /// reference (A1, B1, …) as Excel does; characters XML cannot hold are left out.
    /// </summary>
    private sealed class SheetWriter : IDisposable
    {
        private const string Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
        private readonly Stream stream;
        private readonly XmlWriter xml;
        private int row;
        private int column;

        public SheetWriter(Stream stream, IEnumerable<double> widths)
        {
            this.stream = stream;
            xml = XmlWriter.Create(stream, new XmlWriterSettings { Encoding = new UTF8Encoding(false), CloseOutput = false });
            xml.WriteStartDocument(standalone: true);
            xml.WriteStartElement("worksheet", Main);
            xml.WriteStartElement("cols", Main);
            var index = 0;
            foreach (var width in widths)
            {
                index++;
                xml.WriteStartElement("col", Main);
                xml.WriteAttributeString("min", index.ToString(CultureInfo.InvariantCulture));
                xml.WriteAttributeString("max", index.ToString(CultureInfo.InvariantCulture));
                xml.WriteAttributeString("width", width.ToString(CultureInfo.InvariantCulture));
                xml.WriteAttributeString("customWidth", "1");
                xml.WriteEndElement();
            }

            xml.WriteEndElement();
            xml.WriteStartElement("sheetData", Main);
        }

        public void StartRow(int index)
        {
            row = index;
            column = 0;
            xml.WriteStartElement("row", Main);
            xml.WriteAttributeString("r", index.ToString(CultureInfo.InvariantCulture));
        }

        public void EndRow() => xml.WriteEndElement();

        /// <summary>An inline string: no shared-string table to keep in step, and the cell reads on its own. An empty text leaves the cell out.</summary>
        public void Text(string text, uint style)
        {
            var reference = Next();
            if (text.Length == 0 && style == 0)
            {
                return;
            }

            xml.WriteStartElement("c", Main);
            xml.WriteAttributeString("r", reference);
            if (style != 0)
            {
                xml.WriteAttributeString("s", style.ToString(CultureInfo.InvariantCulture));
            }

            xml.WriteAttributeString("t", "inlineStr");
            xml.WriteStartElement("is", Main);
            xml.WriteStartElement("t", Main);
            xml.WriteAttributeString("xml", "space", null, "preserve");
            xml.WriteString(text.Any(c => !XmlConvert.IsXmlChar(c) && !char.IsSurrogate(c)) ? new string(text.Where(c => XmlConvert.IsXmlChar(c) || char.IsSurrogate(c)).ToArray()) : text);
            xml.WriteEndElement();
            xml.WriteEndElement();
            xml.WriteEndElement();
        }

        /// <summary>A number in its invariant form, as the list holds it.</summary>
        public void Number(string invariant)
        {
            xml.WriteStartElement("c", Main);
            xml.WriteAttributeString("r", Next());
            xml.WriteElementString("v", Main, invariant);
            xml.WriteEndElement();
        }

        public void Dispose()
        {
            xml.WriteEndElement(); // sheetData
            xml.WriteEndElement(); // worksheet
            xml.WriteEndDocument();
            xml.Dispose();
            stream.Dispose();
        }

        private string Next()
        {
            var index = column++;
            var letters = "";
            for (var n = index + 1; n > 0; n = (n - 1) / 26)
            {
                letters = (char)('A' + ((n - 1) % 26)) + letters;
            }

            return letters + row.ToString(CultureInfo.InvariantCulture);
        }
    }

    /// <summary>
    /// The package again, entry by entry in the same order, each dated the announcement's date: System.IO.Packaging
    /// dates every entry with the clock.
    /// </summary>
    private static byte[] Normalized(byte[] package, DateOnly date)
    {
        var stamp = new DateTimeOffset(date.Year, date.Month, date.Day, 0, 0, 0, TimeSpan.Zero);
        using var input = new ZipArchive(new MemoryStream(package), ZipArchiveMode.Read);
        using var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var entry in input.Entries)
            {
                var copy = zip.CreateEntry(entry.FullName, CompressionLevel.Optimal);
                copy.LastWriteTime = stamp;
                using var from = entry.Open();
                using var to = copy.Open();
                from.CopyTo(to);
            }
        }

        return output.ToArray();
    }
}
