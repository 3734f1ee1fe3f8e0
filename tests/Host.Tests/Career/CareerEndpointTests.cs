using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Marten;
using Merit.Career;
using Merit.Testing;
using Xunit;

namespace Merit.Tests.Career;

/// <summary>Career records over HTTP: the workforce file, promotion from eligibility to effect, refusals as problem details, blocks, talent mapping.</summary>
public class CareerEndpointTests(MeritApp app) : IClassFixture<MeritApp>
{
    private const string Header = "nip,instansi_code,tmt_cpns,tmt_pns,rank,rank_tmt,education,position,jf_level,credit_points,superior_rank,service_exams,skp_year,skp_last,skp_previous\n";

    private static readonly int[] SuccessionBoxes = [7, 8, 9];

    private readonly CareerApi api = new(app.CreateClient());

    /// <summary>A pelaksana with ujian dinas I, TMT CPNS from the NIP, TMT PNS a year later, SKP 2024 and 2023.</summary>
    private static string Row(string nip, string instansi, string rank, string rankTmt, string education = "S1", string skp = "Baik,Baik", string superior = "III/d")
    {
        var year = int.Parse(nip[8..12], System.Globalization.CultureInfo.InvariantCulture);
        return $"{nip},{instansi},{year}-{nip[12..14]}-01,{year + 1}-{nip[12..14]}-01,{rank},{rankTmt},{education},Pelaksana,,,{superior},I,2024,{skp}\n";
    }

    private async Task<long> EventCountAsync()
    {
        await using var session = app.Store.QuerySession();
        return await session.Events.QueryAllRawEvents().CountAsync();
    }

    [Fact]
    public async Task An_imported_civil_servant_is_promoted_from_eligibility_to_effect_and_the_backlog_counts_it()
    {
        const string instansi = "C1EB03E23CCCF6A0E040640A040252AD";
        const string nip = "198609262010041001";
        await api.ImportWorkforceAsync(Header + Row(nip, instansi, "III/a", "2021-04-01"));
        var id = await api.LookupAsync(nip);

        var eligibility = await api.GetAsync($"/civil-servants/{id}/promotion-eligibility?tmt=2025-10-01");
        Assert.True((bool)eligibility["eligible"]!);
        Assert.Equal("KP-2025-10", (string)eligibility["assessment"]!["ruleSetVersion"]!);
        Assert.All(eligibility["assessment"]!["checks"]!.AsArray(), c => Assert.True((bool)c!["met"]!));

        var proposed = await CareerApi.OkAsync(await api.PostAsync($"/civil-servants/{id}/promotions", new { tmt = "2025-10-01" }));
        Assert.Equal(("III/b", "KP-2025-10"), (proposed.GetProperty("to").GetString(), proposed.GetProperty("ruleSetVersion").GetString()));
        var proposal = proposed.GetProperty("proposalId").GetGuid();

        // The approver acts with a token of their own: its subject is the actor recorded on the event.
        await CareerApi.OkAsync(await app.ClientAs("bkn-verifikator", "bkn").PostAsJsonAsync($"/civil-servants/{id}/promotions/{proposal}/approval", new { decreeNumber = "SK-KP/2025/10/001" }));
        await api.OkAsync($"/civil-servants/{id}/promotions/{proposal}/effect");

        var record = await api.GetAsync($"/civil-servants/{id}");
        Assert.Equal(("III/b", "2025-10-01"), ((string)record["rank"]!, (string)record["rankSince"]!));
        Assert.Equal(2, record["rankHistory"]!.AsArray().Count);

        await using (var session = app.Store.QuerySession())
        {
            var events = await session.Events.FetchStreamAsync(id);
            Assert.Equal(["WorkforceRecordImported", "PromotionProposed", "PromotionApproved", "PromotionTookEffect"], events.Select(e => e.Data.GetType().Name));
            Assert.Equal("bkn-verifikator", events[2].UserName);
        }

        await app.WaitForProjectionsAsync();
        var backlog = (await api.Client.GetFromJsonAsync<JsonArray>("/promotion-backlog"))!.Single(b => (string)b!["id"]! == instansi)!;
        Assert.Equal((1, 1, 1, 0, 0), ((int)backlog["proposed"]!, (int)backlog["approved"]!, (int)backlog["tookEffect"]!, (int)backlog["awaitingApproval"]!, (int)backlog["awaitingTmt"]!));
        Assert.Equal(1, (int)backlog["tookEffectByTmt"]!["2025-10-01"]!);
        Assert.Equal(1, (int)backlog["proposedByRegime"]!["KP-2025-10"]!);
    }

    [Fact]
    public async Task Refusals_are_problem_details_naming_the_rule_and_append_nothing()
    {
        const string instansi = "C2EB03E23CCCF6A0E040640A040252AD";
        await api.ImportWorkforceAsync(Header + Row("197507072001101002", instansi, "II/b", "2023-04-01", "SLTA") + Row("198001012005011003", instansi, "II/c", "2020-04-01", "SLTA"));
        var recent = await api.LookupAsync("197507072001101002");
        var ready = await api.LookupAsync("198001012005011003");
        var before = await EventCountAsync();

        var notEligible = await RecruitmentApi.ProblemOf(await api.PostAsync($"/civil-servants/{recent}/promotions", new { tmt = "2025-10-01" }), HttpStatusCode.UnprocessableEntity);
        Assert.Equal("promotion.not-eligible", (string)notEligible["code"]!);
        Assert.Contains("years-in-rank (R28): II/b sejak 2023-04-01: 4 tahun tercapai pada 2027-04-01", (string)notEligible["detail"]!, StringComparison.Ordinal);

        var wrongDate = await RecruitmentApi.ProblemOf(await api.PostAsync($"/civil-servants/{ready}/promotions", new { tmt = "2025-09-01" }), HttpStatusCode.UnprocessableEntity);
        Assert.Equal("promotion.tmt-not-allowed", (string)wrongDate["code"]!);
        Assert.Equal("promotion.tmt-not-allowed", (string)wrongDate["rules"]!["tmt"]![0]!);

        var invalid = await RecruitmentApi.ProblemOf(await api.PostAsync($"/civil-servants/{ready}/promotions", new { tmt = "2025-13-01" }), HttpStatusCode.BadRequest);
        Assert.NotNull(invalid["errors"]!["tmt"]);

        await RecruitmentApi.ProblemOf(await api.PostAsync($"/civil-servants/{Guid.NewGuid()}/promotions", new { tmt = "2025-10-01" }), HttpStatusCode.NotFound);
        Assert.Equal(before, await EventCountAsync());

        // R46: a BKN block refuses every service command until it is lifted.
        await api.OkAsync($"/civil-servants/{ready}/blocks", new { reference = "BKN-BLK-2025-17", reason = "verifikasi data", on = "2025-09-01" });
        var blocked = await RecruitmentApi.ProblemOf(await api.PostAsync($"/civil-servants/{ready}/promotions", new { tmt = "2025-10-01" }), HttpStatusCode.UnprocessableEntity);
        Assert.Equal("career.blocked", (string)blocked["code"]!);
        await api.OkAsync($"/civil-servants/{ready}/blocks/BKN-BLK-2025-17/lifting", new { on = "2025-09-20" });
        await api.OkAsync($"/civil-servants/{ready}/promotions", new { tmt = "2025-10-01" });
    }

    [Fact]
    public async Task A_malformed_workforce_file_is_refused_with_line_numbers_and_writes_nothing()
    {
        const string instansi = "C3EB03E23CCCF6A0E040640A040252AD";
        var before = await EventCountAsync();
        var csv = Header
            + Row("198609262010041004", instansi, "III/a", "2021-04-01")
            + Row("19860926201004100", instansi, "III/a", "2021-04-01")
            + Row("198609262010041006", instansi, "III/z", "2021-04-01")
            + Row("198609262010041004", instansi, "III/a", "2021-04-01")
            + Row("198609262010041007", instansi, "III/a", "2021-04-01").Replace("2010-04-01,2011", "2010-05-01,2011", StringComparison.Ordinal);
        var problem = await RecruitmentApi.ProblemOf(await api.PostWorkforceAsync(csv), HttpStatusCode.BadRequest);
        var lines = problem["lines"]!.AsArray().Select(l => ((int)l!["line"]!, (string?)l["column"])).ToList();
        Assert.Equal([(3, "nip"), (4, "rank"), (5, "nip"), (6, "tmt_cpns")], lines);
        Assert.Equal(before, await EventCountAsync());
    }

    [Fact]
    public async Task Talent_mapping_uses_the_instansis_own_matrix_once_adopted_R39()
    {
        const string instansi = "C4EB03E23CCCF6A0E040640A040252AD";
        await api.ImportWorkforceAsync(Header + Row("198202022008012008", instansi, "III/c", "2021-04-01"));
        var id = await api.LookupAsync("198202022008012008");

        var byDefault = await api.OkAsync($"/civil-servants/{id}/talent-mapping", new { year = 2025, performance = "Above", potential = "Low", on = "2025-11-01" });
        Assert.Equal((4, "TALENT-2020", false), (byDefault.GetProperty("box").GetInt32(), byDefault.GetProperty("matrixVersion").GetString(), byDefault.GetProperty("inSuccessionBox").GetBoolean()));

        await api.OkAsync($"/talent-matrices/{instansi}", new
        {
            version = "INSTANSI-2025",
            cells = new
            {
                Above = new { Low = 7, Medium = 8, High = 9 },
                Meets = new { Low = 4, Medium = 5, High = 6 },
                Below = new { Low = 1, Medium = 2, High = 3 },
            },
            successionBoxes = SuccessionBoxes,
        });
        var own = await api.OkAsync($"/civil-servants/{id}/talent-mapping", new { year = 2025, potential = "Low", on = "2025-11-01" });
        Assert.Equal(("Meets", 4, "INSTANSI-2025"), (own.GetProperty("performance").GetString(), own.GetProperty("box").GetInt32(), own.GetProperty("matrixVersion").GetString()));

        var duplicate = await RecruitmentApi.ProblemOf(await api.PostAsync($"/talent-matrices/{instansi}", new
        {
            version = "INSTANSI-2026",
            cells = new { Above = new { Low = 7, Medium = 7, High = 9 }, Meets = new { Low = 4, Medium = 5, High = 6 }, Below = new { Low = 1, Medium = 2, High = 3 } },
            successionBoxes = SuccessionBoxes,
        }), HttpStatusCode.BadRequest);
        Assert.Equal("talent.matrix", (string)duplicate["code"]!);
    }

    [Fact]
    public async Task A_units_appraisal_is_recorded_only_with_a_distribution_its_organisation_predicate_allows_R33()
    {
        const string instansi = "C5EB03E23CCCF6A0E040640A040252AD";
        var nips = Enumerable.Range(1, 10).Select(i => $"19900101201503{(i % 2) + 1}{i:D3}").ToList();
        await api.ImportWorkforceAsync(Header + string.Concat(nips.Select(n => Row(n, instansi, "III/a", "2021-04-01"))));
        var ids = new List<Guid>();
        foreach (var nip in nips)
        {
            ids.Add(await api.LookupAsync(nip));
        }

        var before = await EventCountAsync();
        var allBaik = await RecruitmentApi.ProblemOf(
            await api.PostAsync("/performance-appraisals", new { instansiCode = instansi, unitCode = "BIRO-1", year = 2025, organisationPredicate = "Baik", ratings = ids.Select(id => new { servantId = id, predicate = "Baik" }) }),
            HttpStatusCode.UnprocessableEntity);
        Assert.Equal("skp.distribution", (string)allBaik["code"]!);
        Assert.Equal(before, await EventCountAsync());

        string[] predicates = ["SangatBaik", "SangatBaik", "Baik", "Baik", "Baik", "Baik", "Baik", "Baik", "Baik", "ButuhPerbaikan"];
        var rated = await api.OkAsync("/performance-appraisals", new { instansiCode = instansi, unitCode = "BIRO-1", year = 2025, organisationPredicate = "Baik", ratings = ids.Zip(predicates).Select(p => new { servantId = p.First, predicate = p.Second }) });
        Assert.Equal("SKP-2022", rated.GetProperty("ruleSetVersion").GetString());
        var last = await api.GetAsync($"/civil-servants/{ids[^1]}");
        Assert.Equal("ButuhPerbaikan", (string)last["predicates"]!["2025"]!);
        Assert.Equal(before + 11, await EventCountAsync());
    }

    [Fact]
    public async Task A_promotion_check_s_detail_is_in_the_request_s_language_and_the_stored_event_keeps_its_English()
    {
        const string instansi = "C9EB03E23CCCF6A0E040640A040252AD";
        await api.ImportWorkforceAsync(Header + Row("198609262010041019", instansi, "III/a", "2021-04-01"));
        var id = await api.LookupAsync("198609262010041019");

        async Task<JsonArray> ChecksAsync(string? language)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/civil-servants/{id}/promotion-eligibility?tmt=2025-10-01");
            if (language is not null)
            {
                request.Headers.AcceptLanguage.ParseAdd(language);
            }

            using var response = await api.Client.SendAsync(request);
            return (await response.Content.ReadFromJsonAsync<JsonObject>())!["assessment"]!["checks"]!.AsArray();
        }

        string Detail(JsonArray checks, string code) => (string)checks.Single(c => (string)c!["code"]! == code)!["detail"]!;
        var indonesian = await ChecksAsync("id");
        var english = await ChecksAsync("en");
        Assert.Equal(("tidak ada blokir BKN", "no BKN block"), (Detail(indonesian, "block"), Detail(english, "block")));
        Assert.Equal(("III/a sejak 2021-04-01: 4 tahun tercapai pada 2025-04-01", "III/a since 2021-04-01: 4 years reached on 2025-04-01"), (Detail(indonesian, "years-in-rank"), Detail(english, "years-in-rank")));
        Assert.Equal(Detail(indonesian, "years-in-rank"), Detail(await ChecksAsync(null), "years-in-rank"));

        // The proposal's event records the English detail with its template and values.
        await CareerApi.OkAsync(await api.PostAsync($"/civil-servants/{id}/promotions", new { tmt = "2025-10-01" }));
        await using var session = app.Store.QuerySession();
        var proposed = (PromotionProposed)(await session.Events.FetchStreamAsync(id))[^1].Data;
        var years = proposed.Checks.Single(c => c.Code == "years-in-rank");
        Assert.Equal(("III/a since 2021-04-01: 4 years reached on 2025-04-01", "{0} since {1}: {2} years reached on {3}"), (years.Detail, years.Template));
        Assert.Equal(["III/a", "2021-04-01", "4", "2025-04-01"], years.Values!);
    }
}
