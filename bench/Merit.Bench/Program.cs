using Merit.Bench;
using Merit.Infrastructure;

// dotnet run -c Release --project bench/Merit.Bench -- --scale smoke|small|medium|national [--import-only | --round-only [--rebuild [--projections A,B]] [--audit] | --http-only [--requests N]] [--pause-daemon] [--keep-database]
//   [--database NAME: a kept database; its round is not recorded again, only --rebuild, --what-if and --audit run on it]
//   [--what-if: after the round, the what-if alone, without the rebuild]
// Uses MERIT_CONNECTION or the checkout's private PostgreSQL (scripts/postgres), a fresh database per run, and the
// standby of either (MERIT_REPLICA_CONNECTION, scripts/postgres replica) for item 9.
var scale = Scale.Parse(Option("--scale") ?? "small");
if (Option("--requests") is { } requests)
{
    scale = scale with { RequestsPerLevel = int.Parse(requests, System.Globalization.CultureInfo.InvariantCulture) };
}

var server = LocalPostgres.EnsureStarted();
var partial = args.Contains("--import-only") || args.Contains("--round-only") || args.Contains("--http-only") || Option("--database") is not null;
var table = await new BenchRun(scale, server, Console.Error)
{
    // The standby serves item 9 only, which a partial run leaves out: it is not started (it would replay every write).
    Standby = partial ? null : LocalPostgres.EnsureStandbyStarted(),
    ImportOnly = args.Contains("--import-only"),
    PauseDaemon = args.Contains("--pause-daemon"),
    KeepDatabase = args.Contains("--keep-database"),
    RecordedDatabase = Option("--database"),
    WhatIfAfterRound = args.Contains("--what-if"),
    RoundOnly = args.Contains("--round-only"),
    RebuildAfterRound = args.Contains("--rebuild"),
    Rebuilt = Option("--projections")?.Split(','),
    AuditAfterRound = args.Contains("--audit"),
    HttpOnly = args.Contains("--http-only"),
}.RunAsync(CancellationToken.None);
Console.WriteLine($"Merit benchmark, scale {scale.Name}: {scale.Applicants:N0} applicants, {scale.Formations:N0} formations; {Environment.ProcessorCount} cores, load average {LoadAverage()}");
Console.WriteLine(table);

string? Option(string name) => Array.IndexOf(args, name) is var at and >= 0 && at + 1 < args.Length ? args[at + 1] : null;

static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
