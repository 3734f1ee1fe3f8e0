using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Marten;
using Merit.Testing;
using Xunit;

namespace Merit.Tests.Recruitment;

/// <summary>
/// A small PPPK 2023 round through the same bulk paths as CPNS, over HTTP and PostgreSQL: formations and applicants,
/// the competence results file (pppk-results.csv) with a certificate bonus above its cap, the final decision
/// without SKB or cut-off, the final list, and the NI PPPK on appointment.
/// </summary>
public class PppkRoundTests(MeritApp app) : IClassFixture<MeritApp>
{
    private readonly RecruitmentApi api = new(app.CreateClient());

    private const string Formations = "formation_code,instansi_code,position,location,category,allocation,education_level\n"
        + "P-001,A5EB03E23CCCF6A0E040640A040252AD,Guru Ahli Pertama,Kupang,umum,2,S1\n"
        + "P-002,A5EB03E23CCCF6A0E040640A040252AD,Perawat Terampil,Kupang,umum,1,D3\n"
        + "P-003,A5EB03E23CCCF6A0E040640A040252AD,Penyuluh Pertanian Ahli Pertama,Kupang,umum,1,S1\n";

    // PPPK-2023 announces no registration window: each applicant's registration date comes with the file (R06).
    private const string Applicants = "registration_number,formation_code,sex,birth_date,gpa,registered_on\n"
        + "2301,P-001,F,1990-09-13,3.10,2023-10-02\n"
        + "2302,P-001,F,1990-09-13,3.20,2023-10-02\n"
        + "2303,P-001,M,1988-01-02,3.30,2023-10-03T09:15:00+08:00\n"
        + "2304,P-001,M,1989-03-04,3.40,2023-10-03\n"
        + "2305,P-001,F,1991-05-06,3.50,2023-10-04\n"
        + "2306,P-001,F,1992-07-08,3.60,2023-10-04\n"
        + "2401,P-002,F,1993-02-01,3.50,2023-10-05\n"
        + "2402,P-002,M,1993-02-01,3.20,2023-10-05\n"
        + "2501,P-003,F,1995-04-01,3.30,2023-10-06\n"
        + "2502,P-003,M,1988-04-01,3.30,2023-10-06\n";

    private const string Verification = "registration_number,result,reason\n"
        + "2301,MS,lengkap\n2302,MS,lengkap\n2303,MS,lengkap\n2304,MS,lengkap\n2305,MS,lengkap\n2306,TMS,ijazah tidak sesuai\n2401,MS,lengkap\n2402,MS,lengkap\n2501,MS,lengkap\n2502,MS,lengkap\n";

    // 2301 claims a certificate bonus of 60, capped at 45 (10% of the technical maximum 450, R21); 2303 misses the
    // managerial + socio-cultural threshold (110 < 117, R20); 2305 has no row (TH); 2401 and 2402 tie on everything but GPA;
    // 2501 and 2502 on everything but the birth date (R15: the older first).
    private const string Results = "registration_number,technical,managerial,socio_cultural,interview,certificate\n"
        + "2301,400,80,60,30,60\n"
        + "2302,420,80,60,30,\n"
        + "2303,450,60,50,35,0\n"
        + "2304,300,70,50,24,\n"
        + "2401,350,80,60,30,\n"
        + "2402,350,80,60,30,\n"
        + "2501,350,80,60,30,\n"
        + "2502,350,80,60,30,\n";

    // Every applicant: 2305 absent (TH), 2306 not qualified (TMS).
    private const string ExpectedFinal = "formation_code,rank,registration_number,skd_total,skb_score,final_score,status,sub_code,placed_in,rule_set_version\n"
        + "P-001,1,2301,615,,615.000,P/L,,,PPPK-2023\n"
        + "P-001,2,2302,590,,590.000,P/L,,,PPPK-2023\n"
        + "P-001,3,2304,444,,444.000,TL,,,PPPK-2023\n"
        + "P-001,,2303,595,,,TL,,,PPPK-2023\n"
        + "P-001,,2305,,,,TH,,,PPPK-2023\n"
        + "P-001,,2306,,,,TMS,,,PPPK-2023\n"
        + "P-002,1,2401,520,,520.000,P/L,,,PPPK-2023\n"
        + "P-002,2,2402,520,,520.000,TL,,,PPPK-2023\n"
        + "P-003,1,2502,520,,520.000,P/L,,,PPPK-2023\n"
        + "P-003,2,2501,520,,520.000,TL,,,PPPK-2023\n";

    private const string ExpectedCompetenceResults = "formation_code,rank,registration_number,technical,managerial,socio_cultural,interview,total,status,rule_set_version\n"
        + "P-001,,2301,400,80,60,30,615,P,PPPK-2023\n"
        + "P-001,,2302,420,80,60,30,590,P,PPPK-2023\n"
        + "P-001,,2303,450,60,50,35,595,TL,PPPK-2023\n"
        + "P-001,,2304,300,70,50,24,444,P,PPPK-2023\n"
        + "P-001,,2305,,,,,,TH,PPPK-2023\n"
        + "P-002,,2401,350,80,60,30,520,P,PPPK-2023\n"
        + "P-002,,2402,350,80,60,30,520,P,PPPK-2023\n"
        + "P-003,,2501,350,80,60,30,520,P,PPPK-2023\n"
        + "P-003,,2502,350,80,60,30,520,P,PPPK-2023\n";

    private async Task<HttpResponseMessage> ImportAsync(Guid round, string kind, string csv)
    {
        using var content = new MultipartFormDataContent();
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(csv));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        content.Add(file, "file", $"{kind}.csv");
        return await api.Client.PostAsync($"/rounds/{round}/imports/{kind}", content);
    }

    private async Task<JsonObject> ImportedAsync(Guid round, string kind, string csv)
    {
        var response = await ImportAsync(round, kind, csv);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonNode.Parse(body)!.AsObject();
    }

    private async Task<Guid> ApplicationIdAsync(Guid round, string registrationNumber)
    {
        await using var session = app.Store.QuerySession();
        return (await session.Query<Merit.Recruitment.Application>().SingleAsync(a => a.RoundId == round && a.RegistrationNumber == registrationNumber)).Id;
    }

    [Fact]
    public async Task A_PPPK_round_runs_from_import_to_the_final_list_and_the_NI_PPPK_on_the_CPNS_machinery()
    {
        var round = await api.OpenRoundAsync("PPPK-2023-T", "PPPK-2023");
        await ImportedAsync(round, "formations", Formations);
        await api.AdvanceAsync(round, "Registration");
        Assert.Equal(10, (int)(await ImportedAsync(round, "applicants", Applicants))["appended"]!);
        await api.AdvanceAsync(round, "AdministrativeSelection");
        await ImportedAsync(round, "verification", Verification);
        await api.AdvanceAsync(round, "AdministrativeAppeal", "Skd");

        // The CPNS SKD file does not fit this round's blueprint: refused with the line, nothing written.
        var skd = await RecruitmentApi.ProblemOf(await ImportAsync(round, "skd", "registration_number,twk,tiu,tkp\n2301,100,100,200\n"), HttpStatusCode.BadRequest);
        Assert.Equal((2, "components"), ((int)skd["lines"]![0]!["line"]!, (string?)skd["lines"]![0]!["column"]));

        var imported = await ImportedAsync(round, "competence", Results);
        Assert.Equal(9, (int)imported["appended"]!); // eight results and one absence (TH)
        var again = await ImportedAsync(round, "competence", Results);
        Assert.Equal((0, 9), ((int)again["appended"]!, (int)again["unchanged"]!));

        var toSkb = await RecruitmentApi.ProblemOf(await api.Client.PostAsJsonAsync($"/rounds/{round}/stage", new { to = "Skb" }), HttpStatusCode.UnprocessableEntity);
        Assert.Equal("round.stage-not-in-rule-set", (string)toSkb["code"]!);
        await api.AdvanceAsync(round, "Integration");
        Assert.False((await api.Client.PostAsync($"/rounds/{round}/decisions/skd-cutoff", null)).IsSuccessStatusCode);
        var decided = await api.Client.PostAsync($"/rounds/{round}/decisions/final", null);
        Assert.True(decided.IsSuccessStatusCode, await decided.Content.ReadAsStringAsync());

        Assert.Equal(ExpectedFinal, await api.Client.GetStringAsync($"/rounds/{round}/exports/final.csv"));
        Assert.Equal(ExpectedCompetenceResults, await api.Client.GetStringAsync($"/rounds/{round}/exports/skd-results"));
        var noSkb = await RecruitmentApi.ProblemOf(await api.Client.GetAsync($"/rounds/{round}/exports/skb-admission"), HttpStatusCode.UnprocessableEntity);
        Assert.Equal("export.no-skb", (string)noSkb["code"]!);

        await api.AdvanceAsync(round, "FinalAppeal", "Optimisation", "Appointment");
        var first = await ApplicationIdAsync(round, "2301");
        var second = await ApplicationIdAsync(round, "2302");
        var nip = await RecruitmentApi.ProblemOf(await api.Client.PostAsJsonAsync($"/applications/{first}/nip", new { tmtCpns = "2025-03-01" }), HttpStatusCode.UnprocessableEntity);
        Assert.Equal("nip.not-for-rule-set", (string)nip["code"]!);

        // Same birth date, sex, year and code: the second takes the next sequence (brief 5.2's example layout).
        var issued = new List<string>();
        foreach (var application in new[] { first, second })
        {
            var response = await api.Client.PostAsJsonAsync($"/applications/{application}/ni-pppk", new { appointmentYear = 2025, code = "24" });
            var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
            Assert.True(response.IsSuccessStatusCode, body.ToJsonString());
            issued.Add((string)body["niPppk"]!);
        }

        Assert.Equal(["199009132025242001", "199009132025242002"], issued);
        Assert.All(issued, n => Assert.Null(Merit.Identifiers.NiPppk.Problem(n)));
        var twice = await RecruitmentApi.ProblemOf(await api.Client.PostAsJsonAsync($"/applications/{first}/ni-pppk", new { appointmentYear = 2025, code = "24" }), HttpStatusCode.Conflict);
        Assert.Equal("ni-pppk.already-issued", (string)twice["code"]!);
        var badCode = await RecruitmentApi.ProblemOf(await api.Client.PostAsJsonAsync($"/applications/{second}/ni-pppk", new { appointmentYear = 2025, code = "2X" }), HttpStatusCode.BadRequest);
        Assert.Contains("dua digit", badCode.ToJsonString(), StringComparison.Ordinal);
    }
}
