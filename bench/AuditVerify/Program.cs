using System.Diagnostics;
using System.Globalization;
using Marten;
using Merit.Audit;
using Merit.Infrastructure;
using Merit.Projections;
using Merit.Recruitment;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

// Measures `merit audit verify` (AuditVerifier: every chain, then every seal) over a growing store: appends chained
// events through the product's append path (a Marten session with the audit chain listener, so every hash is real)
// up to each size, seals them, then verifies in a child process of its own so that its peak working set is the
// verification's alone, not the appending's. Usage: AuditVerify [SIZE ...] (default 100000 1000000).
if (args is ["verify", var connection])
{
    return await VerifyOnceAsync(connection);
}

var sizes = args.Length > 0 ? args.Select(a => long.Parse(a, CultureInfo.InvariantCulture)).ToArray() : [100_000L, 1_000_000L];
var server = LocalPostgres.EnsureStarted();
var database = "merit_bench_verify_" + Guid.NewGuid().ToString("N")[..12];
var connectionString = new NpgsqlConnectionStringBuilder(server) { Database = database }.ConnectionString;
var keyFile = Path.Combine(Path.GetTempPath(), database + ".pem");
await File.WriteAllTextAsync(keyFile, AuditSealingKey.GeneratePem());
Environment.SetEnvironmentVariable("MERIT_DEV_AUDIT_KEY_FILE", keyFile); // the child verifies with the key the parent sealed with
await ExecuteAsync(server, $"CREATE DATABASE \"{database}\"");
try
{
    await using var services = Services(connectionString);
    var store = services.GetRequiredService<IDocumentStore>();
    await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
    long appended = 0;
    foreach (var size in sizes)
    {
        var watch = Stopwatch.StartNew();
        var added = await AppendAsync(store, size - appended);
        appended += added;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"appended {added:N0} chained events (now {appended:N0}) in {watch.Elapsed.TotalSeconds:F0} s: {added / watch.Elapsed.TotalSeconds:F0} events/s"));
        var seal = await services.GetRequiredService<AuditSeals>().SealAsync(CancellationToken.None);
        Console.WriteLine(seal.Seal is { } s
            ? string.Create(CultureInfo.InvariantCulture, $"sealed {s.FromSequence:N0}–{s.ToSequence:N0} as seal {s.Id}")
            : $"not sealed: {seal.Nothing ?? seal.Refused}");
        await VerifyInChildAsync(connectionString);
    }
}
finally
{
    NpgsqlConnection.ClearAllPools();
    await ExecuteAsync(server, $"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)");
    File.Delete(keyFile);
}

return 0;

// The audit's services as the Host registers them, over a store configured as the Host's (hash chain included).
static ServiceProvider Services(string connectionString)
{
    var configuration = new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?> { ["Merit:Audit:SealSettleSeconds"] = "0" })
        .Build();
    var services = new ServiceCollection();
    services.AddLogging();
    services.AddSingleton(TimeProvider.System);
    services.AddSingleton<IDocumentStore>(_ => new DocumentStore(new StoreOptions().Configure(connectionString, TimeProvider.System)));
    services.AddAudit(configuration);
    return services.BuildServiceProvider();
}

// Streams of 10 events (a round opened, then its stages), 1,000 events per save, two writers.
static async Task<long> AppendAsync(IDocumentStore store, long count)
{
    const int PerStream = 10, StreamsPerSave = 100, PerSave = PerStream * StreamsPerSave;
    var saves = count / PerSave;
    var next = 0L;
    async Task Writer()
    {
        while (Interlocked.Increment(ref next) <= saves)
        {
            await using var session = store.LightweightSession();
            session.LastModifiedBy = "bench";
            session.CorrelationId = Guid.NewGuid().ToString();
            for (var s = 0; s < StreamsPerSave; s++)
            {
                var id = Guid.NewGuid();
                session.Events.StartStream<Round>(id, Enumerable.Range(0, PerStream).Select(v => EventFor(id, v)).ToArray());
            }

            await session.SaveChangesAsync();
        }
    }

    await Task.WhenAll(Writer(), Writer());
    return saves * PerSave;
}

static object EventFor(Guid id, int index) => index == 0
    ? new RoundOpened(id, "BENCH-" + id.ToString("N"), "Bench round", "CPNS-2024", DateTimeOffset.UtcNow)
    : new RoundStageAdvanced(id, (RoundStage)((index - 1) % 10), (RoundStage)(index % 10), DateTimeOffset.UtcNow);

// Runs this program again as `verify CONNECTION` and passes its lines through.
static async Task VerifyInChildAsync(string connectionString)
{
    var self = Environment.ProcessPath!;
    var info = new ProcessStartInfo(self) { RedirectStandardOutput = true, UseShellExecute = false };
    if (Path.GetFileNameWithoutExtension(self) == "dotnet")
    {
        info.ArgumentList.Add(System.Reflection.Assembly.GetEntryAssembly()!.Location); // started as `dotnet AuditVerify.dll`
    }

    info.ArgumentList.Add("verify");
    info.ArgumentList.Add(connectionString);
    using var child = Process.Start(info)!;
    Console.Write(await child.StandardOutput.ReadToEndAsync());
    await child.WaitForExitAsync();
}

// One verification, exactly as `merit audit verify` runs it, with its peak memory.
static async Task<int> VerifyOnceAsync(string connectionString)
{
    await using var services = Services(connectionString);
    var verifier = services.GetRequiredService<AuditVerifier>();
    using var process = Process.GetCurrentProcess();
    var before = process.WorkingSet64;
    long peakHeap = 0;
    using var sampling = new CancellationTokenSource();
    var sampler = Task.Run(async () =>
    {
        while (!sampling.IsCancellationRequested)
        {
            peakHeap = Math.Max(peakHeap, GC.GetTotalMemory(false));
            await Task.Delay(10, CancellationToken.None);
        }
    });
    var watch = Stopwatch.StartNew();
    var report = await verifier.VerifyAsync(null, null, CancellationToken.None);
    watch.Stop();
    await sampling.CancelAsync();
    await sampler;
    process.Refresh();
    Console.WriteLine(report.Summary);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"verified {report.Events:N0} events in {report.Streams:N0} streams and {report.SealsChecked} seal(s) in {watch.Elapsed.TotalSeconds:F1} s: {report.Events / watch.Elapsed.TotalSeconds:F0} events/s; " +
        $"peak working set {process.PeakWorkingSet64 / 1048576.0:F0} MiB (before verifying {before / 1048576.0:F0} MiB), " +
        $"peak GC heap {peakHeap / 1048576.0:F0} MiB, allocated {GC.GetTotalAllocatedBytes() / 1048576.0:F0} MiB in total, gen2 collections {GC.CollectionCount(2)}"));
    return report.Intact ? 0 : 1;
}

static async Task ExecuteAsync(string connectionString, string sql)
{
    await using var connection = new NpgsqlConnection(connectionString);
    await connection.OpenAsync();
    await using var command = new NpgsqlCommand(sql, connection);
    await command.ExecuteNonQueryAsync();
}
