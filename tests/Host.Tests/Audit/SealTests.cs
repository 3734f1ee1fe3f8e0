using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Merit.Audit;
using Merit.Testing;
using Xunit;

namespace Merit.Tests.Audit;

/// <summary>An untouched store verifies clean; seals are created, exported and checked over HTTP.</summary>
public class SealTests(MeritApp app) : IClassFixture<MeritApp>
{
    private readonly AuditClient audit = new(app);

    [Fact]
    public async Task An_untouched_store_verifies_clean_and_its_exported_seal_checks_out()
    {
        await audit.RoundWithHistoryAsync("SEAL-A");
        await audit.Api.ApplicantReadyForSkdAsync("SEAL-B", "3171010101900001");

        var before = await audit.VerifyAsync();
        Assert.True((bool)before["intact"]!, before.ToJsonString());
        Assert.Matches("^intact, [0-9]+ events, [0-9]+ streams, last seal ([0-9]+|none), newest anchored seal ([0-9]+|none), [0-9]+ unsealed event", (string)before["summary"]!);

        var created = await audit.SealAsync();
        var id = (long)created["id"]!;
        var exported = (await audit.Client.GetFromJsonAsync<JsonObject>($"/audit/seals/{id}"))!;
        Assert.Equal(created.ToJsonString(), exported.ToJsonString());
        var all = (await audit.Client.GetFromJsonAsync<JsonArray>("/audit/seals"))!;
        Assert.Equal((long)before["events"]!, all.Sum(s => (long)s!["count"]!)); // every event is now under exactly one seal

        // The exported document stands alone: its signature verifies without Merit's database.
        var (statement, signature, problem) = SealStatement.Read(exported);
        Assert.Null(problem);
        Assert.True(statement!.IsSignedBy(signature!));

        var check = await audit.CheckSealAsync(exported);
        Assert.True((bool)check["intact"]!, check.ToJsonString());
        Assert.True((bool)check["matchesStoredSeal"]!);
        Assert.True((bool)check["signedByTrustedKey"]!);

        var after = await audit.VerifyAsync();
        Assert.True((bool)after["intact"]!, after.ToJsonString());
        Assert.Contains($"last seal {id}, newest anchored seal {id}, 0 unsealed event(s)", (string)after["summary"]!, StringComparison.Ordinal);
        Assert.True((long)after["sealsChecked"]! >= 1);
    }

    [Fact]
    public async Task Seals_follow_one_another_without_gaps_and_nothing_new_seals_nothing()
    {
        await audit.RoundWithHistoryAsync("SEAL-C");
        var first = await audit.SealAsync();
        Assert.Equal(HttpStatusCode.NoContent, (await audit.Client.PostAsync("/audit/seals", null)).StatusCode);

        await audit.RoundWithHistoryAsync("SEAL-D");
        var second = await audit.SealAsync();

        Assert.Equal((long)first["id"]! + 1, (long)second["id"]!);
        Assert.Equal((long)first["toSequence"]! + 1, (long)second["fromSequence"]!);
        Assert.Equal((string)first["root"]!, (string)second["previousRoot"]!);
        var all = (await audit.Client.GetFromJsonAsync<JsonArray>("/audit/seals"))!;
        Assert.Contains(all, s => (long)s!["id"]! == (long)second["id"]!);
        Assert.True((bool)(await audit.VerifyAsync())["intact"]!);
    }

    [Fact]
    public async Task A_seal_document_changed_after_export_no_longer_verifies()
    {
        await audit.RoundWithHistoryAsync("SEAL-E");
        var exported = await audit.SealAsync();
        exported["count"] = (long)exported["count"]! + 1;

        var check = await audit.CheckSealAsync(exported);

        Assert.False((bool)check["intact"]!);
        Assert.False((bool)check["signatureValid"]!);
        Assert.False((bool)check["matchesStoredSeal"]!);
    }

    [Fact]
    public async Task A_missing_seal_is_a_404_and_a_malformed_one_a_400()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await audit.Client.GetAsync("/audit/seals/999999")).StatusCode);

        var response = await audit.Client.PostAsJsonAsync("/audit/seals/verify", new { format = "something-else", id = 1, signature = "x" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Sequence_gaps_filled_by_Marten_after_concurrent_decisions_verify_and_seal()
    {
        var (_, _, application) = await audit.Api.ApplicantReadyForSkdAsync("SEAL-CONC", "3171010101900002");
        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => audit.Api.RecordSkdAsync(application, 65 + (5 * i), 80, 166)));
        Assert.Contains(responses, r => r.StatusCode == HttpStatusCode.Conflict);
        await audit.WaitForSequenceGapsFilledAsync();

        var report = await audit.VerifyAsync();
        Assert.True((bool)report["intact"]!, report.ToJsonString());
        // Whether the losers consumed sequence numbers (filled by Marten as tombstones) depends on timing: when the
        // requests happen to serialise, the decision refuses them before any append. Either way the store is intact.
        var seal = await audit.SealAsync();
        Assert.True((bool)(await audit.CheckSealAsync(seal))["intact"]!);
    }
}
