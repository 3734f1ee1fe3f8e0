using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Merit.Audit;
using Merit.Testing;
using Xunit;

namespace Merit.Tests.Audit;

/// <summary>
/// What the chain alone cannot catch: an operator who rewrites an event and recomputes every hash after it. The chain
/// then verifies, but the seal the auditor exported earlier does not — nor does a stored seal the operator re-signs.
/// </summary>
public class SealedHistoryRewriteTests(MeritApp app) : IClassFixture<MeritApp>
{
    private readonly AuditClient audit = new(app);

    [Fact]
    public async Task A_consistently_rewritten_history_passes_the_chain_but_fails_the_exported_seal()
    {
        var round = await audit.RoundWithHistoryAsync("REWRITE");
        await audit.RoundWithHistoryAsync("REWRITE-OTHER");
        var exported = await audit.SealAsync(); // the auditor keeps this outside the system
        Assert.True((bool)(await audit.CheckSealAsync(exported))["intact"]!);

        // The operator changes version 2's decision, then recomputes the hash of every event from there on.
        await audit.SqlAsync("update merit.mt_events set data = jsonb_set(data, '{To}', '\"Closed\"') where stream_id = @s and version = 2", ("s", round));
        await audit.RechainAsync(round, fromVersion: 2);

        var chain = await audit.VerifyAsync(round);
        Assert.True((bool)chain["intact"]!, "a consistent rewrite passes the chain: " + chain.ToJsonString());

        var check = await audit.CheckSealAsync(exported);
        Assert.False((bool)check["intact"]!);
        Assert.NotEqual((string)check["rootSealed"]!, (string)check["rootNow"]!);
        Assert.True((bool)check["signatureValid"]!); // the seal itself is genuine: the events changed
        Assert.Contains(check["problems"]!.AsArray(), p => ((string)p!).Contains("Merkle root", StringComparison.Ordinal));

        // The whole-store verification recomputes the stored seal too.
        var report = await audit.VerifyAsync();
        Assert.False((bool)report["intact"]!);
        Assert.Equal((long)exported["id"]!, (long)report["failedSeals"]![0]!["sealId"]!);
    }

    [Fact]
    public async Task An_operator_who_also_re_signs_the_stored_seal_with_a_key_of_their_own_is_caught()
    {
        var round = await audit.RoundWithHistoryAsync("RESIGN");
        var exported = await audit.SealAsync();

        await audit.SqlAsync("update merit.mt_events set user_name = 'operator' where stream_id = @s and version = 3", ("s", round));
        await audit.RechainAsync(round, fromVersion: 3);

        // A new root over the rewritten range, signed with the operator's key, written over the stored seal.
        var statement = SealStatement.Read(exported).Statement!;
        var leaves = new List<byte[]>();
        await foreach (var e in Reader().BySequenceAsync(statement.FromSequence, statement.ToSequence, 100, CancellationToken.None))
        {
            leaves.Add(Convert.FromHexString(e.Hash!));
        }

        using var operatorKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var forged = statement with
        {
            Root = Convert.ToHexStringLower(MerkleTree.RootOf(leaves)),
            PublicKey = Convert.ToBase64String(operatorKey.ExportSubjectPublicKeyInfo()),
        };
        var forgedSeal = AuditSeal.From(forged, forged.Sign(operatorKey));
        await using (var session = app.Store.LightweightSession())
        {
            session.Store(forgedSeal);
            await session.SaveChangesAsync();
        }

        Assert.True((bool)(await audit.VerifyAsync(round))["intact"]!);
        var report = await audit.VerifyAsync();
        Assert.False((bool)report["intact"]!);
        var failed = report["failedSeals"]!.AsArray().Single(s => (long)s!["sealId"]! == statement.Id)!;
        Assert.False((bool)failed["signedByTrustedKey"]!);

        var check = await audit.CheckSealAsync(exported);
        Assert.False((bool)check["intact"]!);
        Assert.False((bool)check["matchesStoredSeal"]!);
        Assert.NotEqual((string)check["rootSealed"]!, (string)check["rootNow"]!);

        var storedExport = (await audit.Client.GetFromJsonAsync<JsonObject>($"/audit/seals/{statement.Id}"))!;
        Assert.False((bool)(await audit.CheckSealAsync(storedExport))["signedByTrustedKey"]!);
    }

    private AuditEventReader Reader() => (AuditEventReader)app.Services.GetService(typeof(AuditEventReader))!;
}
