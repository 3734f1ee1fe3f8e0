using System.Security.Cryptography;
using Merit.Audit;
using Xunit;

namespace Merit.Tests.Audit;

/// <summary>RFC 6962 audit paths and consistency proofs, produced from streamed leaves and checked as RFC 9162 verifies them.</summary>
public class MerkleProofTests
{
    private static readonly byte[][] Leaves = Enumerable.Range(0, 70).Select(i => SHA256.HashData(BitConverter.GetBytes(i))).ToArray();

    [Fact]
    public void Every_leaf_of_every_tree_size_leads_to_the_root_and_a_changed_leaf_or_node_does_not()
    {
        for (var size = 1; size <= 40; size++)
        {
            var root = MerkleTree.RootOf(Leaves[..size]);
            for (var index = 0; index < size; index++)
            {
                var path = Hash(MerkleProof.InclusionRanges(index, size), size);
                var leaf = MerkleProof.LeafHash(Leaves[index]);

                Assert.Equal(root, MerkleProof.RootFromInclusion(leaf, index, size, path));
                Assert.NotEqual(root, MerkleProof.RootFromInclusion(MerkleProof.LeafHash(Leaves[size]), index, size, path));
                if (path.Count > 0)
                {
                    var altered = path.ToList();
                    altered[^1] = SHA256.HashData(altered[^1]);
                    Assert.NotEqual(root, MerkleProof.RootFromInclusion(leaf, index, size, altered));
                    Assert.Null(MerkleProof.RootFromInclusion(leaf, index, size, path.Take(path.Count - 1).ToList()));
                }

                if (size > 1)
                {
                    Assert.NotEqual(root, MerkleProof.RootFromInclusion(leaf, (index + 1) % size, size, path));
                }
            }
        }
    }

    [Fact]
    public void A_larger_tree_proves_it_extends_every_smaller_one_and_not_a_different_one()
    {
        for (var second = 1; second <= 40; second++)
        {
            var secondRoot = MerkleTree.RootOf(Leaves[..second]);
            for (var first = 1; first <= second; first++)
            {
                var firstRoot = MerkleTree.RootOf(Leaves[..first]);
                var proof = Hash(MerkleProof.ConsistencyRanges(first, second), second);

                Assert.True(MerkleProof.VerifyConsistency(first, second, firstRoot, secondRoot, proof), $"{first} → {second}");

                // A first tree with one leaf changed, a second root of something else, a proof node changed.
                var forked = Leaves[..first].ToArray();
                forked[first - 1] = SHA256.HashData("forked"u8);
                Assert.False(MerkleProof.VerifyConsistency(first, second, MerkleTree.RootOf(forked), secondRoot, proof));
                Assert.False(MerkleProof.VerifyConsistency(first, second, firstRoot, MerkleTree.RootOf(Leaves[1..(second + 1)]), proof));
                if (proof.Count > 0)
                {
                    var altered = proof.ToList();
                    altered[0] = SHA256.HashData(altered[0]);
                    Assert.False(MerkleProof.VerifyConsistency(first, second, firstRoot, secondRoot, altered));
                }
            }
        }
    }

    [Fact]
    public void Proof_sizes_are_logarithmic_and_match_RFC_6962s_examples()
    {
        // RFC 6962 §2.1.3: in the tree of 7 leaves, the path of leaf 3 (d) is [c, g, l]: a leaf, a pair, a four.
        Assert.Equal([new LeafRange(2, 3), new LeafRange(0, 2), new LeafRange(4, 7)], MerkleProof.InclusionRanges(3, 7));
        // The consistency proof between the trees of 3 and 7 leaves is [c, d, g, l].
        Assert.Equal([new LeafRange(2, 3), new LeafRange(3, 4), new LeafRange(0, 2), new LeafRange(4, 7)], MerkleProof.ConsistencyRanges(3, 7));
        // Between 4 and 7, [l]; between 6 and 7, [i, j, k].
        Assert.Equal([new LeafRange(4, 7)], MerkleProof.ConsistencyRanges(4, 7));
        Assert.Equal([new LeafRange(4, 6), new LeafRange(6, 7), new LeafRange(0, 4)], MerkleProof.ConsistencyRanges(6, 7));
        Assert.True(MerkleProof.InclusionRanges(0, 1_000_000).Count <= 20);
    }

    [Fact]
    public void A_tree_continued_from_its_frontier_has_the_root_of_the_whole()
    {
        var tree = new MerkleTree();
        foreach (var leaf in Leaves[..37])
        {
            tree.Append(leaf);
        }

        var continued = new MerkleTree(tree.Frontier);
        foreach (var leaf in Leaves[37..])
        {
            continued.Append(leaf);
        }

        Assert.Equal(Leaves.Length, continued.Count);
        Assert.Equal(MerkleTree.RootOf(Leaves), continued.Root());
        Assert.Throws<ArgumentException>(() => new MerkleTree([(new byte[32], 3L)]));
    }

    private static List<byte[]> Hash(IReadOnlyList<LeafRange> ranges, int size)
    {
        var hasher = new RangeHasher(ranges);
        foreach (var leaf in Leaves[..size])
        {
            hasher.Append(leaf);
        }

        return hasher.Hashes().ToList();
    }
}
