using System.Text;
using System.Text.RegularExpressions;
using PdfSharp.Pdf;
using PdfSharp.Pdf.Content;
using PdfSharp.Pdf.Content.Objects;
using PdfSharp.Pdf.IO;

namespace Merit.Tests.Recruitment.Announcements;

/// <summary>
/// The text of a PDF as a reader gets it, independently of how Merit wrote it: each page's content stream parsed by
/// PDFsharp, every shown string mapped to Unicode through its font's ToUnicode map, the strings grouped into lines by
/// their vertical position (a line of a table is its cells in order; empty cells show nothing).
/// </summary>
public static partial class PdfText
{
    public static List<List<string>> Lines(byte[] pdf)
    {
        var lines = new List<List<string>>();
        List<string>? line = null;
        ShownText? last = null;
        foreach (var shown in Shown(pdf))
        {
            if (line is null || last is null || last.Page != shown.Page || Math.Abs(last.Y - shown.Y) > 0.01)
            {
                line = [];
                lines.Add(line);
            }

            line.Add(shown.Text);
            last = shown;
        }

        return lines;
    }

    /// <summary>A shown string: its page (from 0), where it starts (PDF space, y up) and its text.</summary>
    public sealed record ShownText(int Page, double X, double Y, string Text);

    /// <summary>Every shown string in content order, placed by the text-positioning operators of its text object.</summary>
    public static List<ShownText> Shown(byte[] pdf)
    {
        var shown = new List<ShownText>();
        using var document = PdfReader.Open(new MemoryStream(pdf), PdfDocumentOpenMode.Import);
        for (var p = 0; p < document.PageCount; p++)
        {
            var page = document.Pages[p];
            var fonts = page.Resources.Elements.GetDictionary("/Font")!;
            var maps = fonts.Elements.Keys.ToDictionary(k => k, k => ToUnicode(fonts.Elements.GetDictionary(k)!));
            Dictionary<int, string>? map = null;
            double x = 0, y = 0;
            foreach (var op in Operators(ContentReader.ReadContent(page)))
            {
                switch (op.OpCode.Name)
                {
                    case "BT":
                        (x, y) = (0, 0);
                        break;
                    case "Tf":
                        map = maps[((CName)op.Operands[0]).Name];
                        break;
                    case "Td":
                        x += Number(op.Operands[0]);
                        y += Number(op.Operands[1]);
                        break;
                    case "Tm":
                        (x, y) = (Number(op.Operands[4]), Number(op.Operands[5]));
                        break;
                    case "Tj":
                        shown.Add(new ShownText(p, x, y, Decode(((CString)op.Operands[0]).Value, map!)));
                        break;
                }
            }
        }

        return shown;
    }

    private static IEnumerable<COperator> Operators(CSequence sequence)
    {
        foreach (var item in sequence)
        {
            if (item is COperator op)
            {
                yield return op;
            }
            else if (item is CSequence inner)
            {
                foreach (var nested in Operators(inner))
                {
                    yield return nested;
                }
            }
        }
    }

    private static double Number(CObject value) => value switch
    {
        CReal real => real.Value,
        CInteger integer => integer.Value,
        _ => throw new InvalidDataException($"Not a number: {value}"),
    };

    /// <summary>Identity-H: two bytes per character code.</summary>
    private static string Decode(string raw, Dictionary<int, string> map)
    {
        var text = new StringBuilder();
        for (var i = 0; i + 1 < raw.Length; i += 2)
        {
            text.Append(map[(raw[i] << 8) | raw[i + 1]]);
        }

        return text.ToString();
    }

    private static Dictionary<int, string> ToUnicode(PdfDictionary font)
    {
        var cmap = Encoding.ASCII.GetString(font.Elements.GetDictionary("/ToUnicode")!.Stream.UnfilteredValue);
        var map = new Dictionary<int, string>();
        foreach (Match block in RangeBlock().Matches(cmap))
        {
            foreach (Match range in Triple().Matches(block.Groups[1].Value))
            {
                int from = Convert.ToInt32(range.Groups[1].Value, 16), to = Convert.ToInt32(range.Groups[2].Value, 16), unicode = Convert.ToInt32(range.Groups[3].Value, 16);
                for (var code = from; code <= to; code++)
                {
                    map[code] = char.ConvertFromUtf32(unicode + (code - from));
                }
            }
        }

        foreach (Match block in CharBlock().Matches(cmap))
        {
            foreach (Match pair in Pair().Matches(block.Groups[1].Value))
            {
                map[Convert.ToInt32(pair.Groups[1].Value, 16)] = Encoding.BigEndianUnicode.GetString(Convert.FromHexString(pair.Groups[2].Value));
            }
        }

        return map;
    }

    [GeneratedRegex(@"beginbfrange([\s\S]*?)endbfrange")]
    private static partial Regex RangeBlock();

    [GeneratedRegex(@"beginbfchar([\s\S]*?)endbfchar")]
    private static partial Regex CharBlock();

    [GeneratedRegex(@"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")]
    private static partial Regex Triple();

    [GeneratedRegex(@"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")]
    private static partial Regex Pair();
}
