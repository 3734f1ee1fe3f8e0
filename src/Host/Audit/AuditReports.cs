namespace Merit.Audit;

/// <summary>How a stream's chain is broken at its first broken link.</summary>
public enum BreakKind
{
    /// <summary>The event's type, data, timestamp or metadata no longer hash to its stored hash.</summary>
    ContentMismatch,
    /// <summary>A version is missing: an event was deleted (inside the stream or at its end).</summary>
    MissingVersion,
    /// <summary>The global sequence runs against the version order: events were reordered.</summary>
    Reordered,
    /// <summary>An event that did not come through the append path: no hash, or beyond the version its stream records.</summary>
    ForgedInsert,
    /// <summary>The event's stored previous hash is not the hash of the event before it.</summary>
    PreviousLinkMismatch,
}

/// <summary>The first broken link of one stream.</summary>
/// <param name="Sequence">The global sequence of the offending event; null when the event is missing.</param>
public sealed record BrokenLink(Guid StreamId, long Version, long? Sequence, BreakKind Kind, string Detail);

/// <summary>The check of one seal against the events it covers as they are stored now.</summary>
public sealed record SealCheck(
    long SealId,
    long FromSequence,
    long ToSequence,
    bool Intact,
    bool SignatureValid,
    bool SignedByTrustedKey,
    bool? MatchesStoredSeal,
    long CountSealed,
    long CountNow,
    string RootSealed,
    string RootNow,
    IReadOnlyList<string> Problems);

/// <summary>The outcome of a verification: "intact, N events, M streams, last seal S", or the first broken link of each broken stream and each failing seal.</summary>
/// <param name="Events">Decision events checked (Marten's sequence-gap tombstones not included).</param>
/// <param name="Streams">Decision streams checked.</param>
/// <param name="Tombstones">Marten's sequence-gap tombstones checked for their shape (they carry no decision and no hash).</param>
/// <param name="Broken">The first broken link of each broken stream (at most Merit:Audit:MaxReported of them).</param>
/// <param name="BrokenStreams">How many streams are broken, including those not listed.</param>
/// <param name="SealsChecked">How many stored seals were recomputed.</param>
/// <param name="FailedSeals">The seals that no longer match.</param>
public sealed record AuditReport(
    bool Intact,
    string Summary,
    long Events,
    long Streams,
    long Tombstones,
    long? LastSeal,
    long BrokenStreams,
    IReadOnlyList<BrokenLink> Broken,
    long SealsChecked,
    IReadOnlyList<SealCheck> FailedSeals);

/// <summary>Progress of a long verification, reported after every batch.</summary>
public sealed record AuditProgress(string Phase, long Events, long Streams);
