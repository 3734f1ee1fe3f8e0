using System.Text.Json.Nodes;

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

/// <summary>
/// A seal as exported for an auditor: the signed statement (docs/adr/0007) and its signature. Its JSON members are
/// exactly those the signature covers, so it verifies outside Merit with any RFC 8785 and ECDSA implementation.
/// </summary>
/// <param name="Format">Always <c>merit-seal/2</c>.</param>
/// <param name="Root">RFC 6962 Merkle root (SHA-256, hex) over the chain hashes of the events in the range, in sequence order.</param>
/// <param name="TreeSize">How many events lie at or below <paramref name="ToSequence"/>, from the first ever recorded.</param>
/// <param name="TreeRoot">RFC 6962 Merkle root over the chain hashes of all those events: the root proofs lead to.</param>
/// <param name="CreatedAt">UTC, microseconds, e.g. <c>2026-11-22T08:00:00.000000Z</c>.</param>
/// <param name="Algorithm">Always <c>ES256</c>: ECDSA P-256 with SHA-256.</param>
/// <param name="PublicKey">The signer's SubjectPublicKeyInfo (DER), base64.</param>
/// <param name="Signature">IEEE P1363 (r‖s) signature over the canonical JSON of every other member, base64.</param>
public sealed record ExportedSeal(
    string Format,
    long Id,
    long FromSequence,
    long ToSequence,
    long Count,
    string Root,
    string? PreviousRoot,
    long TreeSize,
    string TreeRoot,
    string CreatedAt,
    string Algorithm,
    string PublicKey,
    string Signature)
{
    public static ExportedSeal From(SealStatement statement, string signature)
    {
        ArgumentNullException.ThrowIfNull(statement);
        return new(SealStatement.Format, statement.Id, statement.FromSequence, statement.ToSequence, statement.Count, statement.Root,
            statement.PreviousRoot, statement.TreeSize, statement.TreeRoot, EventChain.FormatTimestamp(statement.CreatedAt), SealStatement.Algorithm, statement.PublicKey, signature);
    }

    /// <summary>The document as JSON with the member names the signature covers.</summary>
    public JsonObject ToJson() => new()
    {
        ["format"] = Format,
        ["id"] = Id,
        ["fromSequence"] = FromSequence,
        ["toSequence"] = ToSequence,
        ["count"] = Count,
        ["root"] = Root,
        ["previousRoot"] = PreviousRoot,
        ["treeSize"] = TreeSize,
        ["treeRoot"] = TreeRoot,
        ["createdAt"] = CreatedAt,
        ["algorithm"] = Algorithm,
        ["publicKey"] = PublicKey,
        ["signature"] = Signature,
    };
}

/// <summary>A seal as stored beside the events (a Marten document): the statement and its signature.</summary>
public sealed class AuditSeal
{
    public long Id { get; set; }

    public long FromSequence { get; set; }

    public long ToSequence { get; set; }

    public long Count { get; set; }

    public string Root { get; set; } = "";

    public string? PreviousRoot { get; set; }

    public long TreeSize { get; set; }

    public string TreeRoot { get; set; } = "";

    /// <summary>
    /// The whole tree's frontier after this seal (<see cref="MerkleTree.Frontier"/>, "size:hash"): the next seal goes on
    /// from it without hashing older events again. Not signed: a wrong frontier only makes the next tree root wrong,
    /// which sealing checks first.
    /// </summary>
    public List<string> Frontier { get; set; } = [];

    public DateTimeOffset CreatedAt { get; set; }

    public string PublicKey { get; set; } = "";

    public string Signature { get; set; } = "";

    public SealStatement ToStatement() => new(Id, FromSequence, ToSequence, Count, Root, PreviousRoot, TreeSize, TreeRoot, CreatedAt, PublicKey);

    public ExportedSeal Export() => ExportedSeal.From(ToStatement(), Signature);

    public static AuditSeal From(SealStatement statement, string signature)
    {
        ArgumentNullException.ThrowIfNull(statement);
        return new()
        {
            Id = statement.Id,
            FromSequence = statement.FromSequence,
            ToSequence = statement.ToSequence,
            Count = statement.Count,
            Root = statement.Root,
            PreviousRoot = statement.PreviousRoot,
            TreeSize = statement.TreeSize,
            TreeRoot = statement.TreeRoot,
            CreatedAt = statement.CreatedAt,
            PublicKey = statement.PublicKey,
            Signature = signature,
        };
    }
}
