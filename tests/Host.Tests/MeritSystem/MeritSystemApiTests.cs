using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Merit.MeritSystem;
using Merit.Testing;
using Xunit;

namespace Merit.Tests.MeritSystem;

/// <summary>The merit-system index (R02) and the IP ASN (R03) over HTTP, on a real PostgreSQL: commands, read models, suppression.</summary>
public class MeritSystemApiTests(MeritApp app) : IClassFixture<MeritApp>
{
    private const string Header = "nip,instansi_code,tmt_cpns,tmt_pns,rank,rank_tmt,education,position,jf_level,credit_points,superior_rank,service_exams,skp_year,skp_last,skp_previous\n";

    private static List<AspectScore> Aspects(params decimal[] scores) =>
        MeritIndexPolicies.Find("MERIT-INDEX-2018")!.Aspects.Select((a, i) => new AspectScore(a.Code, scores[i % scores.Length], [$"SK-{a.Code}/2024"])).ToList();

    [Fact]
    public async Task A_self_assessment_verified_by_the_overseer_gives_the_instansi_s_category_in_its_history_R02()
    {
        const string instansi = "MERIT-INST-01";
        var committee = app.CreateClient();
        var submitted = await committee.PostAsJsonAsync("/merit-assessments", new { instansiCode = instansi, year = 2024, policyVersion = "MERIT-INDEX-2018", aspects = Aspects(40) });
        Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
        var id = (await submitted.Content.ReadFromJsonAsync<JsonObject>())!["assessmentId"]!.GetValue<Guid>();

        // The one who submitted does not verify; the overseer does, lowering two aspects to 30: 300, III Baik.
        var self = await committee.PostAsJsonAsync($"/merit-assessments/{id}/verification", new { overseer = "BKN", aspects = Aspects(40) });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, self.StatusCode);
        using var overseer = app.ClientAs("verifikator-bkn", Merit.Security.Roles.Auditor);
        var verified = await overseer.PostAsJsonAsync($"/merit-assessments/{id}/verification", new { overseer = "BKN", aspects = Aspects(40, 40, 40, 40, 40, 40, 30, 30) });
        Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
        var view = (await verified.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal((300m, "III", "Baik"), (view["score"]!.GetValue<decimal>(), view["category"]!.GetValue<string>(), view["categoryLabel"]!.GetValue<string>()));

        await app.WaitForProjectionsAsync();
        using var analyst = app.ClientAs("analyst-1", Merit.Security.Roles.Analyst);
        var history = (await analyst.GetFromJsonAsync<JsonArray>($"/analytics/merit-index?instansi={instansi}"))!;
        var year = Assert.Single(Assert.Single(history)!["years"]!.AsArray())!;
        Assert.Equal((2024, 320m, 300m, "III"), (year["year"]!.GetValue<int>(), year["selfScore"]!.GetValue<decimal>(), year["verifiedScore"]!.GetValue<decimal>(), year["category"]!.GetValue<string>()));
    }

    [Fact]
    public async Task The_IP_ASN_of_each_civil_servant_is_counted_per_instansi_and_band_with_small_cells_suppressed_R03()
    {
        // Imported records: ujian dinas I (competence 20), no latsar on record, no sentence (discipline 100).
        // S1 with SKP Baik: 0.25 × 80 + 0.40 × 20 + 0.30 × 80 + 0.05 × 100 = 57, Sangat Rendah.
        // S2 with SKP Sangat Baik: 0.25 × 90 + 0.40 × 20 + 0.30 × 100 + 0.05 × 100 = 65.5, Rendah.
        var rows = Enumerable.Range(1, 12).Select(i =>
        {
            var nip = $"199001{i:00}2015031{i:000}";
            var (instansi, education, skp) = i switch
            {
                <= 5 => ("IPASN-A", "S1", "Baik,Baik"),
                <= 10 => ("IPASN-A", "S2", "SangatBaik,Baik"),
                _ => ("IPASN-B", "S1", "Baik,Baik"),
            };
            return $"{nip},{instansi},2015-03-01,2016-03-01,III/a,2019-04-01,{education},Pelaksana,,,III/d,I,2024,{skp}\n";
        });
        await new CareerApi(app.CreateClient()).ImportWorkforceAsync(Header + string.Concat(rows));
        await app.WaitForProjectionsAsync();

        using var analyst = app.ClientAs("analyst-1", Merit.Security.Roles.Analyst);
        var distribution = (await analyst.GetFromJsonAsync<JsonObject>("/analytics/ip-asn/distribution"))!;
        var byInstansi = distribution["rows"]!.AsArray().ToDictionary(r => r!["instansi"]!.GetValue<string>());
        var a = byInstansi["IPASN-A"]!;
        Assert.Equal(10, a["total"]!.GetValue<int>());
        Assert.Equal((5, 5, 0), (a["bands"]!["Sangat Rendah"]!.GetValue<int>(), a["bands"]!["Rendah"]!.GetValue<int>(), a["bands"]!["Sedang"]!.GetValue<int>()));

        // Two civil servants: every count of them is hidden.
        var b = byInstansi["IPASN-B"]!;
        Assert.Null(b["total"]);
        Assert.Null(b["bands"]!["Sangat Rendah"]);
        Assert.Contains("Sangat Rendah", b["suppressed"]!.AsArray().Select(n => n!.GetValue<string>()));
    }
}
