using System.Globalization;

namespace Merit.Audit;

/// <summary>
/// Checks the proofs an auditor is handed (docs/adr/0044, docs/audit-pack.md) with nothing but the signed seals:
/// an event's inclusion in a seal's tree, and a later seal's tree extending an earlier one's. Each check returns
/// null when the proof holds, else the reason. Whether the seals' key is the one to trust is the caller's question.
/// </summary>
public static class ProofVerification
{
    /// <summary>
    /// The event, hashed onto <paramref name="previousHash"/>, is leaf <paramref name="leafIndex"/> of the tree
    /// <paramref name="seal"/> signed: its chain hash is <paramref name="hash"/>, and the audit path leads from it to
    /// the seal's tree root.
    /// </summary>
    public static string? CheckInclusion(SealStatement seal, string signature, ChainedEvent content, string? previousHash, string hash, long leafIndex, long treeSize, IReadOnlyList<string> path)
    {
        ArgumentNullException.ThrowIfNull(seal);
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(path);
        if (!seal.IsSignedBy(signature))
        {
            return "The seal's signature does not verify.";
        }

        if (treeSize != seal.TreeSize)
        {
            return "The proof is for a tree of another size than the seal's.";
        }

        // A tombstone of Marten's carries no hash of its own: its leaf is the hash of its (empty) content.
        var recomputed = EventChain.Link(previousHash, content);
        if (!string.Equals(recomputed, hash, StringComparison.Ordinal))
        {
            return "The event's content does not hash to its chain hash.";
        }

        var nodes = Nodes(path);
        if (nodes is null)
        {
            return "The audit path holds something else than SHA-256 hashes.";
        }

        if (!EventChain.IsHash(hash))
        {
            return "The event's chain hash is not a SHA-256 hash.";
        }

        var root = MerkleProof.RootFromInclusion(MerkleProof.LeafHash(Convert.FromHexString(hash)), leafIndex, treeSize, nodes);
        return root is not null && string.Equals(Convert.ToHexStringLower(root), seal.TreeRoot, StringComparison.Ordinal)
            ? null
            : "The audit path does not lead from the event to the seal's tree root.";
    }

    /// <summary>The tree <paramref name="second"/> signed extends the one <paramref name="first"/> signed.</summary>
    public static string? CheckConsistency(SealStatement first, string firstSignature, SealStatement second, string secondSignature, IReadOnlyList<string> proof)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        ArgumentNullException.ThrowIfNull(proof);
        if (!first.IsSignedBy(firstSignature) || !second.IsSignedBy(secondSignature))
        {
            return "A seal's signature does not verify.";
        }

        var nodes = Nodes(proof);
        if (nodes is null || !EventChain.IsHash(first.TreeRoot) || !EventChain.IsHash(second.TreeRoot))
        {
            return "The proof or a seal's tree root holds something else than SHA-256 hashes.";
        }

        return MerkleProof.VerifyConsistency(first.TreeSize, second.TreeSize, Convert.FromHexString(first.TreeRoot), Convert.FromHexString(second.TreeRoot), nodes)
            ? null
            : string.Create(CultureInfo.InvariantCulture, $"The tree of seal {second.Id} does not extend the tree of seal {first.Id}.");
    }

    private static List<byte[]>? Nodes(IReadOnlyList<string> hex) =>
        hex.All(EventChain.IsHash) ? hex.Select(Convert.FromHexString).ToList() : null;
}
