using System.Globalization;
using System.Net.Http.Json;
using Marten;
using Merit.Recruitment;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Merit.Demo;

/// <summary>
/// A small demonstration round (Merit:Demo=true), entered through the public HTTP API exactly as a committee's
/// client would, so the demo exercises validation, decisions and projections end to end. Generated from a fixed
/// seed: every run produces the same round. Skipped when the round already exists.
/// </summary>
public sealed partial class DemoData(IServer server, IHostApplicationLifetime lifetime, IDocumentStore store, Security.Tokens tokens, ILogger<DemoData> logger) : BackgroundService
{
    public const string RoundCode = "CPNS-2024-DEMO";

    private static readonly string[] Instansi = ["A5EB03E23CCCF6A0E040640A040252AD", "8AE483A8641A9A5601641C4B6C1D2E3F"];
    private static readonly (string Position, string Location, string Category, int Allocation)[] Formations =
    [
        ("Analis Kebijakan Ahli Pertama", "Jakarta", "umum", 3),
        ("Pranata Komputer Ahli Pertama", "Samarinda", "kalimantan", 2),
        ("Dokter Ahli Pertama", "Jayapura", "papua", 1),
        ("Perencana Ahli Pertama", "Jakarta", "cumlaude", 1),
        ("Statistisi Ahli Pertama", "Mataram", "disabilitas", 1),
        ("Auditor Ahli Pertama", "Makassar", "umum", 2),
    ];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource();
        using var registration = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        await started.Task.WaitAsync(stoppingToken);

        await using (var session = store.QuerySession())
        {
            if (await session.LoadAsync<Round>(RoundDecisions.IdFor(RoundCode), stoppingToken) is not null)
            {
                LogPresent(logger, RoundCode);
                return;
            }
        }

        var address = server.Features.Get<IServerAddressesFeature>()!.Addresses.First().Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal);
        using var client = new HttpClient { BaseAddress = new Uri(address) };
        client.DefaultRequestHeaders.Authorization = new("Bearer", tokens.Issue("demo-panitia", [Security.Roles.Admin, Security.Roles.Committee], ["*"], TimeSpan.FromHours(1)));
        await SeedAsync(client, stoppingToken);
        LogRecorded(logger, RoundCode, Formations.Length);
    }

    private static async Task SeedAsync(HttpClient client, CancellationToken ct)
    {
        var random = new Random(2024);
        var round = await IdAsync(await client.PostAsJsonAsync("/rounds", new { code = RoundCode, name = "CPNS 2024 (demonstration)", ruleSetVersion = "CPNS-2024" }, ct), ct);

        var formationIds = new List<Guid>();
        for (var i = 0; i < Formations.Length; i++)
        {
            var (position, location, category, allocation) = Formations[i];
            formationIds.Add(await IdAsync(await client.PostAsJsonAsync($"/rounds/{round}/formations", new
            {
                code = $"DEMO-{i + 1:000}",
                instansiCode = Instansi[i % Instansi.Length],
                position,
                location,
                category,
                allocation,
                educationLevel = "S1",
            }, ct), ct));
        }

        await AdvanceAsync(client, round, "Registration", ct);
        var applications = new List<Guid>();
        for (var n = 1; n <= 120; n++)
        {
            var female = random.Next(2) == 0;
            var birth = new DateOnly(1996, 1, 1).AddDays(random.Next(0, 4 * 365)); // within the age limits until 2031
            var day = birth.Day + (female ? 40 : 0);
            var nik = string.Create(CultureInfo.InvariantCulture, $"3171{random.Next(10, 99)}{day:00}{birth.Month:00}{birth.Year % 100:00}{n:0000}");
            applications.Add(await IdAsync(await client.PostAsJsonAsync($"/rounds/{round}/applications", new
            {
                formationId = formationIds[n % formationIds.Count],
                registrationNumber = $"2410{n:00000}",
                nik,
                fullName = $"Peserta Demo {n}",
                birthDate = birth.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                sex = female ? "F" : "M",
                educationLevel = "S1",
                gpa = Math.Round(2.75m + (decimal)random.NextDouble() * 1.25m, 2),
            }, ct), ct));
        }

        await AdvanceAsync(client, round, "AdministrativeSelection", ct);
        var qualified = new List<Guid>();
        foreach (var application in applications)
        {
            var ms = random.Next(10) < 8;
            (await client.PostAsJsonAsync($"/applications/{application}/administrative-verification", new
            {
                result = ms ? "MS" : "TMS",
                reason = ms ? "Dokumen lengkap dan sesuai" : "Ijazah tidak sesuai kualifikasi formasi",
            }, ct)).EnsureSuccessStatusCode();
            if (ms)
            {
                qualified.Add(application);
            }
        }

        await AdvanceAsync(client, round, "AdministrativeAppeal", ct);
        await AdvanceAsync(client, round, "Skd", ct);
        foreach (var application in qualified.Where((_, i) => i % 12 != 0)) // about one in twelve absent (TH)
        {
            (await client.PostAsJsonAsync($"/applications/{application}/skd-result", new
            {
                twk = 5 * random.Next(9, 29),
                tiu = 5 * random.Next(10, 34),
                tkp = random.Next(130, 216),
            }, ct)).EnsureSuccessStatusCode();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo round {Round} already present")]
    private static partial void LogPresent(ILogger logger, string round);

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo round {Round} recorded: {Formations} formations")]
    private static partial void LogRecorded(ILogger logger, string round, int formations);

    private static async Task AdvanceAsync(HttpClient client, Guid round, string stage, CancellationToken ct) =>
        (await client.PostAsJsonAsync($"/rounds/{round}/stage", new { to = stage }, ct)).EnsureSuccessStatusCode();

    private static async Task<Guid> IdAsync(HttpResponseMessage response, CancellationToken ct)
    {
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<Dictionary<string, object>>(ct);
        return Guid.Parse(body!["id"].ToString()!);
    }
}
