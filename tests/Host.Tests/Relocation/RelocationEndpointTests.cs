using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marten;
using Merit.Career;
using Merit.Relocation;
using Merit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Merit.Tests.Relocation;

/// <summary>Relocation over HTTP: a wave from nomination to completion, a withdrawal and the wait list, refusals as problem details, roles, analytics without personal data.</summary>
public class RelocationEndpointTests(MeritApp app) : IClassFixture<MeritApp>
{
    private const string Header = "nip,instansi_code,tmt_cpns,tmt_pns,rank,rank_tmt,education,position,jf_level,credit_points,superior_rank,service_exams,skp_year,skp_last,skp_previous\n";

    private const string Instansi = "D1EB03E23CCCF6A0E040640A040252AD";

    private static readonly string[] Nips = ["198609262010041001", "199001012015031002", "198803032012121001", "199203042016081002"];

    private static readonly string[] Units = ["E1-SETJEN"];

    private readonly CareerApi api = new(app.CreateClient());

    private async Task<long> EventCountAsync()
    {
        await using var session = app.Store.QuerySession();
        return await session.Events.QueryAllRawEvents().CountAsync();
    }

    private async Task<(Guid WaveId, Guid QuotaId, Guid[] Servants)> WaveAsync(string code)
    {
        var rows = string.Concat(Nips.Select(n => $"{n},{Instansi},{n[8..12]}-{n[12..14]}-01,{int.Parse(n[8..12], System.Globalization.CultureInfo.InvariantCulture) + 1}-{n[12..14]}-01,III/a,2021-04-01,S1,Pelaksana,,,III/d,I,2024,Baik,Baik\n"));
        await api.ImportWorkforceAsync(Header + rows);
        var ids = app.Services.GetRequiredService<CivilServantIds>();
        var opened = await api.OkAsync("/relocation-waves", new
        {
            programme = "IKN",
            code,
            number = 1,
            startsOn = "2024-09-02",
            policyVersion = "IKN-2024",
            instansi = new[] { new { instansiCode = Instansi, units = Units, housingUnits = 2 } },
        });
        var waveId = opened.GetProperty("id").GetGuid();
        return (waveId, opened.GetProperty("quotas")[0].GetProperty("quotaId").GetGuid(), Nips.Select(ids.For).ToArray());
    }

    private static object Nomination(Guid servant, decimal? score, string marital = "Unmarried", string unit = "E1-SETJEN") => new
    {
        servantId = servant,
        unitCode = unit,
        nominatedOn = "2024-08-05",
        assessmentScore = score,
        assessedOn = score is null ? null : "2024-03-01",
        maritalStatus = marital,
        retirementDate = "2050-07-01",
    };

    [Fact]
    public async Task A_wave_runs_from_nomination_through_selection_withdrawal_and_wait_list_to_arrival_and_completion()
    {
        var (waveId, quotaId, s) = await WaveAsync("IKN-E2E");
        var nominated = await api.OkAsync($"/relocation-waves/{waveId}/nominations", new
        {
            nominations = new[] { Nomination(s[0], 90m, "Married"), Nomination(s[1], 70m), Nomination(s[2], 80m), Nomination(s[3], null) },
        });
        Assert.Equal(("IKN-2024", 4, 3), (nominated.GetProperty("policyVersion").GetString(), nominated.GetProperty("nominated").GetInt32(), nominated.GetProperty("eligible").GetInt32()));
        var cases = nominated.GetProperty("cases").EnumerateArray().Select(c => c.GetProperty("caseId").GetGuid()).ToArray();

        var ineligible = await api.GetAsync($"/relocation-cases/{cases[3]}");
        Assert.Equal("Ineligible", (string)ineligible["status"]!);
        Assert.Contains(ineligible["checks"]!.AsArray(), c => (string)c!["criterion"]! == "AssessmentPresent" && !(bool)c["met"]!);

        // Unmarried first (80, then 70), the married employee with 90 waits.
        var selection = await api.OkAsync($"/housing-quotas/{quotaId}/selection");
        Assert.Equal([cases[2], cases[1]], selection.GetProperty("selected").EnumerateArray().Select(e => e.GetGuid()));
        Assert.Equal([cases[0]], selection.GetProperty("waitListed").EnumerateArray().Select(e => e.GetGuid()));

        // A refusal names its rule and appends nothing: no free unit while both are held.
        var before = await EventCountAsync();
        var refused = await api.PostAsync($"/housing-quotas/{quotaId}/offers");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("relocation.no-free-unit", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await EventCountAsync());

        await api.OkAsync($"/relocation-cases/{cases[1]}/withdrawal", new { reason = "spouse's posting", on = "2024-08-20" });
        var offered = await api.OkAsync($"/housing-quotas/{quotaId}/offers");
        Assert.Equal((cases[0], 3), (offered.GetProperty("caseId").GetGuid(), offered.GetProperty("rank").GetInt32()));

        await api.OkAsync($"/relocation-cases/{cases[2]}/notification", new { on = "2024-08-21" });
        await api.OkAsync($"/relocation-cases/{cases[2]}/acceptance", new { on = "2024-08-22" });
        var family = await api.PostAsync($"/relocation-cases/{cases[2]}/arrival", new { arrivedOn = "2024-09-10", familyMembers = 2 });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, family.StatusCode);
        Assert.Contains("familyMembers", await family.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await api.OkAsync($"/relocation-cases/{cases[2]}/arrival", new { arrivedOn = "2024-09-10", familyMembers = 0 });
        await api.OkAsync($"/relocation-cases/{cases[2]}/completion", new { on = "2024-12-01" });
        await api.OkAsync($"/relocation-cases/{cases[0]}/notification", new { on = "2024-08-23" });
        await api.OkAsync($"/relocation-cases/{cases[0]}/deferral", new { reason = "school year", until = "2025-01-06", on = "2024-08-24" });

        var done = await api.GetAsync($"/relocation-cases/{cases[2]}");
        Assert.Equal(("Completed", "IKN-2024", 1), ((string)done["status"]!, (string)done["policyVersion"]!, (int)done["rank"]!));

        // Analytics: counts only, small ones suppressed (default minimum cell size 5).
        await app.WaitForProjectionsAsync();
        var analyst = app.ClientAs("analis-bkn", "analyst");
        var progress = (await analyst.GetFromJsonAsync<JsonElement>($"/relocation-progress?waveId={waveId}"))[0];
        Assert.Equal((2, 2, 0), (progress.GetProperty("housingUnits").GetInt32(), progress.GetProperty("unitsHeld").GetInt32(), progress.GetProperty("freeUnits").GetInt32()));
        Assert.Equal(JsonValueKind.Null, progress.GetProperty("nominated").ValueKind);
        Assert.Contains("nominated", progress.GetProperty("suppressed").EnumerateArray().Select(e => e.GetString()));
        var text = progress.GetRawText();
        Assert.DoesNotContain(s[0].ToString(), text, StringComparison.Ordinal);
        Assert.DoesNotContain(cases[0].ToString(), text, StringComparison.Ordinal);

        // An analyst decides nothing and reads no case.
        Assert.Equal(HttpStatusCode.Forbidden, (await analyst.PostAsJsonAsync($"/relocation-cases/{cases[0]}/acceptance", new { on = "2024-09-01" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await analyst.GetAsync($"/relocation-cases/{cases[0]}")).StatusCode);
    }

    [Fact]
    public async Task A_list_with_one_refused_nomination_records_nothing_and_names_the_nomination()
    {
        var (waveId, _, s) = await WaveAsync("IKN-REFUSAL");
        await api.OkAsync($"/relocation-waves/{waveId}/nominations", new { nominations = new[] { Nomination(s[0], 75m) } });
        var before = await EventCountAsync();

        var response = await api.PostAsync($"/relocation-waves/{waveId}/nominations", new { nominations = new[] { Nomination(s[1], 75m), Nomination(s[0], 75m) } });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("relocation.already-nominated", problem.GetProperty("code").GetString());
        Assert.Contains("nominations[1]", problem.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(before, await EventCountAsync());

        var invalid = await api.PostAsync($"/relocation-waves/{waveId}/nominations", new { nominations = new[] { Nomination(s[2], 75m, marital: "Lajang") } });
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal(before, await EventCountAsync());
    }
    [Fact]
    public async Task A_round_with_IKN_formations_leaves_the_announcement_only_with_5_percent_for_Kalimantan_R43()
    {
        var recruitment = new RecruitmentApi(api.Client);
        var round = await recruitment.OpenRoundAsync("CPNS-IKN-R43");
        async Task OpenAsync(string code, string category, int allocation) => await CareerApi.OkAsync(await api.PostAsync($"/rounds/{round}/formations", new
        {
            code,
            instansiCode = Instansi,
            position = "Analis Kebijakan Ahli Pertama",
            location = "IKN",
            category,
            allocation,
            educationLevel = "S1",
        }));

        await OpenAsync("IKN-UMUM", "umum", 38);
        await OpenAsync("IKN-KALTIM", "kalimantan", 1);
        var refused = await api.PostAsync($"/rounds/{round}/stage", new { to = "Registration" });
        var problem = await RecruitmentApi.ProblemOf(refused, HttpStatusCode.UnprocessableEntity);
        Assert.Equal("R43.kalimantan-share", (string)problem["code"]!);

        await OpenAsync("IKN-KALTIM-2", "kalimantan", 1);
        await recruitment.AdvanceAsync(round, "Registration");
    }
}
