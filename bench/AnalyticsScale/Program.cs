using System.Diagnostics;
using System.Globalization;
using Marten;
using Merit.Analytics;
using Merit.Bench;
using Merit.Deciding;
using Merit.Infrastructure;
using Merit.Projections;
using Merit.Projections.Analytics;
using Merit.Recruitment;
using Merit.Security;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

// dotnet run -c Release --project bench/AnalyticsScale -- [--formations 250000] [--queries 100] [--explain]
//
// Writes the analytics read models of one round straight into a scratch database of the checkout's private
// PostgreSQL (or MERIT_CONNECTION) — formations spread over 600 instansi, 500 locations and 2,000 positions, the
// shape of the 2024 CPNS round — starts the production Host on it with the async daemon off (nothing else writes
// those tables), and times the analytics endpoints over HTTP. With --explain, each endpoint is called once more
// with auto_explain on the Host's connections and the plans of the statements it ran are printed from the server
// log. The database is dropped at the end.
var formationCount = Option("--formations", 250_000);
var queryCount = Option("--queries", 100);
var explain = args.Contains("--explain");
var server = LocalPostgres.EnsureStarted();
var name = "merit_analytics_scale_" + Guid.NewGuid().ToString("N")[..12];
await Execute(server, $"create database \"{name}\"");
var connection = new NpgsqlConnectionStringBuilder(server) { Database = name };
if (explain)
{
    // auto_explain is loaded for the Host's own sessions only: the plans are of exactly what the endpoints run.
    connection.Options = "-c session_preload_libraries=auto_explain -c auto_explain.log_min_duration=0 -c auto_explain.log_analyze=on -c auto_explain.log_buffers=on";
}

try
{
    Environment.SetEnvironmentVariable("Merit__DaemonMode", "Disabled");
    await using var host = await BenchHost.StartAsync(connection.ConnectionString, CancellationToken.None);
    var roundId = RoundDecisions.IdFor("CPNS-2024-ANALYTICS-SCALE");
    var watch = Stopwatch.StartNew();
    await WriteReadModelsAsync(host.Store, roundId, formationCount);
    Console.Error.WriteLine($"read models of {formationCount:N0} formations written in {watch.Elapsed.TotalSeconds:F1} s");

    var only = Array.IndexOf(args, "--paths") is var p and >= 0 && p + 1 < args.Length ? args[p + 1].Split(',') : null;
    var paths = only ??
    [
        "funnel", "funnel?by=all", "funnel?by=location", "funnel?instansi=I007", "funnel?category=disabilitas&by=all",
        "fairness", "fairness?attribute=category", "fairness?attribute=location", "fairness?instansi=I007",
    ];
    using var analyst = host.ClientAs("scale-analyst", Roles.Analyst);
    Console.WriteLine($"Analytics endpoints, {formationCount:N0} formations; {queryCount} sequential calls each after 3 warm-ups; load average {LoadAverage()}");
    Console.WriteLine();
    Console.WriteLine("| endpoint | median | p99 | process CPU per call | response |");
    Console.WriteLine("|---|---:|---:|---:|---:|");
    foreach (var path in paths)
    {
        // Wall time is inflated by whatever else runs on the shared cores; the process's CPU time per call is not.
        var latencies = new List<double>();
        var cpu = TimeSpan.Zero;
        var bytes = 0;
        for (var i = 0; i < queryCount + 3; i++)
        {
            var before = Process.GetCurrentProcess().TotalProcessorTime;
            var call = Stopwatch.StartNew();
            using var response = await analyst.GetAsync(new Uri($"/analytics/rounds/{roundId}/{path}", UriKind.Relative));
            response.EnsureSuccessStatusCode();
            bytes = (await response.Content.ReadAsByteArrayAsync()).Length;
            if (i >= 3)
            {
                latencies.Add(call.Elapsed.TotalMilliseconds);
                cpu += Process.GetCurrentProcess().TotalProcessorTime - before;
            }
        }

        latencies.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| `{path}` | {Percentile(latencies, 0.5):F1} ms | {Percentile(latencies, 0.99):F1} ms | {cpu.TotalMilliseconds / queryCount:F1} ms | {bytes / 1024.0:F0} KB |"));
    }

    // Where an unfiltered funnel's time goes, in process: the rollups' query, the table built from them, the JSON.
    var queries = host.Services.GetRequiredService<AnalyticsQueries>();
    var reports = host.Services.GetRequiredService<AnalyticsReports>();
    var none = AnalyticsEndpoints.Filter(null, null, null, null);
    var context = (await reports.ContextAsync(roundId, none, CancellationToken.None))!;
    var json = host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
    Console.WriteLine();
    Console.WriteLine("| in process, by instansi | median |");
    Console.WriteLine("|---|---:|");
    foreach (var (label, step) in new (string, Func<Task>)[]
    {
        ("rollups read (AnalyticsQueries.TotalsAsync)", () => queries.TotalsAsync(roundId, none, Dimension.Instansi, CancellationToken.None)),
        ("funnel table (AnalyticsReports.FunnelAsync)", () => reports.FunnelAsync(context, Dimension.Instansi, CancellationToken.None)),
        ("funnel table and JSON", async () => System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(await reports.FunnelAsync(context, Dimension.Instansi, CancellationToken.None), json)),
    })
    {
        var times = new List<double>();
        for (var i = 0; i < queryCount + 3; i++)
        {
            var call = Stopwatch.StartNew();
            await step();
            if (i >= 3)
            {
                times.Add(call.Elapsed.TotalMilliseconds);
            }
        }

        times.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {label} | {Percentile(times, 0.5):F1} ms |"));
    }

    if (explain)
    {
        var log = await ServerLogAsync(server);
        foreach (var path in paths)
        {
            var from = new FileInfo(log).Length;
            using var response = await analyst.GetAsync(new Uri($"/analytics/rounds/{roundId}/{path}", UriKind.Relative));
            await Task.Delay(200);
            await using var stream = new FileStream(log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            stream.Seek(from, SeekOrigin.Begin);
            using var reader = new StreamReader(stream);
            Console.WriteLine();
            Console.WriteLine($"## plans of `{path}`");
            Console.WriteLine();
            Console.WriteLine("```");
            Console.WriteLine((await reader.ReadToEndAsync()).TrimEnd());
            Console.WriteLine("```");
        }
    }
}
finally
{
    NpgsqlConnection.ClearAllPools();
    await Execute(server, $"drop database if exists \"{name}\" with (force)");
}

int Option(string option, int fallback)
{
    var at = Array.IndexOf(args, option);
    return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
}

static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

static async Task Execute(string server, string sql)
{
    await using var connection = new NpgsqlConnection(server);
    await connection.OpenAsync();
    await using var command = new NpgsqlCommand(sql, connection);
    await command.ExecuteNonQueryAsync();
}

static async Task<string> ServerLogAsync(string server)
{
    await using var connection = new NpgsqlConnection(server);
    await connection.OpenAsync();
    await using var command = new NpgsqlCommand("show data_directory", connection);
    return Path.Combine((string)(await command.ExecuteScalarAsync())!, "server.log");
}

// The read models as the asynchronous projections would have left them for a decided round: one document per
// formation, and their sums per dimension value (every summable count, by reflection, as the projection's Count does).
static async Task WriteReadModelsAsync(IDocumentStore store, Guid roundId, int count)
{
    var random = new Random(250);
    var categories = Enum.GetValues<FormationCategory>();
    var formations = Enumerable.Range(0, count).Select(i =>
    {
        var registered = random.Next(0, 23);
        StageCounts Counts(int r)
        {
            var ms = r * random.Next(70, 100) / 100;
            var met = ms * random.Next(20, 60) / 100;
            var admitted = Math.Min(met, random.Next(0, 4));
            var pass = Math.Min(admitted, random.Next(0, 2));
            return new StageCounts { Registered = r, Ms = ms, SkdThresholdMet = met, AdmittedToSkb = admitted, FinalPass = pass, NipIssued = pass };
        }

        var f = new FormationAnalytics
        {
            Id = StableId.For("analytics-scale", i.ToString(CultureInfo.InvariantCulture)),
            RoundId = roundId,
            Code = $"F{i:000000}",
            InstansiCode = $"I{i % 600:000}",
            Position = $"Jabatan {i % 2000}",
            Location = $"Lokasi {i % 500}",
            Category = categories[i % categories.Length],
            Allocation = 1 + random.Next(2),
            Male = Counts(registered / 2),
            Female = Counts(registered - (registered / 2)),
            Formations = 1,
            CutOffsDecided = 1,
            FinalsDecided = 1,
            AdmittedOnTie = random.Next(0, 2),
            LastSequence = i,
        };
        f.Passed = f.Male.FinalPass + f.Female.FinalPass;
        f.VacantAfterFinal = f.VacantNow = Math.Max(0, f.Allocation - f.Passed);
        return f;
    }).ToList();

    var rollups = new Dictionary<string, RoundRollup>(StringComparer.Ordinal);
    var ints = typeof(FunnelCounts).GetProperties().Where(p => p.PropertyType == typeof(int) && p.CanWrite).ToArray();
    var stages = typeof(StageCounts).GetProperties();
    foreach (var f in formations)
    {
        foreach (var (dimension, key) in new[] { (RoundRollup.All, ""), ("instansi", f.InstansiCode), ("category", f.Category.ToString()), ("position", f.Position), ("location", f.Location) })
        {
            var id = RoundRollup.IdFor(roundId, dimension, key);
            if (!rollups.TryGetValue(id, out var r))
            {
                rollups[id] = r = new RoundRollup { Id = id, RoundId = roundId, Dimension = dimension, Key = key };
            }

            foreach (var p in ints)
            {
                p.SetValue(r, (int)p.GetValue(r)! + (int)p.GetValue(f)!);
            }

            foreach (var p in stages)
            {
                p.SetValue(r.Male, (int)p.GetValue(r.Male)! + (int)p.GetValue(f.Male)!);
                p.SetValue(r.Female, (int)p.GetValue(r.Female)! + (int)p.GetValue(f.Female)!);
            }

            r.LastSequence = Math.Max(r.LastSequence, f.LastSequence);
        }
    }

    var round = new Round(roundId, "CPNS-2024-ANALYTICS-SCALE", "Analytics at national scale", "CPNS-2024", RoundStage.Appointment, DateTimeOffset.UnixEpoch);
    await store.BulkInsertDocumentsAsync([round]);
    await store.BulkInsertDocumentsAsync(formations);
    await store.BulkInsertDocumentsAsync(rollups.Values.ToList());
    await using var session = store.QuerySession();
    await using var connection = session.Database.CreateConnection();
    await connection.OpenAsync();
    foreach (var table in new[] { AnalyticsProjections.FormationTable, AnalyticsProjections.RollupTable })
    {
        await using var analyze = new NpgsqlCommand($"analyze {MeritStore.SchemaName}.mt_doc_{table}", connection);
        await analyze.ExecuteNonQueryAsync();
    }
}
