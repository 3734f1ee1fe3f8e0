using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Merit.Career;

/// <summary>
/// Pangkat, golongan/ruang: one of the 17 steps of the PNS rank ladder, from I/a (Juru Muda) to IV/e (Pembina
/// Utama) (brief 3.1). Written and stored as its code, e.g. <c>III/a</c>; ordered by <see cref="Step"/>.
/// </summary>
[JsonConverter(typeof(RankJsonConverter))]
public readonly record struct Rank : IComparable<Rank>
{
    private static readonly string[] Codes =
    [
        "I/a", "I/b", "I/c", "I/d",
        "II/a", "II/b", "II/c", "II/d",
        "III/a", "III/b", "III/c", "III/d",
        "IV/a", "IV/b", "IV/c", "IV/d", "IV/e",
    ];

    private static readonly string[] Titles =
    [
        "Juru Muda", "Juru Muda Tingkat I", "Juru", "Juru Tingkat I",
        "Pengatur Muda", "Pengatur Muda Tingkat I", "Pengatur", "Pengatur Tingkat I",
        "Penata Muda", "Penata Muda Tingkat I", "Penata", "Penata Tingkat I",
        "Pembina", "Pembina Tingkat I", "Pembina Utama Muda", "Pembina Utama Madya", "Pembina Utama",
    ];

    public const int Lowest = 1;

    public const int Highest = 17;

    private Rank(int step) => Step = step;

    /// <summary>1 (I/a) to 17 (IV/e).</summary>
    public int Step { get; }

    /// <summary>Golongan: 1 to 4 (I to IV).</summary>
    public int Golongan => Step switch { <= 4 => 1, <= 8 => 2, <= 12 => 3, _ => 4 };

    /// <summary>The code, e.g. <c>III/a</c>.</summary>
    public string Code => Codes[Step - 1];

    /// <summary>The name of the rank (nama pangkat), e.g. Penata Muda.</summary>
    public string Title => Titles[Step - 1];

    /// <summary>The rank above this one, or null at IV/e.</summary>
    public Rank? Next => Step < Highest ? new Rank(Step + 1) : null;

    public static IReadOnlyList<Rank> All { get; } = Enumerable.Range(Lowest, Highest).Select(s => new Rank(s)).ToArray();

    /// <exception cref="ArgumentOutOfRangeException">The step is outside 1..17.</exception>
    public static Rank OfStep(int step)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(step, Lowest);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(step, Highest);
        return new Rank(step);
    }

    public static bool TryParse([NotNullWhen(true)] string? code, out Rank rank)
    {
        var index = code is null ? -1 : Array.IndexOf(Codes, code.Trim());
        rank = index < 0 ? default : new Rank(index + 1);
        return index >= 0;
    }

    /// <exception cref="FormatException">Not one of the 17 codes.</exception>
    public static Rank Parse(string code) =>
        TryParse(code, out var rank) ? rank : throw new FormatException($"'{code}' is not a rank code (I/a … IV/e).");

    public static string CodeList => string.Join(", ", Codes);

    public int CompareTo(Rank other) => Step.CompareTo(other.Step);

    public static bool operator <(Rank left, Rank right) => left.Step < right.Step;

    public static bool operator >(Rank left, Rank right) => left.Step > right.Step;

    public static bool operator <=(Rank left, Rank right) => left.Step <= right.Step;

    public static bool operator >=(Rank left, Rank right) => left.Step >= right.Step;

    public override string ToString() => Step == 0 ? "?" : Code;
}

/// <summary>Writes a rank as its code (<c>"III/a"</c>), in events, documents, rule sets and responses alike.</summary>
public sealed class RankJsonConverter : JsonConverter<Rank>
{
    public override Rank Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        Rank.TryParse(reader.GetString(), out var rank) ? rank : throw new JsonException($"Not a rank code; expected one of {Rank.CodeList}.");

    public override void Write(Utf8JsonWriter writer, Rank value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.Code);
    }

    public override Rank ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        Read(ref reader, typeToConvert, options);

    public override void WriteAsPropertyName(Utf8JsonWriter writer, Rank value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WritePropertyName(value.Code.ToString(CultureInfo.InvariantCulture));
    }
}
