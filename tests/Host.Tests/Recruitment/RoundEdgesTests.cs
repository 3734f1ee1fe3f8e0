using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Merit.Recruitment;
using Merit.Recruitment.Files;
using Merit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Merit.Tests.Recruitment;

/// <summary>
/// The edges of a round over HTTP and PostgreSQL: the application date and the round's zone (R06), DIS, a tie Panselnas
/// resolves (R16), optimisation proposed and approved (R17), a withdrawal (APS), NIPs recorded elsewhere (R23) and the
/// R24 finding, an accepted final appeal that reopens and re-announces (R07) — each seen in the case and the final list.
/// </summary>
public class RoundEdgesTests(MeritApp app) : IClassFixture<MeritApp>
{
    private readonly RecruitmentApi api = new(app.CreateClient());

    private static Guid Id(Guid round, string number) => ApplicationDecisions.IdFor(round, number);

    private static async Task<JsonObject> OkAsync(Task<HttpResponseMessage> request)
    {
        var response = await request;
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    private Task<JsonObject> CaseAsync(Guid applicationId) => api.Client.GetFromJsonAsync<JsonObject>($"/applications/{applicationId}")!;

    /// <summary>The final list's line of each applicant, by registration number, without the formation code.</summary>
    private async Task<Dictionary<string, string>> FinalAsync(Guid round) =>
        (await api.Client.GetStringAsync($"/rounds/{round}/exports/final"))
            .Split('\n').Skip(1).Where(l => l.Length > 0)
            .ToDictionary(l => l.Split(',')[2], l => string.Join(',', l.Split(',').Skip(3)), StringComparer.Ordinal);

    [Fact]
    public async Task A_registration_over_HTTP_is_judged_on_its_date_in_the_rounds_own_zone_and_window_R06()
    {
        var round = await OkAsync(api.Client.PostAsJsonAsync("/rounds", new
        {
            code = "CPNS-2024-WITA",
            name = "CPNS 2024 Samarinda",
            ruleSetVersion = "CPNS-2024",
            timeZone = "WITA",
            registrationOpens = "2024-09-01",
            registrationCloses = "2024-09-21",
        }));
        var roundId = (Guid)round["id"]!;
        var formation = await api.OpenFormationAsync(roundId, "F-001");
        await api.AdvanceAsync(roundId, "Registration");

        async Task<HttpResponseMessage> RegisterAsync(string number, string birthDate, string? registeredOn) =>
            await api.Client.PostAsJsonAsync($"/rounds/{roundId}/applications", new { formationId = formation, registrationNumber = number, nik = (string?)null, fullName = "A", birthDate, sex = "F", educationLevel = "S1", gpa = 3.2m, registeredOn });

        // 22:30 WIB on 21 September is 23:30 WITA the same day: inside the window; 23:30 WIB is already the 22nd in WITA.
        await OkAsync(RegisterAsync("W1", "1990-01-01", "2024-09-21T22:30:00+07:00"));
        var late = await RecruitmentApi.ProblemOf(await RegisterAsync("W2", "1990-01-01", "2024-09-21T23:30:00+07:00"), HttpStatusCode.UnprocessableEntity);
        Assert.Equal("application.outside-registration-window", (string)late["code"]!);

        // Without a date: the window's last day, 21 September — 36 for one born on 21 September 1988, 35 for the 22nd.
        Assert.Equal("application.age-limit", (string)(await RecruitmentApi.ProblemOf(await RegisterAsync("W3", "1988-09-21", null), HttpStatusCode.UnprocessableEntity))["code"]!);
        await OkAsync(RegisterAsync("W4", "1988-09-22", null));
        var w4 = await CaseAsync(Id(roundId, "W4"));
        Assert.Equal(("2024-09-21", "RegistrationWindowClose"), ((string)w4["appliedOn"]!, (string)w4["appliedOnSource"]!));

        var malformed = await RecruitmentApi.ProblemOf(await RegisterAsync("W5", "1990-01-01", "2024-09-10T01:00"), HttpStatusCode.BadRequest);
        Assert.Contains("registeredOn", malformed.ToJsonString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task DIS_a_Panselnas_tie_optimisation_APS_and_the_NIP_reach_the_case_and_the_final_list()
    {
        var round = await api.OpenRoundAsync("CPNS-2024-EDGES");
        await api.ImportAsync(round, "formations", "formation_code,instansi_code,position,location,category,allocation,education_level\n"
            + "A,I-1,Analis Kebijakan Ahli Pertama,Jakarta,umum,1,S1\n"
            + "B,I-1,Analis Kebijakan Ahli Pertama,Bandung,umum,2,S1\n");
        await api.AdvanceAsync(round, "Registration");

        // A1 and A2 are equal on every criterion, birth date and GPA included; B1's NIK tells another birth day (R24).
        await api.ImportAsync(round, "applicants", "registration_number,formation_code,sex,birth_date,gpa,nik,registered_on\n"
            + "A1,A,M,1996-05-05,3.40,,2024-08-25\n"
            + "A2,A,M,1996-05-05,3.40,3171010505960002,2024-08-26\n"
            + "A3,A,F,1997-01-01,3.10,,2024-08-27\n"
            + "A4,A,F,1997-01-02,3.20,,2024-08-27\n"
            + "B1,B,F,1995-03-14,3.60,3171015503950001,2024-09-10T01:00:00+07:00\n"
            + "B2,B,M,1995-06-01,3.00,,\n"
            + "B3,B,M,1995-07-01,3.00,,\n");
        await api.AdvanceAsync(round, "AdministrativeSelection");
        await api.ImportAsync(round, "verification", "registration_number,result,reason\nA1,MS,lengkap\nA2,MS,lengkap\nA3,MS,lengkap\nA4,MS,lengkap\nB1,MS,lengkap\nB2,MS,lengkap\nB3,TMS,ijazah tidak sesuai\n");
        await api.AdvanceAsync(round, "AdministrativeAppeal", "Skd");

        await OkAsync(api.Client.PostAsJsonAsync($"/applications/{Id(round, "A4")}/disqualification", new { reason = "joki pada SKD", evidenceReference = "BA-CAT-2024-117" }));
        await api.ImportAsync(round, "skd", "registration_number,twk,tiu,tkp\nA1,100,100,180\nA2,100,100,180\nA3,90,90,170\nB1,110,110,190\nB2,100,100,170\n");
        await api.AdvanceAsync(round, "Skb");
        await api.DecideAsync(round, "skd-cutoff");
        await api.ImportAsync(round, "skb", "registration_number,skb_score\nA1,80.00\nA2,80.00\nA3,60.00\nB1,90.00\n");
        await api.AdvanceAsync(round, "Integration");
        await api.DecideAsync(round, "final");

        var beforeTie = await FinalAsync(round);
        Assert.Equal(",,,DIS,,,CPNS-2024", beforeTie["A4"]);
        Assert.Equal("380,80.00,75.636,TL,,,CPNS-2024", beforeTie["A1"]);
        Assert.Equal(",,,TMS,,,CPNS-2024", beforeTie["B3"]);
        Assert.Equal("370,,,TH,,,CPNS-2024", beforeTie["B2"]);

        var formationA = FormationDecisions.IdFor(round, "A");
        var formationB = FormationDecisions.IdFor(round, "B");
        await OkAsync(api.Client.PostAsJsonAsync($"/formations/{formationA}/tie-resolution", new { chosen = new[] { Id(round, "A2") }, reason = "klarifikasi dokumen" }));
        Assert.Equal("P/L", (string)(await CaseAsync(Id(round, "A2")))["final"]!["code"]!);

        await api.AdvanceAsync(round, "FinalAppeal", "Optimisation");

        // B has a vacancy (B2 absent). A1 outranks A3 in the pool; Bandung is another location: U-3.
        var notBest = await RecruitmentApi.ProblemOf(await api.Client.PostAsJsonAsync($"/formations/{formationB}/optimisation-proposals", new { applicationId = Id(round, "A3"), reason = "usul" }), HttpStatusCode.UnprocessableEntity);
        Assert.Equal("optimisation.not-best-ranked", (string)notBest["code"]!);
        await OkAsync(api.Client.PostAsJsonAsync($"/formations/{formationB}/optimisation-proposals", new { applicationId = Id(round, "A1"), reason = "usul PPK" }));
        Assert.Equal("ProposedForOptimisation", (string)(await CaseAsync(Id(round, "A1")))["status"]!);
        await OkAsync(api.Client.PostAsJsonAsync($"/formations/{formationB}/optimisation-proposals/{Id(round, "A1")}/decision", new { approve = true, reason = "disetujui Panselnas" }));
        await OkAsync(api.Client.PostAsJsonAsync($"/applications/{Id(round, "A2")}/withdrawal", new { reason = "diterima di tempat lain" }));

        await api.AdvanceAsync(round, "Appointment");

        // A NIP already issued elsewhere for B1's first 15 digits (born 1995-03-14, TMT 2025-03, female): sequence 003.
        await using (var file = new MemoryStream("nip\n199503142025032003\n"u8.ToArray()))
        {
            Assert.True((await app.Services.GetRequiredService<RecruitmentImports>().KnownNipsAsync(file, "tests", null, CancellationToken.None)).Succeeded);
        }

        var issued = await OkAsync(api.Client.PostAsJsonAsync($"/applications/{Id(round, "B1")}/nip", new { tmtCpns = "2025-03-01" }));
        Assert.Equal("199503142025032004", (string)issued["nip"]!);

        var b1 = await CaseAsync(Id(round, "B1"));
        Assert.Equal("NipIssued", (string)b1["status"]!);
        Assert.Equal(("NIP", 2025, 3, 4), ((string)b1["appointment"]!["number"]!, (int)b1["appointment"]!["year"]!, (int)b1["appointment"]!["month"]!, (int)b1["appointment"]!["sequence"]!));
        Assert.Contains("day", (string)b1["identityFindings"]![0]!, StringComparison.Ordinal);
        Assert.Equal(("2024-09-10", "GivenInstant"), ((string)b1["appliedOn"]!, (string)b1["appliedOnSource"]!));
        Assert.Equal(("MS", true), ((string)b1["administrative"]!, (bool)b1["skd"]!["thresholdMet"]!));
        Assert.Equal(("Admitted", 90.00m, "P/L"), ((string)b1["cutOff"]!["outcome"]!, (decimal)b1["skb"]!["score"]!, (string)b1["final"]!["code"]!));

        var final = await FinalAsync(round);
        Assert.Equal("380,80.00,75.636,P/L-2,U-3,B,CPNS-2024", final["A1"]);
        Assert.EndsWith(",APS,,,CPNS-2024", final["A2"], StringComparison.Ordinal);
        Assert.EndsWith(",P/L,,,CPNS-2024", final["B1"], StringComparison.Ordinal);
        Assert.Equal(",,,DIS,,,CPNS-2024", final["A4"]);

        // R18: A2 withdrew after passing; registering in another round of the ban's years is refused over HTTP as in an import.
        var next = await api.OpenRoundAsync("CPNS-2024-EDGES-LATER");
        var later = await api.OpenFormationAsync(next, "L");
        await api.AdvanceAsync(next, "Registration");
        var barred = await RecruitmentApi.ProblemOf(await api.Client.PostAsJsonAsync($"/rounds/{next}/applications", new { formationId = later, registrationNumber = "L1", nik = "3171010505960002", fullName = "A", birthDate = "1996-05-05", sex = "M", educationLevel = "S1", gpa = 3.4m }), HttpStatusCode.UnprocessableEntity);
        Assert.Equal("application.withdrawal-ban", (string)barred["code"]!);
        await OkAsync(api.Client.PostAsJsonAsync($"/rounds/{next}/applications", new { formationId = later, registrationNumber = "L2", nik = "3171014107000003", fullName = "B", birthDate = "2000-07-01", sex = "F", educationLevel = "S1", gpa = 3.6m }));
    }

    [Fact]
    public async Task An_accepted_final_appeal_reopens_the_formation_which_is_corrected_and_reannounced_before_the_round_moves_on_R07()
    {
        var round = await api.OpenRoundAsync("CPNS-2024-SANGGAH");
        await api.ImportAsync(round, "formations", "formation_code,instansi_code,position,location,category,allocation,education_level\nF,I-1,Analis Kebijakan Ahli Pertama,Jakarta,umum,1,S1\n");
        await api.AdvanceAsync(round, "Registration");
        await api.ImportAsync(round, "applicants", "registration_number,formation_code,sex,birth_date,gpa\nW,F,F,1996-01-01,3.00\nL,F,M,1996-02-02,3.00\n");
        await api.AdvanceAsync(round, "AdministrativeSelection");
        await api.ImportAsync(round, "verification", "registration_number,result,reason\nW,MS,lengkap\nL,MS,lengkap\n");
        await api.AdvanceAsync(round, "AdministrativeAppeal", "Skd");
        await api.ImportAsync(round, "skd", "registration_number,twk,tiu,tkp\nW,100,100,180\nL,100,100,180\n");
        await api.AdvanceAsync(round, "Skb");
        await api.DecideAsync(round, "skd-cutoff");

        // The instansi keyed L's SKB as 70.00 instead of 95.00.
        await api.ImportAsync(round, "skb", "registration_number,skb_score\nW,90.00\nL,70.00\n");
        await api.AdvanceAsync(round, "Integration");
        await api.DecideAsync(round, "final");
        await api.AdvanceAsync(round, "FinalAppeal");

        var loser = Id(round, "L");
        await OkAsync(api.Client.PostAsJsonAsync($"/applications/{loser}/appeals", new { window = "Final", grounds = "nilai SKB salah input", includesNewDocuments = false }));
        await OkAsync(api.Client.PostAsJsonAsync($"/applications/{loser}/appeals/answer", new { window = "Final", accept = true, faultOfInstansi = true, reason = "salah input oleh instansi" }));

        var stuck = await RecruitmentApi.ProblemOf(await api.Client.PostAsJsonAsync($"/rounds/{round}/stage", new { to = "Optimisation" }), HttpStatusCode.Conflict);
        Assert.Equal("appeal.final-not-reannounced", (string)stuck["code"]!);

        await OkAsync(api.Client.PostAsJsonAsync($"/applications/{loser}/skb-result", new { score = 95.00m }));
        await api.DecideAsync(round, "final");
        var final = await FinalAsync(round);
        Assert.EndsWith(",P/L,,,CPNS-2024", final["L"], StringComparison.Ordinal);
        Assert.EndsWith(",TL,,,CPNS-2024", final["W"], StringComparison.Ordinal);
        await api.AdvanceAsync(round, "Optimisation");
    }
}
