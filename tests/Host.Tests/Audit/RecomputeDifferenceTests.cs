using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Merit.Testing;
using Npgsql;
using Xunit;

namespace Merit.Tests.Audit;

/// <summary>
/// A recorded final result whose inputs were altered afterwards (an SKB score rewritten in the event table): the
/// recomputation names the applicants that moved and the members that differ, with enum names, not positions, and the
/// input event that changed.
/// </summary>
public class RecomputeDifferenceTests(MeritApp app) : IClassFixture<MeritApp>
{
    [Fact]
    public async Task A_rewritten_SKB_score_shows_as_the_applicants_rank_and_status_that_moved_by_name()
    {
        var api = new RecruitmentApi(app.CreateClient());
        var round = await api.OpenRoundAsync("CPNS-2024-RECOMPUTE");
        var formation = await api.OpenFormationAsync(round, "F-001", allocation: 1);
        await api.AdvanceAsync(round, "Registration");
        var first = await api.RegisteredAsync(round, formation, "24100001", "3171010101950001");
        var second = await api.RegisteredAsync(round, formation, "24100002", "3171010101980002");
        await api.AdvanceAsync(round, "AdministrativeSelection");
        await api.VerifyAsync(first);
        await api.VerifyAsync(second);
        await api.AdvanceAsync(round, "AdministrativeAppeal", "Skd");
        Assert.True((await api.RecordSkdAsync(first, 100, 100, 180)).IsSuccessStatusCode);
        Assert.True((await api.RecordSkdAsync(second, 100, 100, 180)).IsSuccessStatusCode);
        await api.AdvanceAsync(round, "Skb");
        Assert.True((await api.Client.PostAsync($"/formations/{formation}/skd-cutoff", null)).IsSuccessStatusCode);
        Assert.True((await api.Client.PostAsJsonAsync($"/applications/{first}/skb-result", new { score = 90m })).IsSuccessStatusCode);
        Assert.True((await api.Client.PostAsJsonAsync($"/applications/{second}/skb-result", new { score = 70m })).IsSuccessStatusCode);
        await api.AdvanceAsync(round, "Integration");
        Assert.True((await api.Client.PostAsync($"/formations/{formation}/final-result", null)).IsSuccessStatusCode);

        var decisions = JsonNode.Parse(await api.Client.GetStringAsync($"/formations/{formation}/decisions"))!.AsArray();
        var decisionId = (Guid)decisions.Single(d => (string)d!["decision"]! == "final")!["decisionId"]!;
        var auditor = app.ClientAs("bpk-rina", "auditor");
        auditor.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en"); // the differences in English; Indonesian below
        var intact = JsonNode.Parse(await (await auditor.PostAsync($"/decisions/{decisionId}/recompute", null)).Content.ReadAsStringAsync())!;
        Assert.True((bool)intact["matches"]!, intact.ToJsonString());
        Assert.Empty(intact["changedInputs"]!.AsArray());

        // The second applicant's SKB score rewritten from 70 to 95, behind the application's back.
        await using (var connection = new NpgsqlConnection(app.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("update merit.mt_events set data = jsonb_set(data, '{Score}', '95') where stream_id = @id and data ? 'Score'", connection);
            command.Parameters.AddWithValue("id", second);
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }

        var moved = JsonNode.Parse(await (await auditor.PostAsync($"/decisions/{decisionId}/recompute", null)).Content.ReadAsStringAsync())!;
        Assert.False((bool)moved["matches"]!);
        var differences = moved["differences"]!.AsArray().Select(d => (string)d!).ToList();
        Assert.Contains("applicant 24100002: rank recorded 2, recomputed 1", differences);
        Assert.Contains("applicant 24100002: status recorded TL, recomputed PL", differences);
        Assert.Contains("applicant 24100001: status recorded PL, recomputed TL", differences);
        Assert.All(differences, d => Assert.StartsWith("applicant 2410000", d, StringComparison.Ordinal));

        var inIndonesian = JsonNode.Parse(await (await app.ClientAs("bpk-rina", "auditor").PostAsync($"/decisions/{decisionId}/recompute", null)).Content.ReadAsStringAsync())!;
        Assert.Contains("pelamar 24100002: rank tercatat 2, dihitung ulang 1", inIndonesian["differences"]!.AsArray().Select(d => (string)d!));
        Assert.Equal("pelamar 24100002", (string)inIndonesian["changedInputs"]![0]!["input"]!);

        // The input that changed is named: whose event, which version, and that its content no longer hashes.
        var changed = Assert.Single(moved["changedInputs"]!.AsArray())!;
        Assert.Equal(("applicant 24100002", second, "ContentMismatch"), ((string)changed["input"]!, (Guid)changed["streamId"]!, (string)changed["kind"]!));
        Assert.Contains("skb", (string)changed["eventType"]!, StringComparison.OrdinalIgnoreCase);
    }
}
