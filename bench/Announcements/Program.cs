using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using Marten;
using Merit.Audit;
using Merit.Bench;
using Merit.Infrastructure;
using Merit.Localization;
using Merit.PersonalData;
using Merit.Recruitment;
using Merit.Recruitment.Announcements;
using Merit.Recruitment.Files;
using Merit.Security;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

// dotnet run -c Release --project bench/Announcements -- --scale small|medium|national [--prints N]
//
// One instansi's share of a round of the scale — its applicants and formations divided by the 67 instansi that
// bench/Merit.Bench's round spreads them over — with names, through the product's bulk paths (imports, round-wide
// decisions) to the final result, sealed; then every stage's announcement of that instansi issued once and printed
// in both formats (one vault read for both) N times. The first print of each stage runs on code the JIT has not yet
// optimised; the median of the others is the figure. The other 66 instansi are not loaded: each announcement reads
// its own instansi's formations, applications and decision events by id.
var scale = Scale.Parse(Option("--scale") ?? "small");
var prints = int.Parse(Option("--prints") ?? "5", CultureInfo.InvariantCulture);
const int Instansi = 67;
var server = LocalPostgres.EnsureStarted();
var database = "merit_bench_" + Guid.NewGuid().ToString("N")[..12];
var connectionString = new NpgsqlConnectionStringBuilder(server) { Database = database, MaxPoolSize = 100 }.ConnectionString;
await ExecuteAsync(server, $"create database \"{database}\"");
try
{
    await using var host = await BenchHost.StartAsync(connectionString, CancellationToken.None);
    using var admin = host.ClientAs("bench-committee", Roles.Committee, Roles.Admin, Roles.Auditor);
    var imports = host.Services.GetRequiredService<RecruitmentImports>();
    var decisions = host.Services.GetRequiredService<RoundWideDecisions>();
    var exports = host.Services.GetRequiredService<RecruitmentExports>();
    var publisher = host.Services.GetRequiredService<AnnouncementPublisher>();
    var code = $"CPNS-2024-ANN-{scale.Name}".ToUpperInvariant();
    var files = new RoundFiles("24", Math.Max(1, scale.Formations / Instansi), Math.Max(1, scale.Applicants / Instansi), 2024);
    Console.Error.WriteLine($"round {code}: {scale.Formations / Instansi:N0} formations and {scale.Applicants / Instansi:N0} applicants of one instansi ({scale.Name} / {Instansi})");

    var load = Stopwatch.StartNew();
    using (var response = await admin.PostAsJsonAsync("/rounds", new { code, name = code, ruleSetVersion = "CPNS-2024" }))
    {
        response.EnsureSuccessStatusCode();
    }

    var round = RoundDecisions.IdFor(code);
    await Import(imports.FormationsAsync, OneInstansi(files.Formations));
    await Advance("Registration");
    await Import(imports.ApplicantsAsync, WithNames(files.Applicants));
    await Advance("AdministrativeSelection");
    await Import(imports.VerificationAsync, files.Verification);
    await Advance("AdministrativeAppeal", "Skd");
    await Import(imports.SkdAsync, files.Skd);
    await Advance("Skb");
    Check(await decisions.SkdCutOffAsync(code, "bench", null, CancellationToken.None));
    var cutOff = new StringWriter(CultureInfo.InvariantCulture);
    await exports.WriteSkdCutOffAsync(code, cutOff, CancellationToken.None);
    await Import(imports.SkbAsync, RoundFiles.SkbFor(cutOff.ToString(), 2025));
    await Advance("Integration");
    Check(await decisions.FinalAsync(code, PersonalDataReader.CommandLine("bench", Roles.Committee, "bench final"), null, CancellationToken.None));
    await SealAsync(host);
    Console.Error.WriteLine($"loaded and sealed in {load.Elapsed.TotalSeconds:F1} s");

    var reader = PersonalDataReader.CommandLine("bench", Roles.Committee, "bench announce");
    var table = new StringBuilder();
    table.AppendLine(CultureInfo.InvariantCulture, $"Announcements of one instansi, scale {scale.Name} ({scale.Applicants / Instansi:N0} applicants, {scale.Formations / Instansi:N0} formations); {Environment.ProcessorCount} cores, load average {LoadAverage()}");
    table.AppendLine("| stage | rows | issue | print PDF + XLSX, first | print PDF + XLSX, median of the rest | PDF | XLSX |");
    table.AppendLine("|---|---|---|---|---|---|---|");
    double issueTotal = 0, printTotal = 0;
    foreach (var kind in Enum.GetValues<AnnouncementKind>())
    {
        var watch = Stopwatch.StartNew();
        var issued = await publisher.IssueAsync(round, kind, "INST00", null, null, "bench", CancellationToken.None);
        var issue = watch.Elapsed.TotalMilliseconds;
        if (issued.Refusal is { } refusal)
        {
            throw new InvalidOperationException($"{kind}: {refusal.Code}: {refusal.Message}");
        }

        var times = new List<double>();
        PrintOutcome printed = null!;
        for (var i = 0; i < prints; i++)
        {
            watch.Restart();
            printed = await publisher.PrintAsync(round, kind, "INST00", null, [AnnouncementFormat.Pdf, AnnouncementFormat.Xlsx], Texts.Indonesian, reader, CancellationToken.None);
            times.Add(watch.Elapsed.TotalMilliseconds);
            if (printed.Refusal is { } refused)
            {
                throw new InvalidOperationException($"{kind}: {refused.Code}: {refused.Message}");
            }
        }

        var median = Median(times.Skip(1).DefaultIfEmpty(times[0]).ToList());
        issueTotal += issue;
        printTotal += median;
        table.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"| {kind.Slug()} | {issued.Issued!.Rows:N0} | {issue:F0} ms | {times[0]:F0} ms | {median:F0} ms | {printed.Documents[0].Content.Length / 1024.0:F0} KiB | {printed.Documents[1].Content.Length / 1024.0:F0} KiB |"));
    }

    table.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| all five stages | | {issueTotal:F0} ms | | {printTotal:F0} ms | | |"));
    Console.WriteLine(table);

    async Task Import(Func<string, Stream, string, IProgress<ImportProgress>?, CancellationToken, Task<ImportReport>> import, byte[] file)
    {
        using var stream = new MemoryStream(file);
        var report = await import(code, stream, "bench", null, CancellationToken.None);
        if (!report.Succeeded)
        {
            throw new InvalidOperationException($"{report.Kind}: {report.Errors[0]}");
        }
    }

    async Task Advance(params string[] stages)
    {
        foreach (var stage in stages)
        {
            using var response = await admin.PostAsJsonAsync($"/rounds/{round}/stage", new { to = stage });
            response.EnsureSuccessStatusCode();
        }
    }
}
finally
{
    NpgsqlConnection.ClearAllPools();
    await ExecuteAsync(server, $"drop database if exists \"{database}\" with (force)");
}

string? Option(string name) => Array.IndexOf(args, name) is var at and >= 0 && at + 1 < args.Length ? args[at + 1] : null;

// Every formation in the one instansi measured.
static byte[] OneInstansi(byte[] formations) =>
    Encoding.UTF8.GetBytes(Regex.Replace(Encoding.UTF8.GetString(formations), ",INST[0-9]+,", ",INST00,"));

// A name per applicant, as a registration with names arrives.
static byte[] WithNames(byte[] applicants)
{
    var lines = Encoding.UTF8.GetString(applicants).TrimEnd('\n').Split('\n');
    var named = new StringBuilder(lines[0]).Append(",full_name\n");
    foreach (var line in lines.Skip(1))
    {
        named.Append(line).Append(",Peserta ").Append(line.AsSpan(line.IndexOf(',', StringComparison.Ordinal) - 6, 6)).Append(" Nusantara Putri\n");
    }

    return Encoding.UTF8.GetBytes(named.ToString());
}

static void Check(RoundDecisionReport report)
{
    if (!report.Succeeded)
    {
        throw new InvalidOperationException($"{report.Decision}: {report.Refusals[0]}");
    }
}

// The Host seals only events older than its settle time: seal until a seal covers everything recorded.
static async Task SealAsync(BenchHost host)
{
    var seals = host.Services.GetRequiredService<AuditSeals>();
    long last;
    await using (var query = host.Store.QuerySession())
    {
        last = await query.Events.QueryAllRawEvents().MaxAsync(e => e.Sequence);
    }

    while ((await seals.LastAsync(CancellationToken.None))?.ToSequence < last || await seals.LastAsync(CancellationToken.None) is null)
    {
        if ((await seals.SealAsync(CancellationToken.None)).Refusal is { } broken)
        {
            throw new InvalidOperationException(broken.Detail);
        }

        await Task.Delay(TimeSpan.FromSeconds(1));
    }
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
}

static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

static async Task ExecuteAsync(string connectionString, string sql)
{
    await using var connection = new NpgsqlConnection(connectionString);
    await connection.OpenAsync();
    await using var command = new NpgsqlCommand(sql, connection);
    await command.ExecuteNonQueryAsync();
}
