using System.Collections;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using PdfSharp;
using PdfSharp.Drawing;
using PdfSharp.Pdf;
using QRCoder;

namespace Merit.Recruitment.Announcements;

/// <summary>
/// An announcement as a PDF (A4, PDFsharp 6.2.4): a heading with the number, date, round and instansi; the QR code of
/// the proof address; where the list comes from (rule set, decisions, digest, seal); the table, grouped by formation,
/// with its header repeated on every page; the meaning of the codes used; page numbers. Deterministic: the embedded
/// fonts come from the repository, the document dates are the announcement's date, and the identifiers PDFsharp
/// draws at random (document id, font subset tags, XMP ids) are replaced by values derived from the content
/// (docs/adr/0045).
/// </summary>
public static class AnnouncementPdf
{
    public const string MediaType = "application/pdf";

    // A4 as PDFsharp sizes it, in points.
    private const double PageWidth = 595;
    private const double PageHeight = 842;
    private const double Margin = 36;
    private const double QrSize = 84;
    private const double RowHeight = 10;
    private const double HeadingHeight = 12;
    private const double TableHeaderHeight = 19;
    private const double FooterSpace = 22;
    private const double CellPadding = 2;

    private static readonly XFont Title = AnnouncementFonts.Font(13, bold: true);
    private static readonly XFont Subtitle = AnnouncementFonts.Font(10.5, bold: true);
    private static readonly XFont Body = AnnouncementFonts.Font(8.5, bold: false);
    private static readonly XFont Small = AnnouncementFonts.Font(6.5, bold: false);
    private static readonly XFont Cell = AnnouncementFonts.Font(7, bold: false);
    private static readonly XFont CellBold = AnnouncementFonts.Font(7, bold: true);
    private static readonly XBrush HeaderFill = new XSolidBrush(XColor.FromArgb(230, 230, 230));
    private static readonly XPen Rule = new(XColor.FromArgb(160, 160, 160), 0.4);

    public static byte[] Write(AnnouncementPrint print)
    {
        ArgumentNullException.ThrowIfNull(print);

        // PDFsharp formats the XMP dates with the current culture (Indonesian writes 00.00.00): write invariantly.
        var culture = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        try
        {
            return WriteInvariant(print);
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }
    }

    private static byte[] WriteInvariant(AnnouncementPrint print)
    {
        using var document = new PdfDocument();
        document.Info.Title = $"{print.Heading}: {print.Title}, {print.Issued.Number}";
        document.Info.Subject = $"{print.List.RoundCode} {print.List.InstansiCode} {print.List.Kind.Slug()}";
        document.Info.Author = "Merit";
        document.Info.Creator = "Merit";

        // UTC, so the dates read the same on every machine (a local DateTime is written with the machine's offset).
        document.Info.CreationDate = new DateTime(print.Issued.Date.Year, print.Issued.Date.Month, print.Issued.Date.Day, 0, 0, 0, DateTimeKind.Utc);
        document.Options.CompressContentStreams = true;

        var table = Columns(print);
        var pages = Layout(print);
        var glyphs = new PageText.Glyphs();
        for (var p = 0; p < pages.Count; p++)
        {
            var page = document.AddPage();
            page.Size = PageSize.A4;
            using var graphics = XGraphics.FromPdfPage(page);
            var text = new PageText(graphics, glyphs);
            if (p == 0)
            {
                DrawFirstPageHead(text, print, PageWidth);
            }

            foreach (var item in pages[p])
            {
                Draw(text, print, table, item, PageWidth);
            }

            var footer = $"{print.Issued.Number} · {print.Texts.Format("announcement.page", p + 1, pages.Count)}";
            text.Centred(footer, Small, new XRect(Margin, PageHeight - Margin / 2 - 10, PageWidth - (2 * Margin), 10));
        }

        var seed = SHA256.HashData(Encoding.UTF8.GetBytes($"{print.Issued.AnnouncementId:N}\u001f{print.Issued.Edition}\u001f{print.Issued.ListDigest}\u001f{print.Texts.Language}"));
        FixIdentifiers(document, seed);
        using var output = new MemoryStream();
        document.Save(output, closeStream: false);
        return FixXmpIdentifiers(output.ToArray(), seed);
    }

    /// <summary>A column of the drawn table: the running number, the formation, or a column of the list.</summary>
    private sealed record TableColumn(string Heading, int Index, double X, double Width, bool AlignRight);

    private const int RunningNumber = -1;
    private const int FormationColumn = -2;

    private static List<TableColumn> Columns(AnnouncementPrint print)
    {
        const double contentWidth = PageWidth - (2 * Margin);
        var specs = new List<(string Heading, int Index, double Width, bool Right)>
        {
            (print.Texts["column.no"], RunningNumber, 22, true),
            // Wide enough for the longest formation code of the list (up to a limit): a cut code names no formation.
            (print.Texts["column.formation"], FormationColumn, Math.Clamp(print.List.Formations.Select(f => Width(f.Code, Cell)).DefaultIfEmpty(0).Max() + (2 * CellPadding) + 1, 36, 80), false),
        };
        for (var i = 0; i < print.List.Columns.Count; i++)
        {
            var column = print.List.Columns[i];
            var width = column.Kind switch
            {
                ColumnKind.Name => 0,
                ColumnKind.Note => 128,
                ColumnKind.Code => 30,
                ColumnKind.Number when column.Key.StartsWith("subtest:", StringComparison.Ordinal) => 26,
                ColumnKind.Number => 34,
                _ when column.Key == "column.registration" => 52,
                _ => 90,
            };
            specs.Add((print.ColumnHeading(column), i, width, column.Kind == ColumnKind.Number));
        }

        // The name takes what the others leave.
        var fixedWidth = specs.Sum(s => s.Width);
        var nameWidth = Math.Max(60, contentWidth - fixedWidth);
        var x = Margin;
        var columns = new List<TableColumn>();
        foreach (var spec in specs)
        {
            var width = spec.Width == 0 ? nameWidth : spec.Width;
            columns.Add(new TableColumn(spec.Heading, spec.Index, x, width, spec.Right));
            x += width;
        }

        return columns;
    }

    private abstract record Item(double Y);

    private sealed record TableHeader(double Y) : Item(Y);

    private sealed record FormationHeading(double Y, AnnouncedFormation Formation, bool Continued) : Item(Y);

    private sealed record Line(double Y, int Row, int Number) : Item(Y);

    private sealed record LegendTitle(double Y) : Item(Y);

    private sealed record LegendLine(double Y, string Code, string Meaning) : Item(Y);

    /// <summary>Places every item on its page, so the footer can name the page count.</summary>
    private static List<List<Item>> Layout(AnnouncementPrint print)
    {
        const double bottom = PageHeight - Margin - FooterSpace;
        var pages = new List<List<Item>> { new() };
        var y = FirstPageTableTop(print);
        var formations = print.List.Formations.ToDictionary(f => f.Code, StringComparer.Ordinal);

        void Add(Item item, double height)
        {
            pages[^1].Add(item);
            y += height;
        }

        void NewPage(bool withHeader)
        {
            pages.Add([]);
            y = Margin;
            if (withHeader)
            {
                Add(new TableHeader(y), TableHeaderHeight);
            }
        }

        Add(new TableHeader(y), TableHeaderHeight);
        string? current = null;
        for (var i = 0; i < print.List.Rows.Count; i++)
        {
            var row = print.List.Rows[i];
            if (!string.Equals(row.FormationCode, current, StringComparison.Ordinal))
            {
                if (y + HeadingHeight + RowHeight > bottom)
                {
                    NewPage(withHeader: true);
                }

                current = row.FormationCode;
                Add(new FormationHeading(y, formations[current], Continued: false), HeadingHeight);
            }
            else if (y + RowHeight > bottom)
            {
                NewPage(withHeader: true);
                Add(new FormationHeading(y, formations[current!], Continued: true), HeadingHeight);
            }

            Add(new Line(y, i, i + 1), RowHeight);
        }

        var legend = print.Legend();
        if (legend.Count > 0)
        {
            if (y + 8 + HeadingHeight + RowHeight > bottom)
            {
                NewPage(withHeader: false);
            }
            else
            {
                y += 8;
            }

            Add(new LegendTitle(y), HeadingHeight);
            foreach (var (code, meaning) in legend)
            {
                if (y + RowHeight > bottom)
                {
                    NewPage(withHeader: false);
                }

                Add(new LegendLine(y, code, meaning), RowHeight);
            }
        }

        return pages;
    }

    private static double FirstPageTableTop(AnnouncementPrint print) =>
        Margin + QrSize + 8 + (print.ProvenanceLines.Count * 9) + 8;

    private static void DrawFirstPageHead(PageText page, AnnouncementPrint print, double pageWidth)
    {
        var textWidth = pageWidth - (2 * Margin) - QrSize - 12;
        var y = Margin + 12;
        page.Text(print.Heading, Title, Margin, y);
        y += 15;
        page.Text(Fit(print.Title, Subtitle, textWidth), Subtitle, Margin, y);
        y += 6;
        foreach (var line in print.IdentityLines)
        {
            y += 11;
            page.Text(Fit(line, Body, textWidth), Body, Margin, y);
        }

        DrawQr(page, print.ProofUrl.ToString(), pageWidth - Margin - QrSize, Margin);
        y = Margin + QrSize + 8;
        foreach (var line in print.ProvenanceLines)
        {
            y += 9;
            page.Text(Fit(line, Small, pageWidth - (2 * Margin)), Small, Margin, y);
        }
    }

    private static void Draw(PageText page, AnnouncementPrint print, List<TableColumn> table, Item item, double pageWidth)
    {
        var width = pageWidth - (2 * Margin);
        switch (item)
        {
            case TableHeader header:
                page.Rectangle(HeaderFill, Margin, header.Y, width, TableHeaderHeight);
                foreach (var column in table)
                {
                    var lines = Wrap(column.Heading, CellBold, column.Width - (2 * CellPadding));
                    DrawCell(page, column, lines[0], CellBold, header.Y, lines.Count == 1 ? TableHeaderHeight - 4 : 9.5);
                    if (lines.Count > 1)
                    {
                        DrawCell(page, column, lines[1], CellBold, header.Y + 7.5, 9.5);
                    }
                }

                break;
            case FormationHeading heading:
                var text = print.FormationLine(heading.Formation) + (heading.Continued ? " " + print.Texts["announcement.continued"] : "");
                page.Text(Fit(text, CellBold, width), CellBold, Margin + CellPadding, heading.Y + HeadingHeight - 3);
                page.Line(Rule, Margin, heading.Y + HeadingHeight, Margin + width, heading.Y + HeadingHeight);
                break;
            case Line line:
                var row = print.List.Rows[line.Row];
                foreach (var column in table)
                {
                    var value = column.Index switch
                    {
                        RunningNumber => line.Number.ToString(CultureInfo.InvariantCulture),
                        FormationColumn => row.FormationCode,
                        _ => print.Cell(row, column.Index),
                    };
                    DrawCell(page, column, value, Cell, line.Y, RowHeight);
                }

                break;
            case LegendTitle title:
                page.Text(print.Texts["announcement.codes"], CellBold, Margin + CellPadding, title.Y + HeadingHeight - 3);
                break;
            case LegendLine legend:
                page.Text(legend.Code, CellBold, Margin + CellPadding, legend.Y + RowHeight - 2.5);
                page.Text(Fit(legend.Meaning, Cell, width - 50), Cell, Margin + 40, legend.Y + RowHeight - 2.5);
                break;
        }
    }

    private static void DrawCell(PageText page, TableColumn column, string value, XFont font, double top, double height)
    {
        if (value.Length == 0)
        {
            return;
        }

        var (text, width) = Fitted(value, font, column.Width - (2 * CellPadding));
        var baseline = top + height - 2.5;
        var x = column.AlignRight ? column.X + column.Width - CellPadding - width : column.X + CellPadding;
        page.Text(text, font, x, baseline);
    }

    /// <summary>A heading on at most two lines, broken at a space; the second cut to fit.</summary>
    private static List<string> Wrap(string text, XFont font, double width)
    {
        if (Width(text, font) <= width)
        {
            return [text];
        }

        var words = text.Split(' ');
        var first = words[0];
        var taken = 1;
        while (taken < words.Length && Width(first + " " + words[taken], font) <= width)
        {
            first += " " + words[taken++];
        }

        return taken == words.Length ? [first] : [Fit(first, font, width), Fit(string.Join(' ', words[taken..]), font, width)];
    }

    private static readonly Lock MeasureLock = new();
    private static readonly XGraphics Measure = XGraphics.CreateMeasureContext(new XSize(PageWidth, PageHeight), XGraphicsUnit.Point, XPageDirection.Downwards);
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<XFont, Advances> FontAdvances = new();

    /// <summary>
    /// The width of a text: the sum of its characters' advance widths, each measured once per font (PDFsharp measures
    /// no kerning, so the sum is the string's width); a text with surrogate pairs is measured whole.
    /// </summary>
    private static double Width(string text, XFont font)
    {
        if (text.AsSpan().ContainsAnyInRange('\uD800', '\uDFFF'))
        {
            lock (MeasureLock)
            {
                return Measure.MeasureString(text, font).Width;
            }
        }

        var advances = FontAdvances.GetOrAdd(font, static f => new Advances(f));
        var width = 0.0;
        foreach (var character in text)
        {
            width += advances[character];
        }

        return width;
    }

    /// <summary>
    /// The advance widths of one font's characters, each measured once: those below U+0300 (the Latin scripts names
    /// and numbers are written in) in an array, the others in a dictionary. Writers share it; a width measured twice
    /// at once is the same width.
    /// </summary>
    private sealed class Advances(XFont font)
    {
        private const int Latin = 0x300;
        private readonly double[] latin = Enumerable.Repeat(double.NaN, Latin).ToArray();
        private readonly System.Collections.Concurrent.ConcurrentDictionary<char, double> others = new();

        public double this[char character]
        {
            get
            {
                if (character < Latin)
                {
                    var known = latin[character];
                    if (double.IsNaN(known))
                    {
                        known = Measured(character);
                        latin[character] = known;
                    }

                    return known;
                }

                return others.GetOrAdd(character, Measured);
            }
        }

        private double Measured(char character)
        {
            lock (MeasureLock)
            {
                return Measure.MeasureString(character.ToString(), font).Width;
            }
        }
    }

    /// <summary>The text, cut with an ellipsis where it would overrun its width.</summary>
    private static string Fit(string text, XFont font, double width) => Fitted(text, font, width).Text;

    /// <summary>The text cut with an ellipsis where it would overrun its width, and the width of what is drawn.</summary>
    private static (string Text, double Width) Fitted(string text, XFont font, double width)
    {
        var whole = Width(text, font);
        if (whole <= width)
        {
            return (text, whole);
        }

        var length = text.Length;
        while (length > 1 && Width(string.Concat(text.AsSpan(0, length - 1), "…"), font) > width)
        {
            length--;
        }

        var cut = string.Concat(text.AsSpan(0, length - 1), "…");
        return (cut, Width(cut, font));
    }

    /// <summary>The QR code of the proof address, drawn as vector squares (runs of dark modules per line).</summary>
    private static void DrawQr(PageText page, string url, double x, double y)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(url, QRCodeGenerator.ECCLevel.M);
        var matrix = data.ModuleMatrix;
        var module = QrSize / matrix.Count;
        for (var r = 0; r < matrix.Count; r++)
        {
            BitArray line = matrix[r];
            var c = 0;
            while (c < line.Length)
            {
                if (!line[c])
                {
                    c++;
                    continue;
                }

                var start = c;
                while (c < line.Length && line[c])
                {
                    c++;
                }

                page.Rectangle(XBrushes.Black, x + (start * module), y + (r * module), (c - start) * module, module);
            }
        }
    }

    /// <summary>
    /// The trailer's document id and the six-letter tags of the embedded font subsets, which PDFsharp draws from
    /// <see cref="Guid.NewGuid"/>, derived from the content instead.
    /// </summary>
    private static void FixIdentifiers(PdfDocument document, byte[] seed)
    {
        var id = new string(seed.AsSpan(0, 16).ToArray().Select(b => (char)b).ToArray());
        document.Internals.FirstDocumentID = id;
        document.Internals.SecondDocumentID = id;
        foreach (var item in document.Internals.GetAllObjects())
        {
            if (item is not PdfDictionary dictionary)
            {
                continue;
            }

            var type = dictionary.Elements.GetName("/Type");
            var key = type switch
            {
                "/FontDescriptor" => "/FontName",
                "/Font" => "/BaseFont",
                _ => null,
            };
            var name = key is null ? "" : dictionary.Elements.GetName(key);
            if (key is not null && name.Length > 8 && name[7] == '+')
            {
                dictionary.Elements.SetName(key, "/" + SubsetTag(name[8..]) + "+" + name[8..]);
            }
        }
    }

    private static string SubsetTag(string fontName)
    {
        var hash = SHA256.HashData(Encoding.ASCII.GetBytes(fontName));
        return new string(hash.AsSpan(0, 6).ToArray().Select(b => (char)('A' + (b % 26))).ToArray());
    }

    /// <summary>
    /// PDFsharp writes the XMP metadata at save time with two random UUIDs (document and instance id). The metadata
    /// stream is not compressed, so they are replaced in place, by ids of the same length derived from the content:
    /// no offset in the file moves.
    /// </summary>
    private static byte[] FixXmpIdentifiers(byte[] pdf, byte[] seed)
    {
        var marker = "uuid:"u8;
        var replaced = 0;
        var at = 0;
        while (at < pdf.Length && pdf.AsSpan(at).IndexOf(marker) is var found and >= 0)
        {
            var start = at + found + marker.Length;
            var uuid = new Guid(SHA256.HashData([.. seed, (byte)replaced]).AsSpan(0, 16)).ToString("D");
            Encoding.ASCII.GetBytes(uuid, pdf.AsSpan(start, uuid.Length));
            replaced++;
            at = start + uuid.Length;
        }

        if (replaced != 2)
        {
            throw new InvalidOperationException($"Expected the two XMP ids of PDFsharp 6.2.4, found {replaced}: the PDF would not be deterministic.");
        }

        return pdf;
    }
}
