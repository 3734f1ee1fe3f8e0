using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Xml;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Merit.Recruitment.Announcements;

/// <summary>
/// An announcement as a spreadsheet (XLSX) for the offices that act on it: the heading and provenance lines on top,
/// then one row per line of the list with the formation's code, position, location and category in columns of their
/// own, numbers as numbers. The package is zipped here (System.IO.Compression), the workbook and styles are the Open
/// XML SDK 3.3.0's typed elements, the sheet's XML is streamed into its deflated entry. Deterministic: the
/// relationship ids are fixed, no document properties (no dates) are written, and every entry is dated the
/// announcement's date (docs/adr/0045, docs/adr/0055).
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

        // The package is zipped here, every entry dated the announcement's date and deflated once as it is written:
        // System.IO.Packaging would date the entries with the clock and keep each part in memory before zipping it.
        var stamp = new DateTimeOffset(print.Issued.Date.Year, print.Issued.Date.Month, print.Issued.Date.Day, 0, 0, 0, TimeSpan.Zero);
        using var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            Part(zip, "[Content_Types].xml", stamp, ContentTypes);
            Part(zip, "_rels/.rels", stamp, PackageRelationships);
            Part(zip, "xl/workbook.xml", stamp, new Workbook(new Sheets(new Sheet { Name = print.Texts["announcement.sheet"], SheetId = 1, Id = "rId1" })));
            Part(zip, "xl/_rels/workbook.xml.rels", stamp, WorkbookRelationships);
            Part(zip, "xl/styles.xml", stamp, Styles());
            using var sheet = Entry(zip, "xl/worksheets/sheet1.xml", stamp);
            WriteSheet(sheet, print);
        }

        return output.ToArray();
    }

    private const string ContentTypes =
        """<?xml version="1.0" encoding="utf-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"""
        + """<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml" />"""
        + """<Default Extension="xml" ContentType="application/xml" />"""
        + """<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml" />"""
        + """<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml" />"""
        + """<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml" /></Types>""";

    private const string PackageRelationships =
        """<?xml version="1.0" encoding="utf-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"""
        + """<Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="/xl/workbook.xml" Id="rId1" /></Relationships>""";

    private const string WorkbookRelationships =
        """<?xml version="1.0" encoding="utf-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"""
        + """<Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/sheet1.xml" Id="rId1" />"""
        + """<Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="/xl/styles.xml" Id="rId2" /></Relationships>""";

    private static Stream Entry(ZipArchive zip, string name, DateTimeOffset stamp)
    {
        var entry = zip.CreateEntry(name, CompressionLevel.Fastest);
        entry.LastWriteTime = stamp;
        return entry.Open();
    }

    private static void Part(ZipArchive zip, string name, DateTimeOffset stamp, string xml)
    {
        using var stream = Entry(zip, name, stamp);
        stream.Write(Encoding.UTF8.GetBytes(xml));
    }

    /// <summary>A part the SDK's typed elements describe (workbook, styles), written as the SDK serialises it.</summary>
    private static void Part(ZipArchive zip, string name, DateTimeOffset stamp, OpenXmlElement root)
    {
        using var stream = Entry(zip, name, stamp);
        using var xml = XmlWriter.Create(stream, new XmlWriterSettings { Encoding = new UTF8Encoding(false) });
        xml.WriteStartDocument();
        root.WriteTo(xml);
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

    private static void WriteSheet(Stream stream, AnnouncementPrint print)
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

        using var writer = new SheetWriter(stream, headings.Select(h => h.Width));
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
    /// Writes the sheet's XML forward as UTF-8 text (no element objects per cell, no well-formedness bookkeeping: the
    /// markup is fixed and only the texts are escaped), naming each cell's reference (A1, B1, …) as Excel does;
    /// characters XML cannot hold are left out.
    /// </summary>
    private sealed class SheetWriter : IDisposable
    {
        private readonly StreamWriter text;
        private readonly List<string> letters = [];
        private string rowNumber = "";
        private int column;

        public SheetWriter(Stream stream, IEnumerable<double> widths)
        {
            text = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16);
            text.Write("""<?xml version="1.0" encoding="utf-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><cols>""");
            var index = 0;
            foreach (var width in widths)
            {
                index++;
                text.Write(string.Create(CultureInfo.InvariantCulture, $"""<col min="{index}" max="{index}" width="{width}" customWidth="1" />"""));
            }

            text.Write("</cols><sheetData>");
        }

        public void StartRow(int index)
        {
            rowNumber = index.ToString(CultureInfo.InvariantCulture);
            column = 0;
            text.Write("<row r=\"");
            text.Write(rowNumber);
            text.Write("\">");
        }

        public void EndRow() => text.Write("</row>");

        /// <summary>An inline string: no shared-string table to keep in step, and the cell reads on its own. An empty text leaves the cell out.</summary>
        public void Text(string value, uint style)
        {
            var letter = Next();
            if (value.Length == 0 && style == 0)
            {
                return;
            }

            Reference(letter);
            if (style != 0)
            {
                text.Write("\" s=\"");
                text.Write(style.ToString(CultureInfo.InvariantCulture));
            }

            // Spaces at either end, tabs and line breaks are kept only when the text says so.
            text.Write(value.Length > 0 && (char.IsWhiteSpace(value[0]) || char.IsWhiteSpace(value[^1]) || value.AsSpan().ContainsAny('\t', '\n', '\r'))
                ? "\" t=\"inlineStr\"><is><t xml:space=\"preserve\">"
                : "\" t=\"inlineStr\"><is><t>");
            Escaped(value);
            text.Write("</t></is></c>");
        }

        /// <summary>A number in its invariant form, as the list holds it.</summary>
        public void Number(string invariant)
        {
            Reference(Next());
            text.Write("\"><v>");
            text.Write(invariant);
            text.Write("</v></c>");
        }

        public void Dispose()
        {
            text.Write("</sheetData></worksheet>");
            text.Dispose();
        }

        private void Reference(string letter)
        {
            text.Write("<c r=\"");
            text.Write(letter);
            text.Write(rowNumber);
        }

        /// <summary>The text with &amp;, &lt; and &gt; escaped, a carriage return as a character reference, and what XML cannot hold left out.</summary>
        private void Escaped(string value)
        {
            var from = 0;
            for (var i = 0; i < value.Length; i++)
            {
                var character = value[i];
                var replacement = character switch
                {
                    '&' => "&amp;",
                    '<' => "&lt;",
                    '>' => "&gt;",
                    '\r' => "&#xD;",
                    _ when !XmlConvert.IsXmlChar(character) && !char.IsSurrogate(character) => "",
                    _ => null,
                };
                if (replacement is null)
                {
                    continue;
                }

                text.Write(value.AsSpan(from, i - from));
                text.Write(replacement);
                from = i + 1;
            }

            text.Write(value.AsSpan(from));
        }

        /// <summary>The next cell's column letters.</summary>
        private string Next()
        {
            var index = column++;
            while (letters.Count <= index)
            {
                var name = "";
                for (var n = letters.Count + 1; n > 0; n = (n - 1) / 26)
                {
                    name = (char)('A' + ((n - 1) % 26)) + name;
                }

                letters.Add(name);
            }

            return letters[index];
        }
    }
}
