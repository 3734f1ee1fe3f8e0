using System.Collections.Frozen;
using System.Text.Json;
using Merit.Deciding;

namespace Merit.Localization;

/// <summary>
/// The sentences of refusals and validation failures in Bahasa Indonesia, keyed by their English template
/// (gettext-style: msgid → msgstr) in IndonesianSentences.json; English is the template itself. A test keeps every
/// template of the source in the catalogue, with the same holes, and no entry without its template (docs/adr/0050).
/// </summary>
public static class Sentences
{
    public const string ResourceName = "Merit.Localization.IndonesianSentences.json";

    /// <summary>English template → Indonesian template.</summary>
    public static FrozenDictionary<string, string> Indonesian { get; } = Load();

    /// <summary>The sentence in this language; English, or the English template where Indonesian lacks it.</summary>
    public static string Say(this Texts texts, Wording wording)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(wording);
        return wording.Say(texts.Translation);
    }

    /// <summary>The interpolated sentence in this language: <c>texts.Say($"… {x} …")</c>.</summary>
    public static string Say(this Texts texts, RefusalText text) => texts.Say(text.ToWording());

    /// <summary>A refusal's sentence in this language.</summary>
    public static string Say(this Texts texts, Refusal refusal)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        return texts.Say(refusal.Text);
    }

    /// <summary>The translation of an English template into this language; null where it stays English.</summary>
    public static string? Translation(this Texts texts, string template)
    {
        ArgumentNullException.ThrowIfNull(texts);
        return ReferenceEquals(texts, Texts.Indonesian) ? Indonesian.GetValueOrDefault(template) : null;
    }

    private static FrozenDictionary<string, string> Load()
    {
        using var stream = typeof(Sentences).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The resource {ResourceName} is missing from the build.");
        return (JsonSerializer.Deserialize<Dictionary<string, string>>(stream) ?? []).ToFrozenDictionary(StringComparer.Ordinal);
    }
}
