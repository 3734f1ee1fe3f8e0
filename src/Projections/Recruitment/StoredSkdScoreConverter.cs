using System.Text.Json;
using System.Text.Json.Serialization;
using Merit.Recruitment;

namespace Merit.Projections.Recruitment;

/// <summary>
/// Reads an <see cref="SkdScore"/> stored in either shape: by component code (<c>{"Components":{…},"Bonus":n}</c>, since
/// PPPK, docs/adr/0011) or the CPNS-only shape of earlier snapshots (<c>{"Twk":…,"Tiu":…,"Tkp":…}</c>), so a database
/// written before the change keeps loading without a rebuild. Writes the current shape, exactly as the default contract
/// does, so stored documents and hash-chained event data do not change.
/// </summary>
public sealed class StoredSkdScoreConverter : JsonConverter<SkdScore>
{
    public override SkdScore Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        if (Find(root, "Components") is { ValueKind: JsonValueKind.Object } components)
        {
            var scores = components.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32(), StringComparer.Ordinal);
            return new SkdScore(scores, Find(root, "Bonus") is { ValueKind: JsonValueKind.Number } bonus ? bonus.GetInt32() : 0);
        }

        if (Find(root, "Twk") is { } twk && Find(root, "Tiu") is { } tiu && Find(root, "Tkp") is { } tkp)
        {
            return new SkdScore(twk.GetInt32(), tiu.GetInt32(), tkp.GetInt32());
        }

        throw new JsonException("An SKD score needs Components (by component code) or the earlier Twk, Tiu and Tkp.");
    }

    public override void Write(Utf8JsonWriter writer, SkdScore value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WritePropertyName(Name("Components", options));
        writer.WriteStartObject();
        foreach (var (code, score) in value.Components)
        {
            writer.WriteNumber(code, score);
        }

        writer.WriteEndObject();
        writer.WriteNumber(Name("Bonus", options), value.Bonus);
        writer.WriteEndObject();
    }

    private static string Name(string property, JsonSerializerOptions options) =>
        options.PropertyNamingPolicy?.ConvertName(property) ?? property;

    private static JsonElement? Find(JsonElement root, string property) =>
        root.EnumerateObject().Where(p => string.Equals(p.Name, property, StringComparison.OrdinalIgnoreCase)).Select(p => (JsonElement?)p.Value).FirstOrDefault();
}
