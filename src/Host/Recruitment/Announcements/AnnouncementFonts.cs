using PdfSharp.Drawing;
using PdfSharp.Fonts;
using PdfSharp.Pdf;

namespace Merit.Recruitment.Announcements;

/// <summary>
/// The one typeface announcements use, shipped in the repository and embedded in every PDF: DejaVu Sans Condensed
/// (regular and bold; Bitstream Vera licence, Fonts/LICENSE). Never a font of the machine, so every machine writes
/// the same glyphs and metrics (docs/adr/0045).
/// </summary>
public sealed class AnnouncementFonts : IFontResolver
{
    public const string Family = "Merit Sans";

    private const string Regular = "DejaVuSansCondensed";
    private const string Bold = "DejaVuSansCondensed-Bold";

    private static readonly Lazy<byte[]> RegularFace = new(() => Load(Regular));
    private static readonly Lazy<byte[]> BoldFace = new(() => Load(Bold));

    /// <summary>The family at a size, with Unicode encoding (any character of a name prints); installs the resolver first.</summary>
    public static XFont Font(double size, bool bold)
    {
        Install();
        return new XFont(Family, size, bold ? XFontStyleEx.Bold : XFontStyleEx.Regular, new XPdfFontOptions(PdfFontEncoding.Unicode));
    }

    /// <summary>PDFsharp takes one resolver per process, set before its first font; setting the same type again is ignored.</summary>
    public static void Install()
    {
        if (GlobalFontSettings.FontResolver is not AnnouncementFonts)
        {
            GlobalFontSettings.FontResolver = new AnnouncementFonts();
        }
    }

    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) =>
        string.Equals(familyName, Family, StringComparison.OrdinalIgnoreCase) ? new FontResolverInfo(bold ? Bold : Regular) : null;

    public byte[]? GetFont(string faceName) => faceName switch
    {
        Regular => RegularFace.Value,
        Bold => BoldFace.Value,
        _ => null,
    };

    private static byte[] Load(string face)
    {
        using var stream = typeof(AnnouncementFonts).Assembly.GetManifestResourceStream($"Merit.Recruitment.Announcements.Fonts.{face}.ttf")
            ?? throw new InvalidOperationException($"The font {face} is not embedded in the Host.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
