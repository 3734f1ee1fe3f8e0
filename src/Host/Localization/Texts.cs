using System.Collections.Frozen;
using System.Globalization;
using System.Resources;

namespace Merit.Localization;

/// <summary>
/// Merit's texts in one language, from one resource file per language: Bahasa Indonesia is the neutral language
/// (Texts.resx), English is Texts.en.resx. Keys are stable codes; a key missing from a file reads as the key
/// itself, and a test keeps both files' keys the same.
/// </summary>
public sealed class Texts
{
    private static readonly ResourceManager Resources = new("Merit.Localization.Texts", typeof(Texts).Assembly);

    // The file read once: the resource manager takes a lock on every look-up, and a printed announcement looks up
    // its notes and formation lines thousands of times, from several writers at once.
    private readonly Lazy<FrozenDictionary<string, string>> entries;

    private Texts(CultureInfo culture)
    {
        Culture = culture;
        entries = new(() => Read(culture));
    }

    /// <summary>Bahasa Indonesia: the default.</summary>
    public static Texts Indonesian { get; } = new(CultureInfo.GetCultureInfo("id"));

    public static Texts English { get; } = new(CultureInfo.GetCultureInfo("en"));

    public static IReadOnlyList<Texts> All { get; } = [Indonesian, English];

    /// <summary>The texts of the current UI culture (set per request from Accept-Language): English for any English culture, Indonesian otherwise.</summary>
    public static Texts Current => For(CultureInfo.CurrentUICulture);

    public CultureInfo Culture { get; }

    /// <summary>The two-letter code: <c>id</c> or <c>en</c>.</summary>
    public string Language => Culture.TwoLetterISOLanguageName;

    public string this[string key] => Find(key) ?? key;

    public static Texts For(CultureInfo culture)
    {
        ArgumentNullException.ThrowIfNull(culture);
        return string.Equals(culture.TwoLetterISOLanguageName, "en", StringComparison.Ordinal) ? English : Indonesian;
    }

    /// <summary>By a language tag (<c>en</c>, <c>en-US</c>, <c>id</c>); Indonesian when absent or unknown.</summary>
    public static Texts For(string? language) =>
        language is not null && (language.Equals("en", StringComparison.OrdinalIgnoreCase) || language.StartsWith("en-", StringComparison.OrdinalIgnoreCase)) ? English : Indonesian;

    /// <summary>Whether <paramref name="language"/> names one of the two languages.</summary>
    public static bool IsKnown(string? language) =>
        language is not null && All.Any(t => language.Equals(t.Language, StringComparison.OrdinalIgnoreCase) || language.StartsWith(t.Language + "-", StringComparison.OrdinalIgnoreCase));

    /// <summary>The text of <paramref name="key"/> in this language only (no fall-back to the other file); null when absent.</summary>
    public string? Find(string key) => entries.Value.GetValueOrDefault(key);

    /// <summary>The text with its placeholders filled, numbers and dates formatted invariantly.</summary>
    public string Format(string key, params object?[] args) => string.Format(CultureInfo.InvariantCulture, this[key], args);

    /// <summary>A date as the language writes it in full, e.g. "14 September 2024"; month names from the resource files, not the platform.</summary>
    public string Date(DateOnly date) => string.Create(CultureInfo.InvariantCulture, $"{date.Day} {this["month." + date.Month.ToString(CultureInfo.InvariantCulture)]} {date.Year}");

    /// <summary>A number written in the invariant form (<c>85.123</c>) as the language writes it: a decimal comma in Indonesian.</summary>
    public string Number(string invariant)
    {
        ArgumentNullException.ThrowIfNull(invariant);
        return ReferenceEquals(this, Indonesian) ? invariant.Replace('.', ',') : invariant;
    }

    /// <summary>Every key of this language's own file.</summary>
    public IReadOnlySet<string> Keys() => entries.Value.Keys.ToHashSet(StringComparer.Ordinal);

    private static FrozenDictionary<string, string> Read(CultureInfo culture)
    {
        var entries = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Resources.GetResourceSet(culture, createIfNotExists: true, tryParents: false) is { } set)
        {
            foreach (System.Collections.DictionaryEntry entry in set)
            {
                if (entry.Value is string text)
                {
                    entries[(string)entry.Key] = text;
                }
            }
        }

        return entries.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
