using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Merit.Recruitment.Files;
using Merit.Testing;
using Merit.Tests.Analytics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Merit.Tests.Recruitment;

/// <summary>The Host with its clock set to <paramref name="now"/> (and running on from there), on a database of its own.</summary>
public abstract class ClockedApp(DateTimeOffset now) : MeritApp
{
    private readonly OffsetClock clock = Started(now);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(clock));
    }

    private static OffsetClock Started(DateTimeOffset now)
    {
        var clock = new OffsetClock();
        clock.Advance(now - TimeProvider.System.GetUtcNow());
        return clock;
    }
}

/// <summary>Inside the CPNS-2024 registration window (20 Aug – 10 Sep 2024, brief 2.2).</summary>
public sealed class ClockInsideTheWindow() : ClockedApp(new DateTimeOffset(2024, 9, 5, 10, 0, 0, TimeSpan.FromHours(7)));

/// <summary>Two years after the round, when a committee imports it to re-run or audit it.</summary>
public sealed class ClockYearsLater() : ClockedApp(new DateTimeOffset(2026, 12, 7, 10, 0, 0, TimeSpan.FromHours(7)));

/// <summary>
/// A round run from its files — registered_on in every form a file gives it, applicants 35 on the day they applied and
/// older by the time the files are imported — once with the clock inside the registration window and once two years
/// later: every published list is the same bytes, and is the independently computed one (R06: the day the person
/// applied decides, never the clock at import).
/// </summary>
public class RoundFromFilesTests(ClockInsideTheWindow inside, ClockYearsLater later) : IClassFixture<ClockInsideTheWindow>, IClassFixture<ClockYearsLater>
{
    private static GeneratedRound Generate() => new(formations: 30, applicants: 1_200, seed: 2026, registeredOn: true);

    private static async Task<(GeneratedRound Round, Dictionary<string, string> Lists)> RunAsync(MeritApp app)
    {
        var generated = Generate();
        var api = new RecruitmentApi(app.CreateClient());
        var round = await api.OpenRoundAsync("CPNS-2024-FILES");
        await api.ImportAsync(round, "formations", generated.FormationsCsv());
        await api.AdvanceAsync(round, "Registration");
        var registered = await api.ImportAsync(round, "applicants", generated.ApplicantsCsv());
        Assert.Equal(generated.Applicants.Count, registered.GetProperty("appended").GetInt32());
        await api.AdvanceAsync(round, "AdministrativeSelection");
        await api.ImportAsync(round, "verification", generated.VerificationCsv());
        await api.AdvanceAsync(round, "AdministrativeAppeal", "Skd");
        await api.ImportAsync(round, "skd", generated.SkdCsv());
        await api.AdvanceAsync(round, "Skb");
        await api.DecideAsync(round, "skd-cutoff");
        generated.ScoreSkb(generated.Admitted(), seed: 27);
        await api.ImportAsync(round, "skb", generated.SkbCsv());
        await api.AdvanceAsync(round, "Integration");
        await api.DecideAsync(round, "final");

        var lists = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in PublishedLists.Names)
        {
            lists[name] = await api.Client.GetStringAsync($"/rounds/{round}/exports/{name}.csv");
        }

        return (generated, lists);
    }

    [Fact]
    public async Task A_round_run_from_its_files_years_after_its_dates_publishes_the_same_bytes_as_inside_its_window_R06()
    {
        var (generated, during) = await RunAsync(inside);
        var (_, after) = await RunAsync(later);

        foreach (var name in PublishedLists.Names)
        {
            Assert.Equal(during[name], after[name]);
        }

        Assert.Equal(generated.ExpectedAdministrativeCsv(), during["administrative"]);
        Assert.Equal(generated.ExpectedSkdResultsCsv(), during["skd-results"]);
        Assert.Equal(generated.ExpectedSkbAdmissionCsv(), during["skb-admission"]);
        Assert.Equal(generated.ExpectedFinalCsv(), during["final"]);

        // Without appeals the list after them is the first one with an empty appeal column.
        Assert.Equal(
            during["administrative"].Split('\n').Skip(1).Select(l => l.Length == 0 ? l : string.Join(',', l.Split(',').Take(3).Append("").Concat(l.Split(',').Skip(3)))),
            during["administrative-after-appeals"].Split('\n').Skip(1));
        Assert.Equal(generated.Applicants.Count + 2, during["final"].Split('\n').Length);
    }

    [Fact]
    public async Task Formations_carry_their_position_kind_and_the_age_limit_follows_it_in_a_file_R06()
    {
        var api = new RecruitmentApi(later.CreateClient());
        var round = await api.OpenRoundAsync("CPNS-2024-KIND");
        await api.ImportAsync(round, "formations", "formation_code,instansi_code,position,location,category,allocation,education_level,position_kind\n"
            + "SPOG,A5EB03E23CCCF6A0E040640A040252AD,Dokter Spesialis Obstetri,Kupang,umum,1,S2,dokter_spesialis\n"
            + "ANALIS,A5EB03E23CCCF6A0E040640A040252AD,Analis Kebijakan Ahli Pertama,Kupang,umum,1,S1,\n");
        await api.AdvanceAsync(round, "Registration");

        // 39 on 1 September 2024: within 40 for the specialist's formation, over 35 for the analyst's.
        const string Header = "registration_number,formation_code,sex,birth_date,gpa,education_level,registered_on\n";
        var refused = await RecruitmentApi.ProblemOf(await api.SendImportAsync(round, "applicants", Header
            + "K1,SPOG,F,1985-06-01,3.40,S2,2024-09-01\n"
            + "K2,ANALIS,F,1985-06-01,3.40,S1,2024-09-01\n"
            + "K3,ANALIS,M,1998-01-01,3.10,D3,2024-09-01\n"
            + "K4,ANALIS,M,1998-01-01,3.10,S1,2024-09-01 10:00\n"
            + "K5,ANALIS,M,1998-01-01,3.10,S1,2024-09-11T00:30:00+07:00\n"), HttpStatusCode.BadRequest);
        Assert.Equal(
            [(3, "birth_date"), (4, "education_level"), (5, "registered_on"), (6, "registered_on")],
            refused["lines"]!.AsArray().Select(l => ((int)l!["line"]!, (string)l["column"]!)));
        Assert.Contains("dihitung pada 2024-09-01 (WIB)", (string)refused["lines"]![0]!["message"]!, StringComparison.Ordinal);

        var accepted = await api.ImportAsync(round, "applicants", Header + "K1,SPOG,F,1985-06-01,3.40,S2,2024-09-01\n");
        Assert.Equal(1, accepted.GetProperty("appended").GetInt32());
        var kase = (await api.Client.GetFromJsonAsync<JsonObject>($"/applications/{Merit.Recruitment.ApplicationDecisions.IdFor(round, "K1")}"))!;
        Assert.Equal(("2024-09-01", "Given", "CPNS-2024"), ((string)kase["appliedOn"]!, (string)kase["appliedOnSource"]!, (string)kase["registrationRuleSetVersion"]!));
    }
}
