using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace Merit.Deciding;

/// <summary>
/// A sentence that can be said in more than one language: its English template, holes numbered <c>{0}</c>,
/// <c>{1}</c>… in the composite-format syntax, and each hole's value, already formatted with the invariant culture
/// or itself a <see cref="Wording"/> (said in the same language). The template is the key of its translations
/// (gettext-style), so a decision only ever writes English; the host picks the language (docs/adr/0050).
/// </summary>
public sealed class Wording : IEquatable<Wording>
{
    private readonly object[] arguments;

    internal Wording(string template, object[] arguments)
    {
        Template = template;
        this.arguments = arguments;
    }

    /// <summary>The English template: literal braces doubled, holes numbered in order of appearance.</summary>
    public string Template { get; }

    /// <summary>The holes' values in order: a <see cref="string"/> or a nested <see cref="Wording"/>.</summary>
    public IReadOnlyList<object> Arguments => arguments;

    /// <summary>The English sentence.</summary>
    public string English => Say(template => template);

    /// <summary>
    /// A sentence whose text is fixed: literal braces are doubled so that the template formats back to it.
    /// </summary>
    public static Wording Literal(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new(text.Replace("{", "{{", StringComparison.Ordinal).Replace("}", "}}", StringComparison.Ordinal), []);
    }

    /// <summary>The sentence an interpolated string writes: <c>Wording.Of($"… {x} …")</c>.</summary>
    public static Wording Of(RefusalText text) => text.ToWording();

    /// <summary>Sentences one after another, <paramref name="separator"/> between them; each is said in the reader's language.</summary>
    public static Wording Join(string separator, IEnumerable<Wording> parts)
    {
        ArgumentNullException.ThrowIfNull(separator);
        ArgumentNullException.ThrowIfNull(parts);
        var list = parts.ToArray<object>();
        var between = separator.Replace("{", "{{", StringComparison.Ordinal).Replace("}", "}}", StringComparison.Ordinal);
        return new(string.Join(between, list.Select((_, i) => "{" + i.ToString(CultureInfo.InvariantCulture) + "}")), list);
    }

    /// <summary>
    /// The sentence in the language of <paramref name="translate"/>, which maps an English template to its
    /// translation (null: keep the English); nested sentences are said in the same language.
    /// </summary>
    public string Say(Func<string, string?> translate)
    {
        ArgumentNullException.ThrowIfNull(translate);
        var values = arguments.Select(a => a is Wording nested ? nested.Say(translate) : a).ToArray();
        return string.Format(CultureInfo.InvariantCulture, translate(Template) ?? Template, values);
    }

    public override string ToString() => English;

    public bool Equals(Wording? other) =>
        other is not null && Template == other.Template && arguments.SequenceEqual(other.arguments);

    public override bool Equals(object? obj) => Equals(obj as Wording);

    public override int GetHashCode() => HashCode.Combine(Template, arguments.Length);
}

/// <summary>
/// The message of a <see cref="Refusal"/>: an interpolated string is recorded as a <see cref="Wording"/> (its
/// English template and its holes' values, invariantly formatted) instead of being flattened into one string, so
/// the host can say it in the reader's language. A plain string converts implicitly, so call sites stay as they are.
/// </summary>
[InterpolatedStringHandler]
public ref struct RefusalText
{
    private readonly StringBuilder template;
    private readonly List<object> arguments;
    private Wording? literal;

    public RefusalText(int literalLength, int formattedCount)
    {
        template = new StringBuilder(literalLength + (formattedCount * 4));
        arguments = new List<object>(formattedCount);
        literal = null;
    }

    private RefusalText(Wording wording)
    {
        template = new StringBuilder();
        arguments = [];
        literal = wording;
    }

    public static implicit operator RefusalText(string text) => new(Wording.Literal(text));

    public static implicit operator RefusalText(Wording wording) => new(wording);

    public readonly void AppendLiteral(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        template.Append(value.Replace("{", "{{", StringComparison.Ordinal).Replace("}", "}}", StringComparison.Ordinal));
    }

    public readonly void AppendFormatted<T>(T value) => AppendFormatted(value, 0, null);

    public readonly void AppendFormatted<T>(T value, string? format) => AppendFormatted(value, 0, format);

    public readonly void AppendFormatted<T>(T value, int alignment) => AppendFormatted(value, alignment, null);

    public readonly void AppendFormatted<T>(T value, int alignment, string? format)
    {
        template.Append('{').Append(arguments.Count.ToString(CultureInfo.InvariantCulture)).Append('}');
        if (value is Wording wording && alignment == 0 && format is null)
        {
            arguments.Add(wording);
            return;
        }

        // The hole's value is fixed here, as the English sentence shows it: numbers and dates stay invariant in every language.
        var spec = (alignment == 0 ? "" : "," + alignment.ToString(CultureInfo.InvariantCulture)) + (format is null ? "" : ":" + format);
        arguments.Add(string.Format(CultureInfo.InvariantCulture, "{0" + spec + "}", value));
    }

    public readonly void AppendFormatted(ReadOnlySpan<char> value) => AppendFormatted(value.ToString(), 0, null);

    public readonly void AppendFormatted(string? value) => AppendFormatted(value ?? "", 0, null);

    /// <summary>The recorded sentence.</summary>
    public readonly Wording ToWording() => literal ?? new Wording(template.ToString(), [.. arguments]);
}
