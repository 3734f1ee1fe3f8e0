using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Merit.Audit;
using Merit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Merit.Tests.Audit;

/// <summary>
/// Seals anchored outside the database (docs/adr/0044): every seal lands, signed and with its leaves, in a folder of
/// files created once and never replaced, and the verification compares the store with it — a shorter, forked or
/// missing seal chain in the store, or a damaged anchor, is a failure with its reason.
/// </summary>
public class AnchorTests
{
    [Fact]
    public Task Every_seal_is_anchored_as_a_read_only_signed_file_with_its_leaves() => OnStoreAsync(async (app, audit) =>
    {
        await audit.RoundWithHistoryAsync("ANCHOR-A");
        var first = await audit.SealAsync();
        await audit.RoundWithHistoryAsync("ANCHOR-B");
        var second = await audit.SealAsync();

        var anchor = app.Services.GetRequiredService<AuditAnchor>();
        Assert.Equal(app.AnchorDirectory, anchor.Location);
        var anchored = anchor.ReadAll();
        Assert.Equal([1L, 2L], anchored.Select(a => a.Id));
        Assert.Equal(second.ToJsonString(), anchored[1].Statement!.Export(anchored[1].Signature!).ToJsonString());
        Assert.True(anchored[1].Statement!.IsSignedBy(anchored[1].Signature!));
        var leaves = new List<AnchoredLeaf>();
        await foreach (var leaf in anchor.LeavesAsync(2, CancellationToken.None))
        {
            leaves.Add(leaf);
        }

        Assert.Equal((long)second["count"]!, leaves.Count);
        Assert.Equal((string)second["root"]!, Convert.ToHexStringLower(MerkleTree.RootOf(leaves.Select(l => l.Leaf))));
        Assert.Equal((long)second["fromSequence"]!, leaves[0].Sequence);
        Assert.Equal((long)first["treeSize"]! + (long)second["count"]!, (long)second["treeSize"]!);

        var file = Path.Combine(app.AnchorDirectory, AuditAnchor.SealFileName(2));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(file));
        }

        Assert.Throws<IOException>(() => anchor.Commit(AuditSeal.From(anchored[1].Statement!, anchored[1].Signature!), anchor.BeginLeaves()));

        var report = await audit.VerifyAsync();
        Assert.True((bool)report["intact"]!, report.ToJsonString());
        Assert.Equal(2, (long)report["anchor"]!["newestAnchoredSeal"]!);
    });

    [Fact]
    public Task A_store_whose_newest_seal_was_deleted_has_a_shorter_seal_chain() => OnStoreAsync(async (app, audit) =>
    {
        await audit.RoundWithHistoryAsync("SHORT-A");
        await audit.SealAsync();
        await audit.RoundWithHistoryAsync("SHORT-B");
        await audit.SealAsync();

        await audit.SqlAsync("delete from merit.mt_doc_auditseal where id = 2");

        var report = await audit.VerifyAsync();
        Assert.False((bool)report["intact"]!);
        Assert.Contains(Problems(report), p => p.StartsWith("The store's seal chain is shorter than the anchored one: it ends at seal 1, the anchor at seal 2", StringComparison.Ordinal));
    });

    [Fact]
    public Task A_stored_seal_replaced_by_another_signed_one_forks_from_the_anchored_chain() => OnStoreAsync(async (app, audit) =>
    {
        await audit.RoundWithHistoryAsync("FORK");
        var exported = await audit.SealAsync();

        // Same events, same key (the operator holds it too), another moment: a genuine signature over another statement.
        var statement = SealStatement.Read(exported).Statement! with { CreatedAt = DateTimeOffset.UtcNow.AddMinutes(-5) };
        using var key = ECDsa.Create();
        key.ImportFromPem(app.SealingKeyPem);
        await using (var session = app.Store.LightweightSession())
        {
            session.Store(AuditSeal.From(statement, statement.Sign(key)));
            await session.SaveChangesAsync();
        }

        var report = await audit.VerifyAsync();
        Assert.False((bool)report["intact"]!);
        Assert.Empty(report["failedSeals"]!.AsArray()); // the forked seal is genuine and matches the events
        Assert.Contains(Problems(report), p => p.StartsWith("The store's seal chain forks from the anchored one at seal 1", StringComparison.Ordinal));
    });

    [Fact]
    public Task A_damaged_anchor_or_an_empty_one_beside_a_sealed_store_is_a_failure() => OnStoreAsync(async (app, audit) =>
    {
        await audit.RoundWithHistoryAsync("DAMAGE");
        await audit.SealAsync();
        var leaves = Path.Combine(app.AnchorDirectory, AuditAnchor.LeavesFileName(1));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(leaves, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        var bytes = await File.ReadAllBytesAsync(leaves);
        bytes[^1] ^= 0x01;
        await File.WriteAllBytesAsync(leaves, bytes);

        var report = await audit.VerifyAsync();
        Assert.False((bool)report["intact"]!);
        Assert.Contains(Problems(report), p => p.Contains("does not hash to its signed root: the anchor is damaged", StringComparison.Ordinal));

        foreach (var file in Directory.EnumerateFiles(app.AnchorDirectory))
        {
            File.Delete(file);
        }

        report = await audit.VerifyAsync();
        Assert.False((bool)report["intact"]!);
        Assert.Contains(Problems(report), p => p.StartsWith($"The anchor at {app.AnchorDirectory} holds no seal while the store holds 1", StringComparison.Ordinal));
    });

    private static IEnumerable<string> Problems(JsonObject report) => report["anchor"]!["problems"]!.AsArray().Select(p => (string)p!);

    private static async Task OnStoreAsync(Func<MeritApp, AuditClient, Task> test)
    {
        var app = new MeritApp();
        await app.InitializeAsync();
        try
        {
            await test(app, new AuditClient(app));
        }
        finally
        {
            await app.DisposeAsync();
        }
    }
}
