using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Merit.Audit;

/// <summary>
/// JSON canonicalization in the manner of RFC 8785 (JCS), so that a hash over JSON does not depend on how the JSON
/// was written: PostgreSQL <c>jsonb</c> reorders keys and drops white space, and serializers differ in escaping.
/// Object members are sorted by their names' UTF-16 code units, no white space is written, strings use the RFC 8785
/// escapes (only <c>"</c>, <c>\</c> and control characters; everything else literal UTF-8), and numbers take the
/// ECMAScript layout RFC 8785 prescribes — computed over the number's exact decimal digits rather than a binary
/// double, so a decimal score or a 64-bit identifier is never rounded. For every number a double represents exactly
/// in its shortest form (3.5, 100, 0.1) the output is byte for byte what RFC 8785 gives.
/// </summary>
public static class CanonicalJson
{
    private const int MaxExponent = 100_000;

    private static readonly JsonDocumentOptions ParseOptions = new()
    {
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        MaxDepth = 256,
    };

    /// <summary>The canonical form of a JSON text. Throws <see cref="FormatException"/> for duplicate member names.</summary>
    public static string Canonicalize(string json)
    {
        using var document = JsonDocument.Parse(json, ParseOptions);
        var output = new StringBuilder(json.Length);
        Write(document.RootElement, output);
        return output.ToString();
    }

    /// <summary>The canonical form of UTF-8 JSON.</summary>
    public static string Canonicalize(ReadOnlyMemory<byte> utf8Json)
    {
        using var document = JsonDocument.Parse(utf8Json, ParseOptions);
        var output = new StringBuilder(utf8Json.Length);
        Write(document.RootElement, output);
        return output.ToString();
    }

    /// <summary>Writes the canonical form of a parsed element.</summary>
    public static void Write(JsonElement element, StringBuilder output)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var members = new List<JsonProperty>();
                foreach (var member in element.EnumerateObject())
                {
                    members.Add(member);
                }

                members.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
                output.Append('{');
                for (var i = 0; i < members.Count; i++)
                {
                    if (i > 0)
                    {
                        if (string.Equals(members[i - 1].Name, members[i].Name, StringComparison.Ordinal))
                        {
                            throw new FormatException($"Duplicate member name '{members[i].Name}': JSON with duplicate names has no canonical form.");
                        }

                        output.Append(',');
                    }

                    WriteString(members[i].Name, output);
                    output.Append(':');
                    Write(members[i].Value, output);
                }

                output.Append('}');
                break;
            case JsonValueKind.Array:
                output.Append('[');
                var first = true;
                foreach (var item in element.EnumerateArray())
                {
                    if (!first)
                    {
                        output.Append(',');
                    }

                    first = false;
                    Write(item, output);
                }

                output.Append(']');
                break;
            case JsonValueKind.String:
                WriteString(element.GetString()!, output);
                break;
            case JsonValueKind.Number:
                output.Append(NormalizeNumber(element.GetRawText()));
                break;
            case JsonValueKind.True:
                output.Append("true");
                break;
            case JsonValueKind.False:
                output.Append("false");
                break;
            case JsonValueKind.Null:
                output.Append("null");
                break;
            default:
                throw new FormatException($"Unexpected JSON value kind {element.ValueKind}.");
        }
    }

    /// <summary>Writes a string literal with the escapes of RFC 8785 §3.2.2.2.</summary>
    public static void WriteString(string value, StringBuilder output)
    {
        output.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': output.Append("\\\""); break;
                case '\\': output.Append("\\\\"); break;
                case '\b': output.Append("\\b"); break;
                case '\f': output.Append("\\f"); break;
                case '\n': output.Append("\\n"); break;
                case '\r': output.Append("\\r"); break;
                case '\t': output.Append("\\t"); break;
                default:
                    if (c < 0x20)
                    {
                        output.Append("\\u00").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        output.Append(c);
                    }

                    break;
            }
        }

        output.Append('"');
    }

    /// <summary>
    /// The canonical text of a JSON number: its exact value in ECMAScript's Number-to-String layout (plain notation
    /// for 1e-7 ≤ |x| &lt; 1e21, otherwise <c>d.ddde+N</c>), no leading or trailing zeros, no "-0".
    /// </summary>
    public static string NormalizeNumber(string raw)
    {
        var span = raw.AsSpan();
        var negative = false;
        var i = 0;
        if (i < span.Length && span[i] == '-')
        {
            negative = true;
            i++;
        }

        var digits = new StringBuilder(span.Length);
        var fractionDigits = 0;
        var sawDigit = false;
        while (i < span.Length && char.IsAsciiDigit(span[i]))
        {
            digits.Append(span[i++]);
            sawDigit = true;
        }

        if (i < span.Length && span[i] == '.')
        {
            i++;
            while (i < span.Length && char.IsAsciiDigit(span[i]))
            {
                digits.Append(span[i++]);
                fractionDigits++;
            }
        }

        long exponent = 0;
        if (i < span.Length && (span[i] == 'e' || span[i] == 'E'))
        {
            i++;
            var exponentNegative = false;
            if (i < span.Length && (span[i] == '+' || span[i] == '-'))
            {
                exponentNegative = span[i] == '-';
                i++;
            }

            var exponentStart = i;
            while (i < span.Length && char.IsAsciiDigit(span[i]))
            {
                exponent = (exponent * 10) + (span[i++] - '0');
                if (exponent > MaxExponent)
                {
                    throw new FormatException("JSON number exponent out of range.");
                }
            }

            if (i == exponentStart)
            {
                throw new FormatException($"Not a JSON number: {raw}");
            }

            exponent = exponentNegative ? -exponent : exponent;
        }

        if (!sawDigit || i != span.Length)
        {
            throw new FormatException($"Not a JSON number: {raw}");
        }

        // value = digits × 10^(exponent − fractionDigits); strip the zeros that carry no information.
        var text = digits.ToString().TrimStart('0');
        var trimmed = text.TrimEnd('0');
        if (trimmed.Length == 0)
        {
            return "0";
        }

        var scale = exponent - fractionDigits + (text.Length - trimmed.Length);
        var k = trimmed.Length;
        var n = k + scale; // value = 0.<trimmed> × 10^n, as ECMAScript's Number::toString states it
        var result = new StringBuilder(k + 24);
        if (negative)
        {
            result.Append('-');
        }

        if (k <= n && n <= 21)
        {
            result.Append(trimmed).Append('0', (int)(n - k));
        }
        else if (0 < n && n <= 21)
        {
            result.Append(trimmed, 0, (int)n).Append('.').Append(trimmed, (int)n, k - (int)n);
        }
        else if (-6 < n && n <= 0)
        {
            result.Append("0.").Append('0', (int)-n).Append(trimmed);
        }
        else
        {
            result.Append(trimmed[0]);
            if (k > 1)
            {
                result.Append('.').Append(trimmed, 1, k - 1);
            }

            result.Append('e').Append(n - 1 >= 0 ? '+' : '-').Append(Math.Abs(n - 1).ToString(CultureInfo.InvariantCulture));
        }

        return result.ToString();
    }
}
