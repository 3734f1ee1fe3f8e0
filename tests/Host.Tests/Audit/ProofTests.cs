using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Merit.Audit;
using Merit.Recruitment;
using Merit.Testing;
using Xunit;

namespace Merit.Tests.Audit;

/// <summary>
/// RFC 6962 proofs to the signed tree roots of the seals (docs/adr/0044), over HTTP and the command line, checked
/// offline by merit-verify: an event's inclusion, an applicant's own decisions, and a newer seal extending an older one.
/// </summary>
public class ProofTests(MeritApp app) : IClassFixture<MeritApp>
{
    private readonly AuditClient audit = new(app);

    [Fact]
    public async Task An_events_inclusion_proof_leads_to_the_signed_root_and_a_changed_node_or_event_does_not()
    {
        var round = await audit.RoundWithHistoryAsync("PROOF-EVENT");
        await audit.SealAsync();
        await audit.RoundWithHistoryAsync("PROOF-EVENT-2");
        var seal = await audit.SealAsync();
        var third = await audit.StoredAsync(round, 3);

        var proof = (await audit.Client.GetFromJsonAsync<JsonObject>($"/audit/proofs/events/{third.Sequence}"))!;
        Assert.Equal("merit-inclusion/1", (string)proof["format"]!);
        Assert.Equal((long)seal["id"]!, (long)proof["seal"]!["id"]!);
        Assert.Equal(third.Hash, (string)proof["event"]!["hash"]!);
        Assert.Null(Check(proof));

        var altered = proof.DeepClone().AsObject();
        altered["path"]![0] = new string('0', 64);
        Assert.Contains("does not lead", Check(altered), StringComparison.Ordinal);
        var forged = proof.DeepClone().AsObject();
        forged["event"]!["user"] = "someone-else";
        Assert.Contains("does not hash", Check(forged), StringComparison.Ordinal);

        var (code, output) = await CheckOfflineAsync(proof);
        Assert.True(code == 0, output);
        Assert.Contains($"included: sequence {third.Sequence}, stream {round} version 3", output, StringComparison.Ordinal);
        (code, output) = await CheckOfflineAsync(altered);
        Assert.Equal(1, code);
        Assert.Contains($"problem inclusion-proof sequence:{third.Sequence}", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_newer_seal_proves_it_extends_an_older_one_over_HTTP_and_the_command_line()
    {
        await audit.RoundWithHistoryAsync("PROOF-CONS-1");
        var first = await audit.SealAsync();
        await audit.RoundWithHistoryAsync("PROOF-CONS-2");
        await audit.SealAsync();
        await audit.RoundWithHistoryAsync("PROOF-CONS-3");
        var third = await audit.SealAsync();

        var proof = (await audit.Client.GetFromJsonAsync<JsonObject>($"/audit/proofs/consistency?from={first["id"]}&to={third["id"]}"))!;
        var (older, olderSignature, _) = SealStatement.Read(proof["first"]!.AsObject());
        var (newer, newerSignature, _) = SealStatement.Read(proof["second"]!.AsObject());
        Assert.Null(ProofVerification.CheckConsistency(older!, olderSignature!, newer!, newerSignature!, Nodes(proof["proof"])));

        // The auditor's old seal against a newer one over a forked history: the same proof does not hold.
        var forkedRoot = newer! with { TreeRoot = new string('a', 64) };
        Assert.NotNull(ProofVerification.CheckConsistency(older!, olderSignature!, forkedRoot, newerSignature!, Nodes(proof["proof"])));

        var file = Path.Combine(Path.GetTempPath(), $"merit-proof-{Guid.NewGuid():N}.json");
        try
        {
            var (code, output) = await MeritCommandLine.RunAsync(app, "audit", "prove", "consistency", "--from", $"{first["id"]}", "--to", $"{third["id"]}", "--out", file);
            Assert.True(code == 0, output);
            (code, output) = await Verifiers.DotnetAsync("proof", file, "--key", (string)first["publicKey"]!);
            Assert.True(code == 0, output);
            Assert.Contains($"the tree of seal {third["id"]}", output, StringComparison.Ordinal);
            using var otherKey = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
            (code, output) = await Verifiers.DotnetAsync("proof", file, "--key", Convert.ToBase64String(otherKey.ExportSubjectPublicKeyInfo()));
            Assert.Equal(1, code);
            Assert.Contains("problem seal-untrusted-key", output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task An_applicants_own_decisions_are_each_proven_to_one_signed_root()
    {
        var (_, _, application) = await audit.Api.ApplicantReadyForSkdAsync("PROOF-APPLICANT", "3171010101900077");
        (await audit.Api.RecordSkdAsync(application, 100, 100, 200)).EnsureSuccessStatusCode();
        await audit.SealAsync();

        var proofs = (await audit.Client.GetFromJsonAsync<JsonObject>($"/audit/proofs/applications/{application}"))!;
        var decisions = proofs["decisions"]!.AsArray();
        Assert.Equal(3, decisions.Count); // registered, verified, SKD result
        Assert.All(decisions, d => Assert.Equal(application, (Guid)d!["event"]!["stream"]!));
        Assert.All(decisions, d => Assert.Null(Check(d!.AsObject())));
        Assert.Equal(["applicant_registered", "administrative_verification_recorded", "skd_result_recorded"], decisions.Select(d => (string)d!["event"]!["type"]!));

        var (code, output) = await MeritCommandLine.RunAsync(app, "audit", "prove", "application", "--application", application.ToString());
        Assert.True(code == 0, output);
        Assert.Contains("\"decisions\"", output, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.NotFound, (await audit.Client.GetAsync($"/audit/proofs/applications/{Guid.NewGuid()}")).StatusCode);
        await audit.RoundWithHistoryAsync("PROOF-UNSEALED");
        var unsealed = await audit.StoredAsync(await audit.Api.OpenRoundAsync("PROOF-UNSEALED-2"), 1);
        var response = await audit.Client.GetAsync($"/audit/proofs/events/{unsealed.Sequence}");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("not sealed yet", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Proofs_in_a_tree_of_several_chunks_lead_to_the_signed_root_and_a_damaged_chunk_is_not_believed()
    {
        await audit.RoundWithHistoryAsync("PROOF-CHUNKS");
        var earlier = await audit.SealAsync();
        var streams = new List<Guid>();
        for (var batch = 0; batch < 5; batch++)
        {
            await using var session = app.Store.LightweightSession();
            for (var s = 0; s < 21; s++)
            {
                var id = Guid.NewGuid();
                streams.Add(id);
                session.Events.StartStream<Round>(id, [new RoundOpened(id, $"PROOF-CHUNK-{batch}-{s}", "Chunked", "CPNS-2024", DateTimeOffset.UtcNow),
                    .. Enumerable.Range(1, 99).Select(v => (object)new RoundStageAdvanced(id, (RoundStage)((v - 1) % 10), (RoundStage)(v % 10), DateTimeOffset.UtcNow))]);
            }

            await session.SaveChangesAsync();
        }

        var seal = await audit.SealAsync();
        Assert.True((long)seal["treeSize"]! > 2 * AuditTreeChunk.Size, $"{seal["treeSize"]} leaves");

        // The sealing kept every whole chunk below it before any proof was asked for, each the subtree hash of its
        // 4,096 stored leaves — the chunk the earlier seal ended inside continued from its frontier.
        var leaves = await LeavesAsync((long)seal["toSequence"]!);
        await using (var query = app.Store.QuerySession())
        {
            var whole = (long)seal["treeSize"]! / AuditTreeChunk.Size;
            var kept = await query.Query<AuditTreeChunk>().Where(c => c.Id <= whole).OrderBy(c => c.Id).ToListAsync();
            Assert.Equal(Enumerable.Range(1, (int)whole).Select(i => (long)i), kept.Select(c => c.Id));
            foreach (var chunk in kept)
            {
                var own = leaves.Skip((int)(chunk.Id - 1) * AuditTreeChunk.Size).Take(AuditTreeChunk.Size).ToList();
                Assert.Equal(Convert.ToHexStringLower(MerkleTree.RootOf(own.Select(l => l.Leaf))), chunk.Hash);
                Assert.Equal(own[^1].Sequence, chunk.LastSequence);
            }
        }

        var wanted = new[] { await audit.StoredAsync(streams[0], 1), await audit.StoredAsync(streams[50], 37), await audit.StoredAsync(streams[^1], 100) };
        foreach (var e in wanted)
        {
            var proof = (await audit.Client.GetFromJsonAsync<JsonObject>($"/audit/proofs/events/{e.Sequence}"))!;
            Assert.Null(Check(proof));
        }

        var consistency = (await audit.Client.GetFromJsonAsync<JsonObject>($"/audit/proofs/consistency?from={earlier["id"]}&to={seal["id"]}"))!;
        var (older, olderSignature, _) = SealStatement.Read(consistency["first"]!.AsObject());
        var (newer, newerSignature, _) = SealStatement.Read(consistency["second"]!.AsObject());
        Assert.Null(ProofVerification.CheckConsistency(older!, olderSignature!, newer!, newerSignature!, Nodes(consistency["proof"])));

        // The chunks kept for the proofs: whole ones only, below the seal. One damaged is not believed: the proof is
        // built from the events and still leads to the signed root.
        await using (var session = app.Store.LightweightSession())
        {
            var chunks = await session.Query<AuditTreeChunk>().OrderBy(c => c.Id).ToListAsync();
            Assert.Equal(Enumerable.Range(1, chunks.Count).Select(i => (long)i), chunks.Select(c => c.Id));
            Assert.True(chunks.Count >= (long)seal["treeSize"]! / AuditTreeChunk.Size, $"{chunks.Count} chunks");
            chunks[0].Hash = new string('0', 64);
            session.Store(chunks[0]);
            await session.SaveChangesAsync();
        }

        // The last event's path takes the first chunk's hash (it lies in the left-most subtree, beside the event's).
        var afterDamage = (await audit.Client.GetFromJsonAsync<JsonObject>($"/audit/proofs/events/{wanted[^1].Sequence}"))!;
        Assert.Null(Check(afterDamage));
    }

    // The tree's leaves as the proofs read them, in sequence order.
    private async Task<List<(long Sequence, byte[] Leaf)>> LeavesAsync(long through)
    {
        var leaves = new List<(long Sequence, byte[] Leaf)>();
        await foreach (var leaf in app.Services.GetRequiredService<AuditEventReader>().LeavesAsync(0, through, 1000, CancellationToken.None))
        {
            leaves.Add(leaf);
        }

        return leaves;
    }

    private static string? Check(JsonObject proof)
    {
        var (seal, signature, _) = SealStatement.Read(proof["seal"]!.AsObject());
        var e = proof["event"]!.AsObject();
        var content = new ChainedEvent((string)e["type"]!, (string)e["stream"]!, (long)e["version"]!,
            DateTimeOffset.Parse((string)e["timestamp"]!, System.Globalization.CultureInfo.InvariantCulture), e["data"]!.ToJsonString(),
            (string?)e["user"], (string?)e["correlation"], (string?)e["causation"]);
        return ProofVerification.CheckInclusion(seal!, signature!, content, (string?)e["prev"], (string)e["hash"]!, (long)proof["leafIndex"]!, (long)proof["treeSize"]!, Nodes(proof["path"]));
    }

    private static List<string> Nodes(JsonNode? array) => array!.AsArray().Select(n => (string)n!).ToList();

    private static async Task<(int, string)> CheckOfflineAsync(JsonObject proof)
    {
        var file = Path.Combine(Path.GetTempPath(), $"merit-proof-{Guid.NewGuid():N}.json");
        try
        {
            await File.WriteAllTextAsync(file, proof.ToJsonString());
            return await Verifiers.DotnetAsync("proof", file);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
