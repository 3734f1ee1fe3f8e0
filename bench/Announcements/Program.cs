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
// in both formats (one vault read for both): once cold, then until the JIT is quiet, then N times timed; the median
// of those is the figure. The other 66 instansi are not loaded: each announcement reads
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
    if (await exports.WriteAsync(code, PublishedList.SkbAdmission, cutOff, CancellationToken.None) is { } exportRefused)
    {
        throw new InvalidOperationException($"The SKB admission export was refused: {exportRefused.Message}");
    }

    await Import(imports.SkbAsync, RoundFiles.SkbFor(cutOff.ToString(), 2025));
    await Advance("Integration");
    Check(await decisions.FinalAsync(code, PersonalDataReader.CommandLine("bench", Roles.Committee, "bench final"), null, CancellationToken.None));
    await SealAsync(host);
    Console.Error.WriteLine($"loaded and sealed in {load.Elapsed.TotalSeconds:F1} s");

    // The asynchronous read models catch up on the round first: announcements are printed after the decisions, not during them.
    await host.WaitForProjectionsAsync(TimeSpan.FromHours(1));
    Console.Error.WriteLine($"loaded, sealed and projected in {load.Elapsed.TotalSeconds:F1} s");

    var reader = PersonalDataReader.CommandLine("bench", Roles.Committee, "bench announce");
    var kinds = Enum.GetValues<AnnouncementKind>();
    var issues = new Dictionary<AnnouncementKind, (AnnouncementIssued Issued, double Ms)>();
    foreach (var kind in kinds)
    {
        var watch = Stopwatch.StartNew();
        var issued = await publisher.IssueAsync(round, kind, "INST00", null, null, "bench", CancellationToken.None);
        issues[kind] = (issued.Issued ?? throw new InvalidOperationException($"{kind}: {issued.Refusal!.Code}: {issued.Refusal.Message}"), watch.Elapsed.TotalMilliseconds);
    }

    // The product's path (every stage of the instansi, both formats, the names read once: one logged read per person),
    // each print followed by the same work done one part after another — the lists from the events, the names through
    // the vault with its log, then each stage's writers — as the baseline of the same run, so both see the same load.
    var source = host.Services.GetRequiredService<AnnouncementSource>();
    var vault = host.Services.GetRequiredService<PersonalDataVault>();
    var whole = new List<double>();
    var sequential = new List<double>();
    var parts = kinds.ToDictionary(k => k, _ => new List<double[]>());
    var names = new List<double>();
    var listing = new List<double>();
    IReadOnlyList<PrintOutcome> printed = [];

    // Timed on the JIT's final code, as the single commands of bench/Merit.Bench are: tiered compilation recompiles a
    // hot method on a background thread, which on two cores takes a third of the CPU of the first prints. The first
    // print is timed cold; then prints go on, untimed, until one compiles fewer than 25 methods (at most 60).
    var cold = Stopwatch.StartNew();
    printed = await publisher.PrintAsync(round, kinds, "INST00", null, [AnnouncementFormat.Pdf, AnnouncementFormat.Xlsx], Texts.Indonesian, reader, CancellationToken.None);
    var coldMs = cold.Elapsed.TotalMilliseconds;
    var warmUps = 0;
    long compiled;
    do
    {
        var before = System.Runtime.JitInfo.GetCompiledMethodCount();
        await publisher.PrintAsync(round, kinds, "INST00", null, [AnnouncementFormat.Pdf, AnnouncementFormat.Xlsx], Texts.Indonesian, reader, CancellationToken.None);
        await Task.Delay(TimeSpan.FromSeconds(1)); // the JIT promotes a method once it has been idle a moment
        compiled = System.Runtime.JitInfo.GetCompiledMethodCount() - before;
    }
    while (++warmUps < 60 && compiled >= 25);

    for (var i = 0; i < prints; i++)
    {
        var watch = Stopwatch.StartNew();
        printed = await publisher.PrintAsync(round, kinds, "INST00", null, [AnnouncementFormat.Pdf, AnnouncementFormat.Xlsx], Texts.Indonesian, reader, CancellationToken.None);
        whole.Add(watch.Elapsed.TotalMilliseconds);
        if (printed.FirstOrDefault(p => p.Refusal is not null) is { } refused)
        {
            throw new InvalidOperationException($"{refused.Refusal!.Code}: {refused.Refusal.Message}");
        }

        var all = Stopwatch.StartNew();
        var listed = Stopwatch.StartNew();
        var (_, lists) = await source.ListsAsync(round, kinds, "INST00", CancellationToken.None);
        listing.Add(listed.Elapsed.TotalMilliseconds);

        var named = Stopwatch.StartNew();
        var reading = await vault.RevealAsync(reader, AnnouncementPublisher.Purpose, lists.Values.SelectMany(l => l.Rows).Select(r => r.PersonId).Distinct().ToList(), CancellationToken.None);
        names.Add(named.Elapsed.TotalMilliseconds);
        var nameOf = reading.Details.ToDictionary(d => d.Key, d => d.Value.FullName ?? "");
        foreach (var kind in kinds)
        {
            var print = new AnnouncementPrint(issues[kind].Issued, lists[kind], "", publisher.ProofUrl(issues[kind].Issued), nameOf, Texts.Indonesian);
            // The process's CPU time beside the wall time: the writers run one at a time here, the rest of the process
            // is idle, so it is the writer's own work whatever else the machine runs.
            var written = Stopwatch.StartNew();
            var cpu = ProcessorMs();
            AnnouncementPdf.Write(print);
            var (pdf, pdfCpu) = (written.Elapsed.TotalMilliseconds, ProcessorMs() - cpu);
            written.Restart();
            cpu = ProcessorMs();
            AnnouncementXlsx.Write(print);
            parts[kind].Add([pdf, written.Elapsed.TotalMilliseconds, pdfCpu, ProcessorMs() - cpu]);
        }

        sequential.Add(all.Elapsed.TotalMilliseconds);
    }

    var table = new StringBuilder();
    table.AppendLine(CultureInfo.InvariantCulture, $"Announcements of one instansi, scale {scale.Name} ({scale.Applicants / Instansi:N0} applicants, {scale.Formations / Instansi:N0} formations); {prints} prints; {Environment.ProcessorCount} cores, load average {LoadAverage()}");
    table.AppendLine("| stage | rows | issue | PDF | XLSX | PDF CPU | XLSX CPU | PDF size | XLSX size |");
    table.AppendLine("|---|---|---|---|---|---|---|---|---|");
    for (var k = 0; k < kinds.Length; k++)
    {
        double Part(int index) => Median(parts[kinds[k]].Select(p => p[index]).ToList());
        table.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"| {kinds[k].Slug()} | {issues[kinds[k]].Issued.Rows:N0} | {issues[kinds[k]].Ms:F0} ms | {Part(0):F0} ms | {Part(1):F0} ms | {Part(2):F0} ms | {Part(3):F0} ms | {printed[k].Documents[0].Content.Length / 1024.0:F0} KiB | {printed[k].Documents[1].Content.Length / 1024.0:F0} KiB |"));
    }

    var persons = printed.Sum(p => p.Issued?.Rows ?? 0);
    table.AppendLine();
    table.AppendLine(string.Create(CultureInfo.InvariantCulture, $"the five lists from the events, one read: median {Median(listing):F0} ms"));
    table.AppendLine(string.Create(CultureInfo.InvariantCulture, $"names of the five lists through the vault, one read for all (and its log): median {Median(names):F0} ms"));
    table.AppendLine(string.Create(CultureInfo.InvariantCulture,
        $"every stage in both formats, the product's path (AnnouncementPublisher.PrintAsync, {persons:N0} lines): the first print of the process {coldMs:F0} ms; after {warmUps} more (the last compiled {compiled} methods), median of {prints} {Median(whole):F0} ms (target: under 1,000 ms)"));
    table.AppendLine(string.Create(CultureInfo.InvariantCulture,
        $"the same work one part after another, after each print: median {Median(sequential):F0} ms; the product's path takes {Median(whole) / Median(sequential):F2} of it"));
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
        if ((await seals.SealAsync(CancellationToken.None)).Refused is { } broken)
        {
            throw new InvalidOperationException(broken);
        }

        await Task.Delay(TimeSpan.FromSeconds(1));
    }
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
}

static double ProcessorMs()
{
    using var process = Process.GetCurrentProcess();
    return process.TotalProcessorTime.TotalMilliseconds;
}

static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

static async Task ExecuteAsync(string connectionString, string sql)
{
    await using var connection = new NpgsqlConnection(connectionString);
    await connection.OpenAsync();
    await using var command = new NpgsqlCommand(sql, connection);
    await command.ExecuteNonQueryAsync();
}
