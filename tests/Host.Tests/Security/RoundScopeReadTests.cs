using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Merit.Testing;
using Xunit;

namespace Merit.Tests.Security;

/// <summary>A committee token's round scope limits what it reads as it limits what it decides; auditors read every round.</summary>
public class RoundScopeReadTests(MeritApp app) : IClassFixture<MeritApp>
{
    [Fact]
    public async Task A_committee_member_reads_the_cases_exports_and_explanations_of_their_round_only()
    {
        var a = await DecidedRoundAsync("CPNS-2024-READ-A", "3171010101900071");
        var b = await DecidedRoundAsync("CPNS-2024-READ-B", "3171010101900072");
        await app.WaitForProjectionsAsync();
        var panitia = app.ScopedClientAs("panitia-a", ["CPNS-2024-READ-A"], "committee");

        foreach (var path in Reads(b).Append($"/rounds/{b.Round}/announcements/skd-results/X/pdf").Append($"/applications/{b.Application}/personal-data"))
        {
            var response = await panitia.GetAsync(path);
            var problem = await RecruitmentApi.ProblemOf(response, HttpStatusCode.Forbidden);
            Assert.Equal("scope.round", (string)problem["code"]!);
            Assert.Contains("CPNS-2024-READ-B", (string)problem["detail"]!, StringComparison.Ordinal);
        }

        foreach (var path in Reads(a))
        {
            var response = await panitia.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        var auditor = app.ScopedClientAs("auditor-bpk", ["CPNS-2024-READ-A"], "auditor");
        foreach (var path in Reads(b))
        {
            Assert.Equal(HttpStatusCode.OK, (await auditor.GetAsync(path)).StatusCode);
        }
    }

    private static IEnumerable<string> Reads((Guid Round, Guid Formation, Guid Application, Guid Decision) c) =>
    [
        $"/rounds/{c.Round}",
        $"/rounds/{c.Round}/formations",
        $"/formations/{c.Formation}/summary",
        $"/formations/{c.Formation}/decisions",
        $"/applications/{c.Application}",
        $"/rounds/{c.Round}/exports/skd-results",
        $"/decisions/{c.Decision}/explanation",
    ];

    /// <summary>A round in stage Skb with one applicant and its formation's SKD cut-off decided.</summary>
    private async Task<(Guid Round, Guid Formation, Guid Application, Guid Decision)> DecidedRoundAsync(string code, string nik)
    {
        var api = new RecruitmentApi(app.CreateClient());
        var (round, formation, application) = await api.ApplicantReadyForSkdAsync(code, nik);
        (await api.RecordSkdAsync(application, 100, 100, 200)).EnsureSuccessStatusCode();
        await api.AdvanceAsync(round, "Skb");
        (await api.Client.PostAsync($"/formations/{formation}/skd-cutoff", null)).EnsureSuccessStatusCode();
        var decisions = (await api.Client.GetFromJsonAsync<JsonArray>($"/formations/{formation}/decisions"))!;
        return (round, formation, application, (Guid)decisions.Single()!["decisionId"]!);
    }
}
