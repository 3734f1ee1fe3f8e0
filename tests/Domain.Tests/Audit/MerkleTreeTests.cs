using System.Security.Cryptography;
using Merit.Audit;
using Xunit;

namespace Merit.Tests.Audit;

/// <summary>The RFC 6962 tree hash, computed incrementally with O(log n) memory.</summary>
public class MerkleTreeTests
{
    private static readonly string[] Leaves = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"];

    // Certificate Transparency's reference roots for the first n of these leaves.
    private static readonly string[] Roots =
    [
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ];

    [Fact]
    public void The_empty_tree_hashes_to_the_hash_of_nothing()
    {
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Convert.ToHexStringLower(new MerkleTree().Root()));
    }

    [Fact]
    public void Roots_match_the_RFC_6962_reference_vectors_for_every_size()
    {
        var tree = new MerkleTree();
        for (var n = 0; n < Leaves.Length; n++)
        {
            tree.Append(Convert.FromHexString(Leaves[n]));
            Assert.Equal(Roots[n], Convert.ToHexStringLower(tree.Root()));
            Assert.Equal(n + 1, tree.Count);
        }
    }

    [Fact]
    public void The_incremental_root_equals_the_recursive_definition_for_sizes_that_are_not_powers_of_two()
    {
        var leaves = Enumerable.Range(0, 100).Select(i => SHA256.HashData(BitConverter.GetBytes(i))).ToArray();
        foreach (var n in new[] { 1, 2, 3, 5, 7, 9, 31, 33, 64, 100 })
        {
            Assert.Equal(Reference(leaves[..n]), MerkleTree.RootOf(leaves[..n]));
        }
    }

    [Fact]
    public void Changing_removing_or_reordering_a_leaf_changes_the_root()
    {
        var leaves = Enumerable.Range(0, 10).Select(i => SHA256.HashData(BitConverter.GetBytes(i))).ToList();
        var root = MerkleTree.RootOf(leaves);

        var changed = leaves.ToList();
        changed[4] = SHA256.HashData("forged"u8);
        var swapped = leaves.ToList();
        (swapped[2], swapped[3]) = (swapped[3], swapped[2]);

        Assert.NotEqual(root, MerkleTree.RootOf(changed));
        Assert.NotEqual(root, MerkleTree.RootOf(leaves.Where((_, i) => i != 7)));
        Assert.NotEqual(root, MerkleTree.RootOf(swapped));
    }

    [Theory]
    [InlineData(4, 0)]
    [InlineData(4, 3)]
    [InlineData(8, 5)]
    [InlineData(16, 1)]
    public void Whole_chunks_appended_by_their_subtree_hash_give_the_root_of_their_leaves(int chunk, int tail)
    {
        var leaves = Enumerable.Range(0, (5 * chunk) + tail).Select(i => SHA256.HashData(BitConverter.GetBytes(i))).ToArray();
        var tree = new MerkleTree();
        foreach (var whole in leaves.Chunk(chunk).Where(c => c.Length == chunk))
        {
            tree.AppendSubtree(MerkleTree.RootOf(whole), chunk);
        }

        foreach (var leaf in leaves[(5 * chunk)..])
        {
            tree.Append(leaf);
        }

        Assert.Equal(leaves.Length, tree.Count);
        Assert.Equal(Reference(leaves), tree.Root());
    }

    [Fact]
    public void A_subtree_is_refused_where_the_tree_s_size_is_not_a_multiple_of_it()
    {
        var tree = new MerkleTree();
        tree.Append([1]);
        Assert.Throws<ArgumentException>(() => tree.AppendSubtree(new byte[32], 4));
        Assert.Throws<ArgumentException>(() => new MerkleTree().AppendSubtree(new byte[32], 3));
    }

    // RFC 6962 §2.1 as written: split at the largest power of two smaller than n.
    private static byte[] Reference(byte[][] leaves)
    {
        if (leaves.Length == 1)
        {
            return SHA256.HashData([0x00, .. leaves[0]]);
        }

        var k = 1;
        while (k * 2 < leaves.Length)
        {
            k *= 2;
        }

        return SHA256.HashData([0x01, .. Reference(leaves[..k]), .. Reference(leaves[k..])]);
    }
}
