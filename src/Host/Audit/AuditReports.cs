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
    /// <summary>
    /// The stream's row in mt_streams disagrees with its events, which are intact on their chain: its version is not
    /// the last event's, it is marked archived without a chained archiving event, or it is missing.
    /// </summary>
    StreamTableMismatch,
    /// <summary>Events marked archived (so dropped by reads and rebuilds) in a stream whose chain records no archiving event.</summary>
    ArchivedOutsideChain,
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
/// <param name="Anchor">The store compared with the seals anchored outside the database; null for one stream's check.</param>
/// <param name="MissingSequences">Sequence numbers drawn but holding no event: deleted events, or saves that never completed.</param>
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
    IReadOnlyList<SealCheck> FailedSeals,
    AnchorReport? Anchor,
    long MissingSequences);

/// <summary>The first event where the store differs from the leaves of the anchored seals.</summary>
/// <param name="Kind"><c>Changed</c> (its chain hash recomputed now differs from the sealed one), <c>Deleted</c> (sealed, no longer stored) or <c>Inserted</c> (stored inside a sealed range, never sealed).</param>
public sealed record AnchoredDifference(long Sequence, Guid StreamId, long Version, string Kind, string Detail);

/// <summary>
/// The store against the newest seal anchored outside the database (docs/adr/0044): the anchored seal chain itself,
/// the store's seal chain beside it, the events against the anchored leaves, and what lies after the newest anchored seal.
/// </summary>
/// <param name="Location">Where the anchored seals are (Merit:Audit:AnchorDirectory).</param>
/// <param name="Problems">Each failure with its reason: a damaged anchor, a shorter, forked or missing seal chain in the store, events that differ.</param>
/// <param name="DifferingEvents">Events that differ from the anchored leaves (changed, deleted or inserted).</param>
/// <param name="UnsealedEvents">Events (Marten's tombstones included) after the newest anchored seal: covered by their chains only.</param>
/// <param name="StoredSealsNotAnchored">Seals in the store beyond the newest anchored one (anchored at the next sealing).</param>
public sealed record AnchorReport(
    string Location,
    bool Intact,
    long AnchoredSeals,
    long? NewestAnchoredSeal,
    long? AnchoredThroughSequence,
    IReadOnlyList<string> Problems,
    long DifferingEvents,
    AnchoredDifference? FirstDifference,
    long UnsealedEvents,
    long? UnsealedFromSequence,
    long? UnsealedToSequence,
    IReadOnlyList<long> StoredSealsNotAnchored);

/// <summary>Progress of a long verification, reported after every batch.</summary>
public sealed record AuditProgress(string Phase, long Events, long Streams);
