namespace Merit.Audit;

/// <summary>
/// The RFC 6962 subtree hash of one aligned run of <see cref="Size"/> leaves of the whole tree: chunk n holds leaves
/// [(n−1)·Size, n·Size), the events after chunk n−1's <see cref="LastSequence"/> up to its own. Such a run is one node
/// of every tree at least as large, so a proof takes its hash instead of hashing its leaves again (docs/adr/0044). The
/// sealing keeps each chunk as it passes it.
/// Not signed, and not trusted: a proof built from these is checked against the seal's signed root before it is given
/// out, and built from the events themselves when it does not lead there.
/// </summary>
public sealed class AuditTreeChunk
{
    /// <summary>Leaves per chunk: a proof reads at most this many leaves, and one hash for every chunk below the seal.</summary>
    public const int Size = 4096;

    /// <summary>The chunk's number, from 1 (a numeric identity of 0 is one Marten would assign): its leaves are [(n−1)·Size, n·Size).</summary>
    public long Id { get; set; }

    public long LastSequence { get; set; }

    /// <summary>The subtree hash of the chunk's leaves (hex).</summary>
    public string Hash { get; set; } = "";
}
