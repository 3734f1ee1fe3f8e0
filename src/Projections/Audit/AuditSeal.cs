using System.Text.Json.Nodes;

namespace Merit.Audit;

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
