using System.Globalization;
using System.Text;
using PdfSharp.Drawing;

namespace Merit.Recruitment.Announcements;

/// <summary>
/// What an announcement draws on one PDF page. PDFsharp's <see cref="XGraphics.DrawString(string, XFont, XBrush, double, double)"/>
/// costs microseconds per call (code points to glyphs, the font subset, the event arguments, the formatted operators),
/// and a page holds about 900 cells. A text whose characters PDFsharp has already drawn in the same font in this
/// document is therefore written straight into the page's content stream (<see cref="XGraphics.XGraphicsInternals.ContentStringBuilder"/>,
/// public) as the same operators PDFsharp writes — a <c>Td</c> to its baseline and its glyph ids as a <c>Tj</c>;
/// the glyph ids are those PDFsharp wrote for the character, and the font subset and its ToUnicode map already hold
/// it. Any other text goes through PDFsharp, which then learns its characters (docs/adr/0055).
/// </summary>
/// <remarks>
/// Written straight only inside PDFsharp's text object (between <c>BT</c> and <c>ET</c>, after PDFsharp drew a text in
/// the same font, with nothing but text since); PDFsharp positions its next text relative to where it drew its last,
/// so before PDFsharp draws again the position is moved back there. Drawing a rectangle or a line ends PDFsharp's
/// text object.
/// </remarks>
public sealed class PageText(XGraphics graphics, PageText.Glyphs glyphs)
{
    /// <summary>The glyph ids (four hex digits) of the characters PDFsharp has drawn in each font of one document.</summary>
    public sealed class Glyphs
    {
        private readonly Dictionary<XFont, Dictionary<char, string>> byFont = [];

        public Dictionary<char, string> Of(XFont font)
        {
            if (!byFont.TryGetValue(font, out var glyphs))
            {
                glyphs = [];
                byFont[font] = glyphs;
            }

            return glyphs;
        }
    }

    private readonly StringBuilder content = graphics.Internals.ContentStringBuilder
        ?? throw new InvalidOperationException("PDFsharp gives no content stream for this page.");

    private readonly double pageHeight = graphics.PageSize.Height;

    // The font of PDFsharp's open text object; null when no text object is open (or not known to be).
    private XFont? font;

    // Where PDFsharp drew its last text, and where the text position is now (PDF space, y up).
    private double drawnX;
    private double drawnY;
    private double atX;
    private double atY;

    /// <summary>A text on its baseline, starting at <paramref name="x"/> (page space, y down).</summary>
    public void Text(string text, XFont textFont, double x, double y)
    {
        if (text.Length == 0)
        {
            return;
        }

        var pdfY = pageHeight - y;
        var known = glyphs.Of(textFont);
        if (ReferenceEquals(font, textFont) && AllKnown(text, known))
        {
            Move(x, pdfY);
            content.Append('<');
            foreach (var character in text)
            {
                content.Append(known[character]);
            }

            content.Append("> Tj\n");
            return;
        }

        ReturnToDrawn();
        graphics.DrawString(text, textFont, XBrushes.Black, x, y);
        Learn(text, known);
        font = textFont;
        drawnX = atX = x;
        drawnY = atY = pdfY;
    }

    /// <summary>A text centred in <paramref name="rectangle"/>, through PDFsharp.</summary>
    public void Centred(string text, XFont textFont, XRect rectangle)
    {
        ReturnToDrawn();
        graphics.DrawString(text, textFont, XBrushes.Black, rectangle, XStringFormats.Center);

        // Where PDFsharp put it is its own computation: nothing is written straight until it draws a text again.
        font = null;
    }

    public void Rectangle(XBrush brush, double x, double y, double width, double height)
    {
        graphics.DrawRectangle(brush, x, y, width, height);
        font = null;
    }

    public void Line(XPen pen, double x1, double y1, double x2, double y2)
    {
        graphics.DrawLine(pen, x1, y1, x2, y2);
        font = null;
    }

    /// <summary>Whether PDFsharp has drawn each character of the text in this font.</summary>
    private static bool AllKnown(string text, Dictionary<char, string> glyphs)
    {
        foreach (var character in text)
        {
            if (!glyphs.ContainsKey(character))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The glyph id of each character of the text PDFsharp has just written, read back from its <c>&lt;…&gt; Tj</c>:
    /// one glyph of four hex digits per character, or nothing is learnt (surrogate pairs, another encoding).
    /// </summary>
    private void Learn(string text, Dictionary<char, string> glyphs)
    {
        const string shown = "> Tj\n";
        var end = content.Length - shown.Length;
        if (end < 1 || text.AsSpan().ContainsAnyInRange('\uD800', '\uDFFF') || !EndsWith(shown))
        {
            return;
        }

        var digits = new char[text.Length * 4];
        var count = 0;
        var at = end - 1;
        for (; at >= 0 && content[at] != '<'; at--)
        {
            var character = content[at];
            if (char.IsAsciiHexDigit(character))
            {
                if (count == digits.Length)
                {
                    return;
                }

                digits[digits.Length - 1 - count++] = character;
            }
            else if (!char.IsWhiteSpace(character))
            {
                return;
            }
        }

        if (at < 0 || count != digits.Length)
        {
            return;
        }

        for (var i = 0; i < text.Length; i++)
        {
            glyphs.TryAdd(text[i], new string(digits, i * 4, 4));
        }
    }

    private bool EndsWith(string tail)
    {
        for (var i = 0; i < tail.Length; i++)
        {
            if (content[content.Length - tail.Length + i] != tail[i])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A <c>Td</c> to (<paramref name="x"/>, <paramref name="y"/>), relative to the text position, as PDFsharp writes it.</summary>
    private void Move(double x, double y)
    {
        Number(content, x - atX);
        content.Append(' ');
        Number(content, y - atY);
        content.Append(" Td\n");
        atX = x;
        atY = y;
    }

    /// <summary>
    /// A number to four decimals, trailing zeros dropped, as the format <c>0.####</c> writes it: written digit by
    /// digit, since the custom format's parser took a tenth of the writers' time at one move per cell.
    /// </summary>
    public static void Number(StringBuilder content, double value)
    {
        ArgumentNullException.ThrowIfNull(content);
        // Through decimal, which keeps the value's fifteen significant digits: the format rounds those, not the binary value.
        var scaled = (long)Math.Round((decimal)value * 10_000m, MidpointRounding.AwayFromZero);
        if (scaled < 0)
        {
            content.Append('-');
            scaled = -scaled;
        }

        content.Append(CultureInfo.InvariantCulture, $"{scaled / 10_000}");
        var fraction = (int)(scaled % 10_000);
        if (fraction == 0)
        {
            return;
        }

        Span<char> digits = stackalloc char[4];
        for (var i = 3; i >= 0; i--)
        {
            digits[i] = (char)('0' + (fraction % 10));
            fraction /= 10;
        }

        content.Append('.').Append(digits.TrimEnd('0'));
    }

    /// <summary>Back to where PDFsharp drew its last text, which its next text is placed from.</summary>
    private void ReturnToDrawn()
    {
        if (font is not null && (atX != drawnX || atY != drawnY))
        {
            Move(drawnX, drawnY);
        }
    }
}
