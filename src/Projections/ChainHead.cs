using System.Globalization;
using JasperFx.Events;
using Merit.Audit;

namespace Merit.Projections;

/// <summary>
/// A write model's row carries the head of its stream's hash chain (docs/adr/0038): the hash of the stream's event at
/// the row's revision, in the Marten <c>headers</c> column of a document table that has one. The bulk writer and the
/// stream-ordered rebuild write it with each document, so the next bulk append to the stream reads it with the
/// document instead of looking the event up. Marten's own upsert writes its session's headers there, which name no
/// head: a head is only taken for the revision it was written with, and anything else falls back to the event.
/// </summary>
public static class ChainHead
{
    /// <summary>The <c>headers</c> value of a row at <paramref name="version"/> whose event there hashes to <paramref name="hash"/>.</summary>
    public static string Json(string hash, long version)
    {
        ArgumentNullException.ThrowIfNull(hash);
        // Hex digits and a number: nothing to escape.
        return $"{{\"hash\":\"{hash}\",\"version\":{version.ToString(CultureInfo.InvariantCulture)}}}";
    }

    /// <summary>A document table row's head hash, where it is for the row's revision; null otherwise.</summary>
    public const string Sql = "case when (headers ->> 'version')::bigint = mt_version then headers ->> 'hash' end";

    /// <summary>The hash an event carries on its chain; null for an event stored without one.</summary>
    public static string? HashOf(IEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return e.Headers is { } headers && headers.TryGetValue(EventChain.HashHeader, out var hash) && hash is not null
            ? Convert.ToString(hash, CultureInfo.InvariantCulture)
            : null;
    }
}
