using System.Security.Cryptography;

namespace Merit.Audit;

/// <summary>
/// The Merkle tree hash of RFC 6962 §2.1 (Certificate Transparency) over a sequence of leaves, computed as the leaves
/// arrive: only one node per level is held (O(log n) memory), so a seal over millions of events streams through them.
/// Leaves are prefixed with 0x00 and inner nodes with 0x01, so a leaf can never pass for a node.
/// </summary>
public sealed class MerkleTree
{
    // The roots of complete subtrees not yet merged, left to right, with strictly decreasing sizes (powers of two).
    private readonly List<(byte[] Hash, long Size)> pending = [];

    public MerkleTree()
    {
    }

    /// <summary>
    /// Continues a tree from its <see cref="Frontier"/>: a seal extends the tree of every event before it without
    /// hashing those events again.
    /// </summary>
    public MerkleTree(IEnumerable<(byte[] Hash, long Size)> frontier)
    {
        ArgumentNullException.ThrowIfNull(frontier);
        foreach (var (hash, size) in frontier)
        {
            if (size <= 0 || (size & (size - 1)) != 0 || (pending.Count > 0 && pending[^1].Size <= size) || hash.Length != 32)
            {
                throw new ArgumentException("A frontier is a list of complete subtrees of strictly decreasing power-of-two sizes.", nameof(frontier));
            }

            pending.Add((hash, size));
            Count += size;
        }
    }

    public long Count { get; private set; }

    /// <summary>The roots of the complete subtrees not yet merged, left to right: all it takes to go on appending.</summary>
    public IReadOnlyList<(byte[] Hash, long Size)> Frontier => pending.Select(p => (p.Hash.ToArray(), p.Size)).ToList();

    /// <summary>Adds the next leaf (for a seal: the event's 32-byte chain hash).</summary>
    public void Append(ReadOnlySpan<byte> leaf) => Merge(LeafHash(leaf), 1);

    /// <summary>
    /// Adds <paramref name="size"/> leaves at once by the hash of their complete subtree (a power of two of them): the
    /// same as appending them one by one, which is true only where the tree's size is a multiple of
    /// <paramref name="size"/> — there the leaves form one node of the tree, whatever is appended after.
    /// </summary>
    public void AppendSubtree(byte[] hash, long size)
    {
        ArgumentNullException.ThrowIfNull(hash);
        if (size <= 0 || (size & (size - 1)) != 0 || Count % size != 0 || hash.Length != 32)
        {
            throw new ArgumentException("A subtree is a power of two of leaves, appended where the tree's size is a multiple of it.", nameof(size));
        }

        Merge(hash, size);
    }

    private void Merge(byte[] hash, long size)
    {
        var node = (Hash: hash, Size: size);
        while (pending.Count > 0 && pending[^1].Size == node.Size)
        {
            var left = pending[^1];
            pending.RemoveAt(pending.Count - 1);
            node = (Node(left.Hash, node.Hash), left.Size * 2);
        }

        pending.Add(node);
        Count += size;
    }

    /// <summary>The tree hash of the leaves appended so far (SHA-256 of nothing for none).</summary>
    public byte[] Root()
    {
        if (pending.Count == 0)
        {
            return SHA256.HashData([]);
        }

        // RFC 6962 splits at the largest power of two below n: the right-most, smaller subtrees fold in first.
        var root = pending[^1].Hash;
        for (var i = pending.Count - 2; i >= 0; i--)
        {
            root = Node(pending[i].Hash, root);
        }

        return root;
    }

    /// <summary>The tree hash of <paramref name="leaves"/>.</summary>
    public static byte[] RootOf(IEnumerable<byte[]> leaves)
    {
        ArgumentNullException.ThrowIfNull(leaves);
        var tree = new MerkleTree();
        foreach (var leaf in leaves)
        {
            tree.Append(leaf);
        }

        return tree.Root();
    }

    /// <summary>The hash of a leaf: SHA-256(0x00 ‖ leaf).</summary>
    public static byte[] LeafHash(ReadOnlySpan<byte> leaf)
    {
        var data = new byte[leaf.Length + 1];
        data[0] = 0x00;
        leaf.CopyTo(data.AsSpan(1));
        return SHA256.HashData(data);
    }

    /// <summary>The hash of an inner node: SHA-256(0x01 ‖ left ‖ right).</summary>
    public static byte[] Node(byte[] left, byte[] right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        var data = new byte[1 + left.Length + right.Length];
        data[0] = 0x01;
        left.CopyTo(data, 1);
        right.CopyTo(data, 1 + left.Length);
        return SHA256.HashData(data);
    }
}
