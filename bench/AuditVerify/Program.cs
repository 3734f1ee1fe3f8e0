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

// Measures `merit audit verify` (AuditVerifier: every chain, then every seal and the anchored seals) over a growing
// store: appends chained events through the product's append path (a Marten session with the audit chain listener,
// so every hash is real) up to each size, seals and anchors them, then verifies in a child process of its own so that
// its peak working set is the verification's alone, not the appending's; then times the proofs (docs/adr/0044): an
// inclusion proof for the first, middle and last event, a consistency proof between the first and the newest seal,
// and the offline audit pack. Usage: AuditVerify [SIZE ...] (default 100000 1000000).
if (args is ["verify", var connection, var anchorDirectory])
{
    return await VerifyOnceAsync(connection, anchorDirectory);
}

var sizes = args.Length > 0 ? args.Select(a => long.Parse(a, CultureInfo.InvariantCulture)).ToArray() : [100_000L, 1_000_000L];
var server = LocalPostgres.EnsureStarted();
var database = "merit_bench_verify_" + Guid.NewGuid().ToString("N")[..12];
var connectionString = new NpgsqlConnectionStringBuilder(server) { Database = database }.ConnectionString;
var keyFile = Path.Combine(Path.GetTempPath(), database + ".pem");
var anchor = Directory.CreateTempSubdirectory(database + "-anchor-").FullName;
await File.WriteAllTextAsync(keyFile, AuditSealingKey.GeneratePem());
Environment.SetEnvironmentVariable("MERIT_DEV_AUDIT_KEY_FILE", keyFile); // the child verifies with the key the parent sealed with
await ExecuteAsync(server, $"CREATE DATABASE \"{database}\"");
try
{
    await using var services = Services(connectionString, anchor);
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
        await VerifyInChildAsync(connectionString, anchor);
        await ProveAsync(services, appended);
    }
}
finally
{
    NpgsqlConnection.ClearAllPools();
    await ExecuteAsync(server, $"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)");
    File.Delete(keyFile);
    Directory.Delete(anchor, recursive: true);
}

return 0;

// The audit's services as the Host registers them, over a store configured as the Host's (hash chain included).
static ServiceProvider Services(string connectionString, string anchorDirectory)
{
    var configuration = new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?> { ["Merit:Audit:SealSettleSeconds"] = "0", ["Merit:Audit:AnchorDirectory"] = anchorDirectory })
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
static async Task VerifyInChildAsync(string connectionString, string anchorDirectory)
{
    var self = Environment.ProcessPath!;
    var info = new ProcessStartInfo(self) { RedirectStandardOutput = true, UseShellExecute = false };
    if (Path.GetFileNameWithoutExtension(self) == "dotnet")
    {
        info.ArgumentList.Add(System.Reflection.Assembly.GetEntryAssembly()!.Location); // started as `dotnet AuditVerify.dll`
    }

    info.ArgumentList.Add("verify");
    info.ArgumentList.Add(connectionString);
    info.ArgumentList.Add(anchorDirectory);
    using var child = Process.Start(info)!;
    Console.Write(await child.StandardOutput.ReadToEndAsync());
    await child.WaitForExitAsync();
}

// One verification, exactly as `merit audit verify` runs it, with its peak memory.
static async Task<int> VerifyOnceAsync(string connectionString, string anchorDirectory)
{
    await using var services = Services(connectionString, anchorDirectory);
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

// The time to produce each kind of proof on the store as it stands: the first keeps the chunk hashes up to the seal
// (one scan of the leaves), the others read at most one chunk of leaves each.
static async Task ProveAsync(ServiceProvider services, long events)
{
    var proofs = services.GetRequiredService<AuditProofs>();
    var seals = services.GetRequiredService<AuditSeals>();
    var newest = (await seals.LastAsync(CancellationToken.None))!;
    foreach (var (name, sequence) in new[] { ("first", 1L), ("middle", newest.ToSequence / 2), ("last", newest.ToSequence) })
    {
        var watch = Stopwatch.StartNew();
        var proof = await proofs.EventAsync(sequence, null, CancellationToken.None);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"inclusion proof of the {name} event (sequence {sequence}) in the tree of {newest.TreeSize:N0}: {watch.Elapsed.TotalSeconds:F2} s, {proof.Proof?.Path.Count} nodes{(proof.Problem is { } p ? ", " + p : "")}"));
    }

    var consistencyWatch = Stopwatch.StartNew();
    var consistency = await proofs.ConsistencyAsync(1, newest.Id, CancellationToken.None);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"consistency proof seal 1 → seal {newest.Id}: {consistencyWatch.Elapsed.TotalSeconds:F2} s, {consistency.Proof?.Proof.Count} nodes"));

    var pack = Path.GetTempFileName();
    try
    {
        var packWatch = Stopwatch.StartNew();
        await using (var output = File.Create(pack))
        {
            await services.GetRequiredService<AuditPack>().WriteAsync(output, null, CancellationToken.None);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"audit pack of {events:N0} events: {packWatch.Elapsed.TotalSeconds:F1} s, {new FileInfo(pack).Length / 1048576.0:F0} MiB"));

        // The standard-library verifier, when run from the repository's root: how fast an outside auditor checks the pack.
        var script = Path.Combine("tools", "merit_verify.py");
        if (File.Exists(script))
        {
            var verifyWatch = Stopwatch.StartNew();
            using var python = Process.Start(new ProcessStartInfo("python3", [script, pack]) { RedirectStandardOutput = true })!;
            var verdict = (await python.StandardOutput.ReadToEndAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
            await python.WaitForExitAsync();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"python3 tools/merit_verify.py: {verifyWatch.Elapsed.TotalSeconds:F1} s ({events / verifyWatch.Elapsed.TotalSeconds:F0} events/s): {verdict}"));
        }
    }
    finally
    {
        File.Delete(pack);
    }
}

static async Task ExecuteAsync(string connectionString, string sql)
{
    await using var connection = new NpgsqlConnection(connectionString);
    await connection.OpenAsync();
    await using var command = new NpgsqlCommand(sql, connection);
    await command.ExecuteNonQueryAsync();
}
