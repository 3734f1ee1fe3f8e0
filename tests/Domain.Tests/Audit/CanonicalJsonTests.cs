using Merit.Audit;
using Xunit;

namespace Merit.Tests.Audit;

/// <summary>RFC 8785-style canonicalization: what PostgreSQL jsonb gives back must canonicalize like what was written.</summary>
public class CanonicalJsonTests
{
    [Fact]
    public void Members_are_sorted_and_white_space_dropped()
    {
        Assert.Equal("[56,{\"1\":[],\"10\":null,\"d\":true}]", CanonicalJson.Canonicalize("[56, {\"d\": true, \"10\": null, \"1\": [ ]}]"));
    }

    [Fact]
    public void Members_sort_by_UTF16_code_units_as_RFC_8785_prescribes()
    {
        const string input = "{\"\\u20ac\":\"Euro Sign\",\"\\r\":\"Carriage Return\",\"\\ufb33\":\"Hebrew Letter Dalet With Dagesh\",\"1\":\"One\"," +
                             "\"\\ud83d\\ude00\":\"Emoji: Grinning Face\",\"\\u0080\":\"Control\",\"\\u00f6\":\"Latin Small Letter O With Diaeresis\"}";

        var canonical = CanonicalJson.Canonicalize(input);

        Assert.Equal(
            "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\",\"\u00f6\":\"Latin Small Letter O With Diaeresis\"," +
            "\"\u20ac\":\"Euro Sign\",\"\U0001F600\":\"Emoji: Grinning Face\",\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}",
            canonical);
    }

    [Fact]
    public void Strings_escape_only_quote_backslash_and_control_characters()
    {
        Assert.Equal("\"a\\\"b\\\\c\\n\\t\\u001f/é<+>\"", CanonicalJson.Canonicalize("\"a\\\"b\\\\c\\n\\t\\u001F\\/\\u00e9\\u003C\\u002B>\""));
    }

    [Theory]
    [InlineData("0", "0")]
    [InlineData("-0", "0")]
    [InlineData("0.0", "0")]
    [InlineData("1.0", "1")]
    [InlineData("3.50", "3.5")]
    [InlineData("1e2", "100")]
    [InlineData("1E+2", "100")]
    [InlineData("-12.340e1", "-123.4")]
    [InlineData("0.000001", "0.000001")]
    [InlineData("1e-7", "1e-7")]
    [InlineData("123e-10", "1.23e-8")]
    [InlineData("1e21", "1e+21")]
    [InlineData("999999999999999999999", "999999999999999999999")]
    [InlineData("9007199254740993", "9007199254740993")] // 2^53 + 1: kept exact, not rounded through a double
    [InlineData("0.1000000000000000055511151231257827", "0.1000000000000000055511151231257827")]
    public void Numbers_take_one_canonical_form(string raw, string canonical)
    {
        Assert.Equal(canonical, CanonicalJson.NormalizeNumber(raw));
    }

    [Fact]
    public void Json_as_written_and_as_jsonb_returns_it_canonicalize_alike()
    {
        // As System.Text.Json writes it (escaped non-ASCII, declared order) and as PostgreSQL jsonb returns it (keys by length then bytes, ", " and ": ").
        const string written = "{\"roundId\":\"0b5e\",\"name\":\"Jabat \\u00E9\",\"gpa\":3.50,\"stage\":\"Skd\",\"scores\":[65,80,166]}";
        const string fromJsonb = "{\"gpa\": 3.50, \"name\": \"Jabat é\", \"stage\": \"Skd\", \"scores\": [65, 80, 166], \"roundId\": \"0b5e\"}";

        Assert.Equal(CanonicalJson.Canonicalize(written), CanonicalJson.Canonicalize(fromJsonb));
        Assert.Equal("{\"gpa\":3.5,\"name\":\"Jabat é\",\"roundId\":\"0b5e\",\"scores\":[65,80,166],\"stage\":\"Skd\"}", CanonicalJson.Canonicalize(written));
    }

    [Fact]
    public void Duplicate_member_names_have_no_canonical_form()
    {
        Assert.Throws<FormatException>(() => CanonicalJson.Canonicalize("{\"a\":1,\"a\":2}"));
    }
}
