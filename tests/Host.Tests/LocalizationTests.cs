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

    [Theory]
    [InlineData(null, null, null, null, "id")]
    [InlineData(null, null, null, "C.UTF-8", "id")]
    [InlineData(null, null, null, "en_US.UTF-8", "en")]
    [InlineData(null, null, "id_ID.UTF-8", "en_GB.UTF-8", "id")]
    [InlineData(null, "en_AU.UTF-8", "id_ID.UTF-8", "id_ID.UTF-8", "en")]
    [InlineData("id", "en_US.UTF-8", null, "en_US.UTF-8", "id")]
    [InlineData("en", null, null, null, "en")]
    public void The_command_line_takes_lang_else_the_locale_in_POSIX_order(string? flag, string? all, string? messages, string? lang, string expected)
    {
        var environment = new Dictionary<string, string?> { ["LC_ALL"] = all, ["LC_MESSAGES"] = messages, ["LANG"] = lang };
        Assert.Equal(expected, Languages.ForCommandLine(flag, environment.GetValueOrDefault)!.Language);
    }

    [Fact]
    public void The_lang_flag_is_taken_out_of_the_arguments_wherever_it_stands_and_an_unknown_language_is_refused()
    {
        Assert.Equal(["rounds", "list"], Languages.WithoutFlag(["--lang", "en", "rounds", "list"], out var first));
        Assert.Equal("en", first);
        Assert.Equal(["announce", "print"], Languages.WithoutFlag(["announce", "print", "--lang", "id"], out var last));
        Assert.Equal("id", last);
        Assert.Equal(["rounds"], Languages.WithoutFlag(["rounds", "--lang"], out var empty));
        Assert.Equal("", empty);
        Assert.Null(Languages.ForCommandLine("fr", _ => null));
        Assert.Null(Languages.ForCommandLine("", _ => "en_US.UTF-8"));
    }

    private static List<string> Placeholders(string text) =>
        System.Text.RegularExpressions.Regex.Matches(text, @"\{\d+\}").Select(m => m.Value).Order(StringComparer.Ordinal).ToList();
}
