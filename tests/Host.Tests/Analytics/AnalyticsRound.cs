using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using JasperFx.CommandLine;
using Marten;
using Marten.Events;
using Merit.PersonalData;
using Merit.Recruitment;
using Merit.Testing;
using Merit.Tests.Recruitment;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit;

namespace Merit.Tests.Analytics;

/// <summary>The system clock moved forward on demand, so a round's stages can be days apart in a test that lasts seconds.</summary>
public sealed class OffsetClock : TimeProvider
{
    private long offsetTicks;

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow().AddTicks(Interlocked.Read(ref offsetTicks));

    public void Advance(TimeSpan by) => Interlocked.Add(ref offsetTicks, by.Ticks);
}

/// <summary>
/// The Host on a database of its own (as <see cref="MeritApp"/>) with an <see cref="OffsetClock"/>, holding a
/// generated round taken through every stage over HTTP: CSV imports with NIK and names, appeals, the round-wide
/// cut-off and final, optimisation, a withdrawal and NIPs. Shared by the analytics test classes.
/// </summary>
public sealed class AnalyticsRound : WebApplicationFactory<Program>, IAsyncLifetime
{
    private static readonly string[] FirstNames = ["Siti", "Budi", "Dewi", "Agus", "Rina", "Eko", "Putri", "Joko", "Ayu", "Hendra"];
    private static readonly string[] LastNames = ["Aminah", "Santoso", "Lestari", "Wibowo", "Kurniawati", "Saputra", "Handayani", "Nugroho"];

    private readonly TestDatabase database = new();
    private readonly PersonalDataKeys keys = PersonalDataKeyFile.Generate();

    public OffsetClock Clock { get; } = new();

    /// <summary>This round's folder of anchored seals: each database is compared with its own (docs/adr/0044).</summary>
    public string AnchorDirectory { get; } = Path.Combine(Path.GetTempPath(), "merit-anchor-" + Guid.NewGuid().ToString("N"));

    public GeneratedRound Generated { get; } = new(formations: 40, applicants: 1500, seed: 11);

    public Guid RoundId { get; private set; }

    public IDocumentStore Store => Services.GetRequiredService<IDocumentStore>();

    public string ConnectionString => database.ConnectionString;

    /// <summary>TMS applicants whose appeal was accepted (re-announced MS), and the one refused.</summary>
    public IReadOnlyList<string> AppealsAccepted { get; private set; } = [];

    public string AppealRefused { get; private set; } = "";

    public IReadOnlyList<string> Appointed { get; private set; } = [];

    public string Withdrawn { get; private set; } = "";

    public string? PlacedByOptimisation { get; private set; }

    public static string NikOf(GeneratedRound.ApplicantRow a, int index)
    {
        var day = a.BirthDate.Day + (a.Sex == "F" ? 40 : 0);
        return string.Create(CultureInfo.InvariantCulture, $"317101{day:00}{a.BirthDate.Month:00}{a.BirthDate.Year % 100:00}{(index % 9000) + 1:0000}");
    }

    public static string NameOf(int index) => $"{FirstNames[index % FirstNames.Length]} {LastNames[index / FirstNames.Length % LastNames.Length]} Pelamar{index:0000}";

    public async Task InitializeAsync()
    {
        JasperFxEnvironment.AutoStartHost = true;
        await database.InitializeAsync();
        _ = Server;
        await BuildRoundAsync(new RecruitmentApi(CreateClient()));
        await WaitForProjectionsAsync();
    }

    public new async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await database.DisposeAsync();
        if (Directory.Exists(AnchorDirectory))
        {
            Directory.Delete(AnchorDirectory, recursive: true);
        }
    }

    public Task WaitForProjectionsAsync() => Services.GetRequiredService<IHost>().WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(120));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Merit", database.ConnectionString);
        builder.UseSetting("Merit:PersonalData:MasterKey", Convert.ToBase64String(keys.MasterKey));
        builder.UseSetting("Merit:PersonalData:PseudonymKey", Convert.ToBase64String(keys.PseudonymKey));
        builder.UseSetting("Merit:Auth:SigningKey", Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
        builder.UseSetting("Merit:Audit:AnchorDirectory", AnchorDirectory);
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }

    /// <summary>The round is built by a committee member who may also open rounds, with the PPK's and Panselnas' optimisation and BKN's NIPs; the analytics are read as an analyst.</summary>
    protected override void ConfigureClient(HttpClient client)
    {
        base.ConfigureClient(client);
        var tokens = Services.GetRequiredService<Merit.Security.Tokens>();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(
            "Bearer", tokens.Issue("analytics-tests", [Merit.Security.Roles.Committee, Merit.Security.Roles.Admin, Merit.Security.Roles.Analyst, Merit.Security.Roles.Bkn, Merit.Security.Roles.Ppk, Merit.Security.Roles.Panselnas], ["*"], TimeSpan.FromHours(2)));
    }

    private async Task BuildRoundAsync(RecruitmentApi api)
    {
        var g = Generated;
        RoundId = await api.OpenRoundAsync("CPNS-2024-ANALYTICS");
        await ImportAsync(api, "formations", g.FormationsCsv());
        await StageAsync(api, "Registration", days: 1);
        await ImportAsync(api, "applicants", Csv(
            "registration_number,formation_code,sex,birth_date,gpa,nik,full_name",
            g.Applicants.Select((a, i) => string.Create(CultureInfo.InvariantCulture, $"{a.RegistrationNumber},{a.Formation},{a.Sex},{a.BirthDate:yyyy-MM-dd},{a.Gpa:0.00},{NikOf(a, i)},{NameOf(i)}"))));

        // Each instansi verifies at its own pace: the first 3 hours after the window opened, each next one 3 hours later.
        await StageAsync(api, "AdministrativeSelection", days: 14);
        var instansiOf = g.Formations.ToDictionary(f => f.Code, f => f.Instansi, StringComparer.Ordinal);
        foreach (var group in g.Applicants.GroupBy(a => instansiOf[a.Formation]).OrderBy(x => x.Key, StringComparer.Ordinal))
        {
            Clock.Advance(TimeSpan.FromHours(group.Key == g.Formations[0].Instansi ? 2 : 3));
            await ImportAsync(api, "verification", Csv("registration_number,result,reason", group.Select(a => $"{a.RegistrationNumber},{(a.Ms ? "MS" : "TMS")},{(a.Ms ? "lengkap" : "ijazah tidak sesuai")}")));
        }

        await StageAsync(api, "AdministrativeAppeal", days: 10);
        var tms = g.Applicants.Where(a => !a.Ms).Take(3).Select(a => a.RegistrationNumber).ToList();
        foreach (var number in tms)
        {
            await Ok(api.Client.PostAsJsonAsync($"/applications/{Id(number)}/appeals", new { window = "Administrative", grounds = "ijazah sudah dilegalisir", includesNewDocuments = false }));
        }

        Clock.Advance(TimeSpan.FromHours(20));
        AppealsAccepted = tms.Take(2).ToList();
        AppealRefused = tms[2];
        foreach (var number in tms)
        {
            var accept = AppealsAccepted.Contains(number);
            await Ok(api.Client.PostAsJsonAsync($"/applications/{Id(number)}/appeals/answer", new { window = "Administrative", accept, faultOfInstansi = accept, reason = accept ? "kesalahan verifikasi" : "berkas tidak memenuhi" }));
            Clock.Advance(TimeSpan.FromHours(4));
        }

        foreach (var number in AppealsAccepted)
        {
            await Ok(api.Client.PostAsync($"/applications/{Id(number)}/administrative-reannouncement", null));
        }

        // Accepted appeals make these applicants MS; the generated round sits the SKD for MS applicants only.
        foreach (var number in AppealsAccepted)
        {
            var applicant = g.Applicants.Single(a => a.RegistrationNumber == number);
            applicant.Skd = (100, 120, 180);
        }

        await StageAsync(api, "Skd", days: 7);
        Clock.Advance(TimeSpan.FromHours(30));
        await ImportAsync(api, "skd", g.SkdCsv());

        await StageAsync(api, "Skb", days: 12);
        Clock.Advance(TimeSpan.FromHours(6));
        await Ok(api.Client.PostAsync($"/rounds/{RoundId}/decisions/skd-cutoff", null));
        _ = g.ExpectedSkbAdmissionCsv();
        g.ScoreSkb(g.Admitted(), seed: 12);
        Clock.Advance(TimeSpan.FromDays(5));
        await ImportAsync(api, "skb", g.SkbCsv());

        await StageAsync(api, "Integration", days: 10);
        Clock.Advance(TimeSpan.FromHours(52));
        await Ok(api.Client.PostAsync($"/rounds/{RoundId}/decisions/final", null));
        _ = g.ExpectedFinalCsv();

        await StageAsync(api, "FinalAppeal", days: 5);
        await StageAsync(api, "Optimisation", days: 3);
        // A passer withdraws; the place it leaves is filled by optimisation.
        var passers = g.Applicants.Where(a => a.FinalRank is not null && IsPasser(a)).Select(a => a.RegistrationNumber).Order(StringComparer.Ordinal).ToList();
        Withdrawn = passers[0];
        await Ok(api.Client.PostAsJsonAsync($"/applications/{Id(Withdrawn)}/withdrawal", new { reason = "mengundurkan diri" }));
        Clock.Advance(TimeSpan.FromHours(5));
        await PlaceOneByOptimisationAsync(api);

        await StageAsync(api, "Appointment", days: 8);
        Appointed = passers.Skip(1).Take(12).ToList();
        foreach (var number in Appointed)
        {
            Clock.Advance(TimeSpan.FromHours(7));
            await Ok(api.Client.PostAsJsonAsync($"/applications/{Id(number)}/nip", new { tmtCpns = "2025-03-01" }));
        }
    }

    /// <summary>P/L in the independently computed final list.</summary>
    public bool IsPasser(GeneratedRound.ApplicantRow a)
    {
        var formation = Generated.Formations.Single(f => f.Code == a.Formation);
        if (a.FinalRank is not { } rank || a.Skb is null)
        {
            return false;
        }

        var group = Generated.Applicants.Count(b => b.Formation == a.Formation && b.FinalRank == rank && b.Skb is not null);
        return rank + group - 1 <= formation.Allocation;
    }

    public Guid Id(string registrationNumber) => ApplicationDecisions.IdFor(RoundId, registrationNumber);

    /// <summary>The instansi's proposal and Panselnas' approval (R17) of the best of the first pool that has one.</summary>
    private async Task PlaceOneByOptimisationAsync(RecruitmentApi api)
    {
        await using var session = Store.QuerySession();
        var formations = (await session.Query<Formation>().Where(f => f.RoundId == RoundId).ToListAsync()).ToDictionary(f => f.Id);
        var applications = await session.Query<Merit.Recruitment.Application>().Where(a => a.RoundId == RoundId).ToListAsync();
        foreach (var target in formations.Values.Where(f => f.FinalDecided && f.Vacant > 0).OrderBy(f => f.Code, StringComparer.Ordinal))
        {
            var pool = AppointmentDecisions.Pool(target, applications.Select(a => (formations[a.FormationId], a)), RuleSetCatalog.Get("CPNS-2024"));
            if (pool.Count > 0)
            {
                var best = pool[0].Application;
                await Ok(api.Client.PostAsJsonAsync($"/formations/{target.Id}/optimisation-proposals", new { applicationId = best.Id, reason = "usul PPK" }));
                Clock.Advance(TimeSpan.FromHours(2));
                await Ok(api.Client.PostAsJsonAsync($"/formations/{target.Id}/optimisation-proposals/{best.Id}/decision", new { approve = true, reason = "disetujui Panselnas" }));
                PlacedByOptimisation = best.RegistrationNumber;
                return;
            }
        }
    }

    private async Task StageAsync(RecruitmentApi api, string stage, int days)
    {
        Clock.Advance(TimeSpan.FromDays(days));
        await api.AdvanceAsync(RoundId, stage);
        Clock.Advance(TimeSpan.FromHours(1));
    }

    private async Task ImportAsync(RecruitmentApi api, string kind, string csv)
    {
        using var content = new MultipartFormDataContent();
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(csv));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        content.Add(file, "file", $"{kind}.csv");
        await Ok(api.Client.PostAsync(new Uri($"/rounds/{RoundId}/imports/{kind}", UriKind.Relative), content));
    }

    private static async Task Ok(Task<HttpResponseMessage> request)
    {
        var response = await request;
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    private static string Csv(string header, IEnumerable<string> lines) => header + "\n" + string.Concat(lines.Select(l => l + "\n"));
}

[CollectionDefinition(Name)]
public sealed class AnalyticsRoundGroup : ICollectionFixture<AnalyticsRound>
{
    public const string Name = "analytics round";
}
