using System.Text.Json.Nodes;
using JasperFx.Events.Daemon;
using Marten;
using Merit.Projections.Recruitment;
using Merit.Testing;
using Xunit;

namespace Merit.Tests.Recruitment;

/// <summary>
/// A generated round of 300 formations and 10,000 applicants through the product's own bulk paths — CSV imports
/// over HTTP, round-wide decisions, CSV exports — checked against an independent computation of the regulation.
/// </summary>
[RunsLong]
public class GeneratedRoundTests(MeritApp app) : IClassFixture<MeritApp>
{
    private readonly RecruitmentApi api = new(app.CreateClient());

    private async Task<JsonObject> ImportAsync(Guid round, string kind, string csv) => JsonNode.Parse((await api.ImportAsync(round, kind, csv)).GetRawText())!.AsObject();

    private Task DecideAsync(Guid round, string decision) => api.DecideAsync(round, decision);

    private Task<string> ExportAsync(Guid round, string list) => api.Client.GetStringAsync($"/rounds/{round}/exports/{list}");

    [Fact]
    public async Task A_generated_round_of_10000_applicants_gives_exactly_the_independently_computed_lists_and_replays_byte_for_byte()
    {
        var generated = new GeneratedRound(formations: 300, applicants: 10_000, seed: 2024);
        var round = await api.OpenRoundAsync("CPNS-2024-GEN");

        Assert.Equal(300, (int)(await ImportAsync(round, "formations", generated.FormationsCsv()))["appended"]!);
        await api.AdvanceAsync(round, "Registration");
        var applicants = await ImportAsync(round, "applicants", generated.ApplicantsCsv());
        Assert.Equal(10_000, (int)applicants["appended"]!);

        // Idempotent: the same file again appends nothing.
        var again = await ImportAsync(round, "applicants", generated.ApplicantsCsv());
        Assert.Equal((0, 10_000), ((int)again["appended"]!, (int)again["unchanged"]!));

        await api.AdvanceAsync(round, "AdministrativeSelection");
        await ImportAsync(round, "verification", generated.VerificationCsv());
        await api.AdvanceAsync(round, "AdministrativeAppeal", "Skd");
        await ImportAsync(round, "skd", generated.SkdCsv());
        Assert.Equal(0, (int)(await ImportAsync(round, "skd", generated.SkdCsv()))["appended"]!);
        await api.AdvanceAsync(round, "Skb");
        await DecideAsync(round, "skd-cutoff");

        var cutOff = await ExportAsync(round, "skb-admission");
        Assert.Equal(generated.ExpectedSkbAdmissionCsv(), cutOff);
        Assert.Equal(generated.ExpectedSkdResultsCsv(), await ExportAsync(round, "skd-results"));
        Assert.Equal(generated.ExpectedAdministrativeCsv(), await ExportAsync(round, "administrative"));

        generated.ScoreSkb(generated.Admitted(), seed: 60);
        await ImportAsync(round, "skb", generated.SkbCsv());
        await api.AdvanceAsync(round, "Integration");
        await DecideAsync(round, "final");

        var final = await ExportAsync(round, "final");
        Assert.Equal(generated.ExpectedFinalCsv(), final);

        // Replay: rebuild the read models the exports come from; the exports are the same bytes.
        using (var daemon = await app.Store.BuildProjectionDaemonAsync())
        {
            await daemon.RebuildProjectionAsync<ApplicantCaseProjection>(CancellationToken.None);
        }

        Assert.Equal(cutOff, await ExportAsync(round, "skb-admission"));
        Assert.Equal(final, await ExportAsync(round, "final"));
    }

    [Fact]
    public async Task A_small_fixed_round_publishes_the_lists_kept_as_snapshots()
    {
        var generated = new GeneratedRound(formations: 4, applicants: 60, seed: 7);
        var round = await api.OpenRoundAsync("CPNS-2024-SNAP");
        await ImportAsync(round, "formations", generated.FormationsCsv());
        await api.AdvanceAsync(round, "Registration");
        await ImportAsync(round, "applicants", generated.ApplicantsCsv());
        await api.AdvanceAsync(round, "AdministrativeSelection");
        await ImportAsync(round, "verification", generated.VerificationCsv());
        await api.AdvanceAsync(round, "AdministrativeAppeal", "Skd");
        await ImportAsync(round, "skd", generated.SkdCsv());
        await api.AdvanceAsync(round, "Skb");
        await DecideAsync(round, "skd-cutoff");
        Assert.Equal(generated.ExpectedSkbAdmissionCsv(), await ExportAsync(round, "skb-admission"));
        generated.ScoreSkb(generated.Admitted(), seed: 8);
        await ImportAsync(round, "skb", generated.SkbCsv());
        await api.AdvanceAsync(round, "Integration");
        await DecideAsync(round, "final");

        Snapshooter.Xunit.Snapshot.Match((await ExportAsync(round, "skb-admission")).Split('\n'), "small-round-skb-admission");
        Snapshooter.Xunit.Snapshot.Match((await ExportAsync(round, "final")).Split('\n'), "small-round-final");
    }

    [Fact]
    public async Task A_malformed_file_is_refused_with_line_numbers_and_writes_nothing()
    {
        var round = await api.OpenRoundAsync("CPNS-2024-BAD");
        await using var session = app.Store.QuerySession();
        var before = await session.Events.QueryAllRawEvents().CountAsync();
        const string csv = "formation_code,instansi_code,position,location,category,allocation,education_level\n"
            + "F1,I1,Analis,Jakarta,umum,2,S1\n"
            + "F2,I1,Analis,Jakarta,unknown,2,S1\n"
            + "F3,I1,Analis,Jakarta,umum,-1,S1\n"
            + "F1,I1,Analis,Jakarta,umum,2,S1\n";

        using var content = new MultipartFormDataContent { { new StringContent(csv), "file", "formations.csv" } };
        var response = await api.Client.PostAsync($"/rounds/{round}/imports/formations", content);

        var problem = await RecruitmentApi.ProblemOf(response, System.Net.HttpStatusCode.BadRequest);
        var lines = problem["lines"]!.AsArray().Select(l => ((int)l!["line"]!, (string?)l["column"])).ToList();
        Assert.Equal([(3, "category"), (4, "allocation"), (5, "formation_code")], lines);
        Assert.Equal(before, await session.Events.QueryAllRawEvents().CountAsync());
    }

    [Fact]
    public async Task Extra_columns_and_broken_quoting_are_errors_with_their_line()
    {
        var round = await api.OpenRoundAsync("CPNS-2024-BAD2");
        using var extra = new MultipartFormDataContent { { new StringContent("formation_code,instansi_code,position,location,category,allocation,education_level,color\n"), "file", "f.csv" } };
        var problem = await RecruitmentApi.ProblemOf(await api.Client.PostAsync($"/rounds/{round}/imports/formations", extra), System.Net.HttpStatusCode.BadRequest);
        Assert.Equal("color", (string)problem["lines"]![0]!["column"]!);

        using var quoting = new MultipartFormDataContent { { new StringContent("formation_code,instansi_code,position,location,category,allocation,education_level\nF1,I1,\"Analis,Jakarta,umum,2,S1\n"), "file", "f.csv" } };
        var broken = await RecruitmentApi.ProblemOf(await api.Client.PostAsync($"/rounds/{round}/imports/formations", quoting), System.Net.HttpStatusCode.BadRequest);
        Assert.Equal(2, (int)broken["lines"]![0]!["line"]!);
    }
}
