using Merit.Localization;
using Xunit;

namespace Merit.Tests;

/// <summary>One resource file per language (src/Host/Localization): the same keys in both, none empty, placeholders alike.</summary>
public class LocalizationTests
{
    [Fact]
    public void Every_key_exists_in_both_languages_with_the_same_placeholders()
    {
        var indonesian = Texts.Indonesian.Keys();
        var english = Texts.English.Keys();
        Assert.NotEmpty(indonesian);
        Assert.Equal(indonesian.Order(StringComparer.Ordinal), english.Order(StringComparer.Ordinal));
        foreach (var key in indonesian)
        {
            Assert.False(string.IsNullOrWhiteSpace(Texts.Indonesian.Find(key)), key);
            Assert.False(string.IsNullOrWhiteSpace(Texts.English.Find(key)), key);
            Assert.Equal(Placeholders(Texts.Indonesian.Find(key)!), Placeholders(Texts.English.Find(key)!));
        }
    }

    [Fact]
    public void Indonesian_is_the_default_and_English_is_chosen_by_its_tag()
    {
        Assert.Same(Texts.Indonesian, Texts.For((string?)null));
        Assert.Same(Texts.Indonesian, Texts.For("fr"));
        Assert.Same(Texts.English, Texts.For("en-GB"));
        Assert.Equal("PENGUMUMAN", Texts.Indonesian["announcement.heading"]);
        Assert.Equal("ANNOUNCEMENT", Texts.English["announcement.heading"]);
        Assert.Equal("14 September 2024", Texts.English.Date(new DateOnly(2024, 9, 14)));
        Assert.Equal("1 Agustus 2024", Texts.Indonesian.Date(new DateOnly(2024, 8, 1)));
    }

    private static List<string> Placeholders(string text) =>
        System.Text.RegularExpressions.Regex.Matches(text, @"\{\d+\}").Select(m => m.Value).Order(StringComparer.Ordinal).ToList();
}
