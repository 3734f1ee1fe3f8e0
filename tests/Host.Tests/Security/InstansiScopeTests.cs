using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Marten;
using Merit.Testing;
using Xunit;

namespace Merit.Tests.Security;

/// <summary>A token's instansi scope limits the career, JPT and relocation cases it acts on and reads; auditors read every instansi.</summary>
public class InstansiScopeTests(MeritApp app) : IClassFixture<MeritApp>
{
    private const string Mine = "A1EB03E23CCCF6A0E040640A040252AD";
    private const string Other = "B1EB03E23CCCF6A0E040640A040252AD";
    private const string Header = "nip,instansi_code,tmt_cpns,tmt_pns,rank,rank_tmt,education,position,jf_level,credit_points,superior_rank,service_exams,skp_year,skp_last,skp_previous\n";

    private static string Row(string nip, string instansi) =>
        $"{nip},{instansi},2010-04-01,2011-04-01,III/a,2021-04-01,S1,Pelaksana,,,III/d,I,2024,Baik,Baik\n";

    [Fact]
    public async Task A_token_acts_on_and_reads_the_career_records_of_its_instansi_only()
    {
        var api = new CareerApi(app.CreateClient());
        await api.ImportWorkforceAsync(Header + Row("198609262010041011", Mine) + Row("198609262010041012", Other));
        var mine = await api.LookupAsync("198609262010041011");
        var other = await api.LookupAsync("198609262010041012");
        var bkd = app.InstansiClientAs("bkd-a", [Mine], "committee");
        var before = await EventCountAsync();

        var refused = await RecruitmentApi.ProblemOf(await bkd.PostAsJsonAsync($"/civil-servants/{other}/promotions", new { tmt = "2025-10-01" }), HttpStatusCode.Forbidden);
        Assert.Equal(("scope.instansi", true), ((string)refused["code"]!, ((string)refused["detail"]!).Contains(Other, StringComparison.Ordinal)));
        Assert.Equal(before, await EventCountAsync());
        foreach (var path in new[] { $"/civil-servants/{other}", $"/civil-servants/{other}/promotion-eligibility?tmt=2025-10-01", "/promotion-periods/2025-10-01", $"/promotion-periods/2025-10-01?instansiCode={Other}" })
        {
            Assert.Equal("scope.instansi", (string)(await RecruitmentApi.ProblemOf(await bkd.GetAsync(path), HttpStatusCode.Forbidden))["code"]!);
        }

        (await bkd.PostAsJsonAsync($"/civil-servants/{mine}/promotions", new { tmt = "2025-10-01" })).EnsureSuccessStatusCode();
        foreach (var path in new[] { $"/civil-servants/{mine}", $"/civil-servants/{mine}/promotion-eligibility?tmt=2025-10-01", $"/promotion-periods/2025-10-01?instansiCode={Mine}" })
        {
            Assert.Equal(HttpStatusCode.OK, (await bkd.GetAsync(path)).StatusCode);
        }

        var auditor = app.InstansiClientAs("auditor-bpk", [Mine], "auditor");
        Assert.Equal(HttpStatusCode.OK, (await auditor.GetAsync($"/civil-servants/{other}")).StatusCode);

        // The backlog lists the instansi of the scope: the other instansi's proposal is counted, but not shown to this token.
        (await api.PostAsync($"/civil-servants/{other}/promotions", new { tmt = "2025-10-01" })).EnsureSuccessStatusCode();
        await app.WaitForProjectionsAsync();
        Assert.Equal([Mine], await BacklogAsync(bkd));
        Assert.Equal([Mine, Other], await BacklogAsync(auditor));
    }

    private static async Task<List<string>> BacklogAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<System.Text.Json.Nodes.JsonArray>("/promotion-backlog"))!.Select(b => (string)b!["id"]!).ToList();

    [Fact]
    public async Task A_token_announces_and_reads_the_JPT_selections_of_its_instansi_only()
    {
        var pansel = app.InstansiClientAs("panitia-a", [Mine], "committee");
        var before = await EventCountAsync();

        var refused = await RecruitmentApi.ProblemOf(await pansel.PostAsJsonAsync("/jpt-selections", Selection("JPT-SCOPE-B", Other)), HttpStatusCode.Forbidden);
        Assert.Equal("scope.instansi", (string)refused["code"]!);
        Assert.Equal(before, await EventCountAsync());

        var admin = new CareerApi(app.CreateClient());
        var theirs = (await admin.OkAsync("/jpt-selections", Selection("JPT-SCOPE-B2", Other))).GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.Forbidden, (await pansel.GetAsync($"/jpt-selections/{theirs}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await pansel.PostAsync($"/jpt-selections/{theirs}/extensions", null)).StatusCode);

        var created = await pansel.PostAsJsonAsync("/jpt-selections", Selection("JPT-SCOPE-A", Mine));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await pansel.GetAsync(created.Headers.Location)).StatusCode);
    }

    [Fact]
    public async Task A_workforce_file_with_a_row_outside_the_token_s_instansi_is_refused_whole()
    {
        var bkd = new CareerApi(app.InstansiClientAs("bkd-a", [Mine], "committee"));
        var before = await EventCountAsync();

        // One row of the other instansi refuses the file: its own rows are not written either.
        var refused = await RecruitmentApi.ProblemOf(await bkd.PostWorkforceAsync(Header + Row("198609262010041021", Mine) + Row("198609262010041022", Other)), HttpStatusCode.Forbidden);
        Assert.Equal(("scope.instansi", true), ((string)refused["code"]!, ((string)refused["detail"]!).Contains(Other, StringComparison.Ordinal)));
        Assert.Equal(before, await EventCountAsync());

        // A row of its own instansi may not take over the record of a civil servant of another.
        await new CareerApi(app.CreateClient()).ImportWorkforceAsync(Header + Row("198609262010041023", Other));
        before = await EventCountAsync();
        var takeover = await RecruitmentApi.ProblemOf(await bkd.PostWorkforceAsync(Header + Row("198609262010041023", Mine)), HttpStatusCode.Forbidden);
        Assert.Equal("scope.instansi", (string)takeover["code"]!);
        Assert.Equal(before, await EventCountAsync());

        var imported = await bkd.ImportWorkforceAsync(Header + Row("198609262010041021", Mine));
        Assert.Equal(1, (int)imported["appended"]!);
    }

    [Fact]
    public async Task A_relocation_wave_shows_the_token_its_own_instansi_and_is_refused_with_none()
    {
        var admin = new CareerApi(app.CreateClient());
        var both = (await admin.OkAsync("/relocation-waves", Wave("IKN-SCOPE-1", Mine, Other))).GetProperty("id").GetGuid();
        var theirs = (await admin.OkAsync("/relocation-waves", Wave("IKN-SCOPE-2", Other))).GetProperty("id").GetGuid();
        var bkd = app.InstansiClientAs("bkd-a", [Mine], "committee");

        var refused = await RecruitmentApi.ProblemOf(await bkd.GetAsync($"/relocation-waves/{theirs}"), HttpStatusCode.Forbidden);
        Assert.Equal(("scope.instansi", false), ((string)refused["code"]!, refused.ToJsonString().Contains("E1-", StringComparison.Ordinal)));

        var seen = await bkd.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>($"/relocation-waves/{both}");
        Assert.Equal([Mine], seen!["instansi"]!.AsArray().Select(i => (string)i!["instansiCode"]!).ToList());
        var audited = await app.InstansiClientAs("auditor-bpk", [Mine], "auditor").GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>($"/relocation-waves/{both}");
        Assert.Equal([Mine, Other], audited!["instansi"]!.AsArray().Select(i => (string)i!["instansiCode"]!).ToList());
    }

    private static object Wave(string code, params string[] instansi) => new
    {
        programme = "IKN",
        code,
        number = 1,
        startsOn = "2024-09-02",
        policyVersion = "IKN-2024",
        instansi = instansi.Select(i => new { instansiCode = i, units = new[] { "E1-" + i[..4] }, housingUnits = 2 }).ToArray(),
    };

    [Fact]
    public async Task A_talent_matrix_is_read_for_an_instansi_of_the_token_only()
    {
        var bkd = app.InstansiClientAs("bkd-a", [Mine], "committee");

        var refused = await RecruitmentApi.ProblemOf(await bkd.GetAsync($"/talent-matrices/{Other}"), HttpStatusCode.Forbidden);
        Assert.Equal("scope.instansi", (string)refused["code"]!);
        Assert.False(refused.ContainsKey("matrix"));
        Assert.Equal(HttpStatusCode.OK, (await bkd.GetAsync($"/talent-matrices/{Mine}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.InstansiClientAs("auditor-bpk", [Mine], "auditor").GetAsync($"/talent-matrices/{Other}")).StatusCode);
    }

    private static object Selection(string code, string instansi) => new
    {
        code,
        instansiCode = instansi,
        position = "Kepala Dinas Pendidikan",
        level = "Pratama",
        registrationCloses = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(14).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        minimumRank = (string?)null,
    };

    private async Task<long> EventCountAsync()
    {
        await using var session = app.Store.QuerySession();
        return await session.Events.QueryAllRawEvents().CountAsync();
    }
}
