using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Merit.Testing;
using Npgsql;
using Xunit;

namespace Merit.Tests.Audit;

/// <summary>Point-in-time reconstruction, explanations and recomputation of decisions, over HTTP against real PostgreSQL.</summary>
public class CaseHistoryTests(MeritApp app) : IClassFixture<MeritApp>
{
    private readonly RecruitmentApi api = new(app.CreateClient());

    [Fact]
    public async Task A_case_read_as_of_a_moment_between_two_decisions_shows_the_earlier_state()
    {
        var (_, _, application) = await api.ApplicantReadyForSkdAsync("CPNS-2024-PIT", "3171010101900007");
        (await api.RecordSkdAsync(application, 70, 90, 170)).EnsureSuccessStatusCode();

        var now = (await api.Client.GetFromJsonAsync<JsonObject>($"/cases/{application}"))!;
        var history = now["history"]!.AsArray();
        Assert.Equal(["applicant_registered", "administrative_verification_recorded", "skd_result_recorded"], history.Select(h => (string)h!["type"]!));
        Assert.Equal("CPNS-2024", (string)history[2]!["ruleSetVersion"]!);
        Assert.Equal("dev-committee", (string)history[2]!["actor"]!);

        var verifiedAt = (DateTimeOffset)history[1]!["timestamp"]!;
        var then = (await api.Client.GetFromJsonAsync<JsonObject>($"/cases/{application}?asOf={Uri.EscapeDataString(verifiedAt.ToString("O"))}"))!;
        Assert.Equal(2, (int)then["version"]!);
        Assert.Equal("MS", (string)then["state"]!["administrative"]!);
        Assert.Null(then["state"]!["skd"]);
        Assert.NotNull(now["state"]!["skd"]);

        var byVersion = (await api.Client.GetFromJsonAsync<JsonObject>($"/cases/{application}?version=1"))!;
        Assert.Null(byVersion["state"]!["administrative"]);
    }

    [Fact]
    public async Task A_cut_off_is_explained_and_recomputes_to_the_same_result_until_an_input_is_altered()
    {
        var round = await api.OpenRoundAsync("CPNS-2024-EXP");
        var formation = await api.OpenFormationAsync(round, "F-001", allocation: 1);
        await api.AdvanceAsync(round, "Registration");
        var scores = new (string Nik, int Twk, int Tiu, int Tkp)[] { ("3171010101900011", 100, 100, 200), ("3171010101900012", 60, 120, 200), ("3171010101900013", 90, 100, 180), ("3171010101900014", 90, 100, 180), ("3171010101900015", 90, 100, 180), ("3171010101900016", 65, 80, 166) };
        var ids = new List<Guid>();
        for (var i = 0; i < scores.Length; i++)
        {
            ids.Add(await api.RegisteredAsync(round, formation, $"2410000{i}", scores[i].Nik));
        }

        await api.AdvanceAsync(round, "AdministrativeSelection");
        foreach (var id in ids)
        {
            await api.VerifyAsync(id);
        }

        await api.AdvanceAsync(round, "AdministrativeAppeal", "Skd");
        for (var i = 0; i < ids.Count; i++)
        {
            (await api.RecordSkdAsync(ids[i], scores[i].Twk, scores[i].Tiu, scores[i].Tkp)).EnsureSuccessStatusCode();
        }

        await api.AdvanceAsync(round, "Skb");
        (await api.Client.PostAsync($"/formations/{formation}/skd-cutoff", null)).EnsureSuccessStatusCode();
        var decisions = (await api.Client.GetFromJsonAsync<JsonArray>($"/formations/{formation}/decisions"))!;
        var decisionId = (Guid)decisions.Single()!["decisionId"]!;

        // The explanation's own sentences in the reader's language; the recorded reasons are the decision's, as recorded.
        var indonesian = (await api.Client.GetFromJsonAsync<JsonObject>($"/decisions/{decisionId}/explanation"))!;
        Assert.Equal(["total SKD", "TKP", "TIU", "TWK"], indonesian["orderedCriteria"]!.AsArray().Select(c => (string)c!));
        Assert.Contains("kuota: 3 × alokasi 1 = 3 (R13)", indonesian["rules"]!.AsArray().Select(r => (string)r!));
        using var inEnglish = new HttpRequestMessage(HttpMethod.Get, $"/decisions/{decisionId}/explanation") { Headers = { { "Accept-Language", "en" } } };
        var explanation = (await (await api.Client.SendAsync(inEnglish)).Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(["SKD total", "TKP", "TIU", "TWK"], explanation["orderedCriteria"]!.AsArray().Select(c => (string)c!));
        Assert.Contains("quota: 3 × allocation 1 = 3 (R13)", explanation["rules"]!.AsArray().Select(r => (string)r!));
        var reasons = explanation["entries"]!.AsArray().ToDictionary(e => (string)e!["registrationNumber"]!, e => (string)e!["reason"]!);
        Assert.Equal("excluded: below threshold: TWK 60 < 65 (umum, rule set CPNS-2024)", reasons["24100001"]);
        Assert.Equal("admitted: rank 2 within quota 3 (3 × 1)", reasons["24100003"]);
        Assert.Equal("admitted on tie at the boundary: total 370, TKP 180, TIU 100, TWK 90 equal to rank 2", reasons["24100004"]);
        Assert.Equal("excluded: rank 5 beyond quota 3 (3 × 1)", reasons["24100005"]);

        var recompute = (await (await api.Client.PostAsync($"/decisions/{decisionId}/recompute", null)).Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.True((bool)recompute["matches"]!, recompute.ToJsonString());

        // An operator alters an input in the database: the recorded decision no longer follows from the events.
        await using (var connection = new NpgsqlConnection(app.ConnectionString))
        {
            await connection.OpenAsync();
            await using var update = new NpgsqlCommand("update merit.mt_events set data = jsonb_set(data, '{Twk}', '150') where stream_id = @id and type = 'skd_result_recorded'", connection);
            update.Parameters.AddWithValue("id", ids[5]);
            Assert.Equal(1, await update.ExecuteNonQueryAsync());
        }

        var altered = (await (await api.Client.PostAsync($"/decisions/{decisionId}/recompute", null)).Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.False((bool)altered["matches"]!);
        Assert.NotEmpty(altered["differences"]!.AsArray());
    }
}
