namespace Merit.Audit;

/// <summary>A run of consecutive leaves [<see cref="Start"/>, <see cref="End"/>) whose tree hash is one node of a proof.</summary>
public readonly record struct LeafRange(long Start, long End);

/// <summary>
/// Audit paths and consistency proofs of RFC 6962 §2.1.1–2.1.2, and their verification as RFC 9162 §2.1.3.2 and
/// §2.1.4.2 state it. A proof's nodes are the tree hashes of disjoint runs of leaves: <see cref="InclusionRanges"/>
/// and <see cref="ConsistencyRanges"/> name them, so a prover streams the leaves once (<see cref="RangeHasher"/>)
/// instead of holding the tree.
/// </summary>
public static class MerkleProof
{
    /// <summary>The runs whose hashes form PATH(index, D[0:size]), from the leaf's sibling up to the root's child.</summary>
    public static IReadOnlyList<LeafRange> InclusionRanges(long index, long size)
    {
        if (index < 0 || index >= size)
        {
            throw new ArgumentOutOfRangeException(nameof(index), "The leaf must lie inside the tree.");
        }

        var path = new List<LeafRange>();
        Path(index, 0, size, path);
        return path;
    }

    /// <summary>The runs whose hashes form PROOF(first, D[0:second]) — empty when the sizes are equal.</summary>
    public static IReadOnlyList<LeafRange> ConsistencyRanges(long first, long second)
    {
        if (first <= 0 || first > second)
        {
            throw new ArgumentOutOfRangeException(nameof(first), "A consistency proof needs 0 < first ≤ second.");
        }

        var proof = new List<LeafRange>();
        SubProof(first, 0, second, true, proof);
        return proof;
    }

    /// <summary>
    /// The root an audit path leads to from <paramref name="leafHash"/> (the leaf's hash, 0x00-prefixed), or null when
    /// the path's length does not fit the leaf's position in a tree of <paramref name="size"/> leaves.
    /// </summary>
    public static byte[]? RootFromInclusion(byte[] leafHash, long index, long size, IReadOnlyList<byte[]> path)
    {
        ArgumentNullException.ThrowIfNull(leafHash);
        ArgumentNullException.ThrowIfNull(path);
        if (index < 0 || index >= size)
        {
            return null;
        }

        var (fn, sn, r) = (index, size - 1, leafHash);
        foreach (var p in path)
        {
            if (sn == 0)
            {
                return null;
            }

            if ((fn & 1) == 1 || fn == sn)
            {
                r = MerkleTree.Node(p, r);
                while ((fn & 1) == 0 && fn != 0)
                {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
            else
            {
                r = MerkleTree.Node(r, p);
            }

            fn >>= 1;
            sn >>= 1;
        }

        return sn == 0 ? r : null;
    }

    /// <summary>True when <paramref name="proof"/> shows that the tree of <paramref name="second"/> leaves extends the one of <paramref name="first"/>.</summary>
    public static bool VerifyConsistency(long first, long second, byte[] firstRoot, byte[] secondRoot, IReadOnlyList<byte[]> proof)
    {
        ArgumentNullException.ThrowIfNull(firstRoot);
        ArgumentNullException.ThrowIfNull(secondRoot);
        ArgumentNullException.ThrowIfNull(proof);
        if (first <= 0 || first > second)
        {
            return false;
        }

        if (first == second)
        {
            return proof.Count == 0 && firstRoot.AsSpan().SequenceEqual(secondRoot);
        }

        var nodes = (first & (first - 1)) == 0 ? [firstRoot, .. proof] : proof.ToList();
        if (nodes.Count == 0)
        {
            return false;
        }

        var (fn, sn) = (first - 1, second - 1);
        while ((fn & 1) == 1)
        {
            fn >>= 1;
            sn >>= 1;
        }

        var (fr, sr) = (nodes[0], nodes[0]);
        foreach (var c in nodes.Skip(1))
        {
            if (sn == 0)
            {
                return false;
            }

            if ((fn & 1) == 1 || fn == sn)
            {
                fr = MerkleTree.Node(c, fr);
                sr = MerkleTree.Node(c, sr);
                while ((fn & 1) == 0 && fn != 0)
                {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
            else
            {
                sr = MerkleTree.Node(sr, c);
            }

            fn >>= 1;
            sn >>= 1;
        }

        return sn == 0 && fr.AsSpan().SequenceEqual(firstRoot) && sr.AsSpan().SequenceEqual(secondRoot);
    }

    /// <summary>The hash of a leaf as proofs use it.</summary>
    public static byte[] LeafHash(ReadOnlySpan<byte> leaf) => MerkleTree.LeafHash(leaf);

    private static void Path(long index, long start, long end, List<LeafRange> path)
    {
        var n = end - start;
        if (n <= 1)
        {
            return;
        }

        var k = LargestPowerOfTwoBelow(n);
        if (index < k)
        {
            Path(index, start, start + k, path);
            path.Add(new LeafRange(start + k, end));
        }
        else
        {
            Path(index - k, start + k, end, path);
            path.Add(new LeafRange(start, start + k));
        }
    }

    private static void SubProof(long m, long start, long end, bool complete, List<LeafRange> proof)
    {
        var n = end - start;
        if (m == n)
        {
            if (!complete)
            {
                proof.Add(new LeafRange(start, end));
            }

            return;
        }

        var k = LargestPowerOfTwoBelow(n);
        if (m <= k)
        {
            SubProof(m, start, start + k, complete, proof);
            proof.Add(new LeafRange(start + k, end));
        }
        else
        {
            SubProof(m - k, start + k, end, false, proof);
            proof.Add(new LeafRange(start, start + k));
        }
    }

    private static long LargestPowerOfTwoBelow(long n)
    {
        var k = 1L;
        while (k * 2 < n)
        {
            k *= 2;
        }

        return k;
    }
}

/// <summary>
/// Computes the tree hashes of disjoint runs of leaves while the leaves stream past once, in order: the nodes of a
/// proof over millions of events with one <see cref="MerkleTree"/> (O(log n) memory) alive at a time.
/// </summary>
public sealed class RangeHasher
{
    private readonly List<LeafRange> ranges;
    private readonly byte[]?[] hashes;
    private readonly List<int> order;
    private int current;
    private MerkleTree? tree;
    private long position;

    public RangeHasher(IReadOnlyList<LeafRange> wanted)
    {
        ArgumentNullException.ThrowIfNull(wanted);
        ranges = wanted.ToList();
        hashes = new byte[ranges.Count][];
        order = Enumerable.Range(0, ranges.Count).OrderBy(i => ranges[i].Start).ToList();
    }

    /// <summary>Leaves from this position on are no longer needed.</summary>
    public long End => ranges.Count == 0 ? 0 : ranges.Max(r => r.End);

    /// <summary>The next leaf (its content, not yet hashed), at position 0, 1, 2, …</summary>
    public void Append(ReadOnlySpan<byte> leaf)
    {
        while (current < order.Count && ranges[order[current]].End <= position)
        {
            current++;
        }

        if (current < order.Count && ranges[order[current]].Start <= position)
        {
            tree ??= new MerkleTree();
            tree.Append(leaf);
            if (position + 1 == ranges[order[current]].End)
            {
                hashes[order[current]] = tree.Root();
                tree = null;
                current++;
            }
        }

        position++;
    }

    /// <summary>The hashes in the order the runs were given; throws when the leaves ended before a run did.</summary>
    public IReadOnlyList<byte[]> Hashes() =>
        hashes.Select((h, i) => h ?? throw new InvalidOperationException($"Leaves ended at {position}, before the run [{ranges[i].Start}, {ranges[i].End}).")).ToList();
}
