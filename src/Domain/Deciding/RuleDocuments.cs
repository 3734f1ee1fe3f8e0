using System.Text.Json;
using System.Text.Json.Serialization;

namespace Merit.Deciding;

/// <summary>
/// The one reader of the rule documents Merit ships. Each context keeps its versioned rules as JSON files in a
/// <c>RuleSets</c> folder beside its code (embedded in this assembly); its catalogue names the folder, the file-name
/// prefix of one kind of document, and how a document is checked once read. A new version is a new file, never an edit.
/// </summary>
public static class RuleDocuments
{
    /// <summary>One JSON shape for every rule document: web naming, enums by name.</summary>
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>
    /// The text of each shipped document in <paramref name="context"/>'s <c>RuleSets</c> folder whose file name begins
    /// with <paramref name="prefix"/>, with its resource name, in name order.
    /// </summary>
    public static IEnumerable<(string Name, string Text)> Shipped(string context, string prefix = "")
    {
        var assembly = typeof(RuleDocuments).Assembly;
        var marker = $".{context}.RuleSets.{prefix}";
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.Contains(marker, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var reader = new StreamReader(assembly.GetManifestResourceStream(name)!);
            yield return (name, reader.ReadToEnd());
        }
    }

    /// <summary>A document as <typeparamref name="T"/>; <see cref="InvalidDataException"/> naming <paramref name="origin"/> when it is not one.</summary>
    public static T Read<T>(string json, string origin)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json, Json) ?? throw new InvalidDataException($"Rule document {origin} is empty.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Rule document {origin} is not a {typeof(T).Name} document: {e.Message}", e);
        }
    }

    /// <summary>Every shipped document of a kind, each read and checked by <paramref name="read"/>.</summary>
    public static IReadOnlyList<T> Load<T>(string context, string prefix, Func<string, string, T> read) =>
        Shipped(context, prefix).Select(d => read(d.Text, d.Name)).ToList();

    /// <summary>Every shipped document of a kind, read as <typeparamref name="T"/>.</summary>
    public static IReadOnlyList<T> Load<T>(string context, string prefix = "")
        where T : class =>
        Load(context, prefix, Read<T>);
}
