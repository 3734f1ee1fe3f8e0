using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Merit.Audit;

/// <summary>
/// What the hash chain covers of one stored event: everything that says what was decided, about which case, in
/// which order, when and by whom. The rule-set version of a decision is part of its data.
/// </summary>
/// <param name="EventType">The stored event type name (Marten's alias, the <c>type</c> column).</param>
/// <param name="StreamId">The stream's id as stored (a GUID in its "D" form, lower case).</param>
/// <param name="Version">The event's version within its stream, from 1.</param>
/// <param name="Timestamp">When it was recorded; hashed at microsecond precision, the precision PostgreSQL keeps.</param>
/// <param name="DataJson">The event data as JSON, in any formatting: it is canonicalized before hashing.</param>
/// <param name="UserName">The acting committee member.</param>
/// <param name="CorrelationId">The request that recorded it.</param>
/// <param name="CausationId">What caused it, when known.</param>
public sealed record ChainedEvent(
    string EventType,
    string StreamId,
    long Version,
    DateTimeOffset Timestamp,
    string DataJson,
    string? UserName,
    string? CorrelationId,
    string? CausationId);

/// <summary>
/// The per-stream hash chain: each event's hash is SHA-256 over a canonical JSON envelope holding the previous event's
/// hash (null for version 1) and the event's content. Pure, so the append path, a bulk import and the verifier all
/// compute it identically (docs/adr/0007).
/// </summary>
public static class EventChain
{
    /// <summary>Names the envelope's layout; a future change of what is hashed gets a new scheme.</summary>
    public const string Scheme = "merit-chain/1";

    /// <summary>The hash of <paramref name="content"/> linked to <paramref name="previousHash"/>, as 64 lower-case hex digits.</summary>
    public static string Link(string? previousHash, ChainedEvent content) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Envelope(previousHash, content))));

    /// <summary>
    /// The canonical JSON that is hashed. Members in RFC 8785 order:
    /// causation, correlation, data, prev, scheme, stream, timestamp, type, user, version.
    /// </summary>
    public static string Envelope(string? previousHash, ChainedEvent content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var data = CanonicalJson.Canonicalize(content.DataJson);
        var output = new StringBuilder(data.Length + 320);
        output.Append("{\"causation\":");
        StringOrNull(content.CausationId, output);
        output.Append(",\"correlation\":");
        StringOrNull(content.CorrelationId, output);
        output.Append(",\"data\":").Append(data);
        output.Append(",\"prev\":");
        StringOrNull(previousHash, output);
        output.Append(",\"scheme\":");
        CanonicalJson.WriteString(Scheme, output);
        output.Append(",\"stream\":");
        CanonicalJson.WriteString(content.StreamId, output);
        output.Append(",\"timestamp\":");
        CanonicalJson.WriteString(FormatTimestamp(content.Timestamp), output);
        output.Append(",\"type\":");
        CanonicalJson.WriteString(content.EventType, output);
        output.Append(",\"user\":");
        StringOrNull(content.UserName, output);
        output.Append(",\"version\":").Append(content.Version.ToString(CultureInfo.InvariantCulture));
        output.Append('}');
        return output.ToString();
    }

    /// <summary>A timestamp as PostgreSQL stores it: UTC, truncated to whole microseconds.</summary>
    public static DateTimeOffset ToStoredPrecision(DateTimeOffset timestamp)
    {
        var utc = timestamp.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - (utc.Ticks % 10), TimeSpan.Zero);
    }

    /// <summary>The timestamp's canonical text, e.g. <c>2024-09-02T03:04:05.123456Z</c>.</summary>
    public static string FormatTimestamp(DateTimeOffset timestamp) =>
        ToStoredPrecision(timestamp).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>A stream id's canonical text.</summary>
    public static string FormatStreamId(Guid streamId) => streamId.ToString("D", CultureInfo.InvariantCulture);

    /// <summary>True when <paramref name="value"/> has the shape of a chain hash.</summary>
    public static bool IsHash(string? value) =>
        value is { Length: 64 } && value.All(static c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');

    private static void StringOrNull(string? value, StringBuilder output)
    {
        if (value is null)
        {
            output.Append("null");
        }
        else
        {
            CanonicalJson.WriteString(value, output);
        }
    }
}
