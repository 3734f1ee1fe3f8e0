using System.Diagnostics;
using System.Globalization;
using JasperFx.Events;
using Marten;
using Merit.Audit;
using Merit.Infrastructure;
using Merit.Projections;
using Merit.Recruitment;
using Npgsql;

// Appends the same events to a fresh database under each append mode and prints events per second.
// Two shapes: one event per SaveChanges through FetchForWriting (what an HTTP command does), and 100 events per
// SaveChanges (10 streams × 10 events, a batch import through the session).
var total = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20_000;
var server = LocalPostgres.EnsureStarted();

(string Name, Action<StoreOptions> Setup)[] modes =
[
    ("QuickWithServerTimestamps (default), no chain", o => o.WithoutAuditChain().Events.AppendMode = EventAppendMode.QuickWithServerTimestamps),
    ("Rich, no chain", o => o.WithoutAuditChain().Events.AppendMode = EventAppendMode.Rich),
    ("Rich + hash chain (chosen)", _ => { }), // the store as MeritStore configures it
];

// The hashing alone, in process: serialize as Marten does, canonicalize, SHA-256.
{
    var serializer = new StoreOptions().Configure("Host=unused", TimeProvider.System).Serializer();
    var sample = Enumerable.Range(0, total).Select(i => EventFor(Guid.NewGuid(), i % 10)).ToArray();
    var watch = Stopwatch.StartNew();
    string? previous = null;
    for (var i = 0; i < sample.Length; i++)
    {
        previous = EventChain.Link(previous, new ChainedEvent("round_stage_advanced", "6f1c2a4e-93b7-4d0e-8f51-0b7a1d2c3e4f", i + 1, DateTimeOffset.UtcNow,
            serializer.ToJson(sample[i]), "bench", "correlation", null));
    }

    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"hashing alone (serialize + canonicalize + SHA-256), one core: {total / watch.Elapsed.TotalSeconds:F0} events/s"));
}

const int Rounds = 4;
Console.WriteLine($"{total} events per mode and shape, in {Rounds} interleaved rounds so that load from elsewhere spreads evenly; sequential, one client");
var stores = new List<(string Name, DocumentStore Store, string Database)>();
try
{
    foreach (var (name, setup) in modes)
    {
        var database = "merit_bench_" + Guid.NewGuid().ToString("N")[..12];
        await ExecuteAsync(server, $"CREATE DATABASE \"{database}\"");
        var options = new StoreOptions().Configure(new NpgsqlConnectionStringBuilder(server) { Database = database }.ConnectionString, TimeProvider.System);
        setup(options);
        var store = new DocumentStore(options);
        stores.Add((name, store, database));
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        await PerCommandAsync(store, 200); // warm-up: connections, generated SQL, JIT
    }

    var perCommand = new TimeSpan[stores.Count];
    var batched = new TimeSpan[stores.Count];
    for (var round = 0; round < Rounds; round++)
    {
        for (var i = 0; i < stores.Count; i++)
        {
            perCommand[i] += await PerCommandAsync(stores[i].Store, total / Rounds);
            batched[i] += await BatchedAsync(stores[i].Store, total / Rounds);
        }
    }

    for (var i = 0; i < stores.Count; i++)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{stores[i].Name,-48} one event per save: {total / perCommand[i].TotalSeconds,7:F0} events/s   100 events per save: {total / batched[i].TotalSeconds,7:F0} events/s"));
    }
}
finally
{
    foreach (var (_, store, database) in stores)
    {
        store.Dispose();
        NpgsqlConnection.ClearAllPools();
        await ExecuteAsync(server, $"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)");
    }
}

// One save per event, as a command handler does: fetch the stream for writing (expected version), append, save.
static async Task<TimeSpan> PerCommandAsync(DocumentStore store, int events)
{
    const int perStream = 10;
    var watch = Stopwatch.StartNew();
    for (var s = 0; s < events / perStream; s++)
    {
        var id = Guid.NewGuid();
        for (var v = 0; v < perStream; v++)
        {
            await using var session = store.LightweightSession();
            session.LastModifiedBy = "bench";
            var stream = await session.Events.FetchForWriting<Round>(id);
            stream.AppendOne(EventFor(id, v));
            await session.SaveChangesAsync();
        }
    }

    return watch.Elapsed;
}

// 100 events per save: 10 new streams of 10 events each.
static async Task<TimeSpan> BatchedAsync(DocumentStore store, int events)
{
    var watch = Stopwatch.StartNew();
    for (var b = 0; b < events / 100; b++)
    {
        await using var session = store.LightweightSession();
        session.LastModifiedBy = "bench";
        for (var s = 0; s < 10; s++)
        {
            var id = Guid.NewGuid();
            session.Events.StartStream<Round>(id, Enumerable.Range(0, 10).Select(v => EventFor(id, v)).ToArray());
        }

        await session.SaveChangesAsync();
    }

    return watch.Elapsed;
}

static object EventFor(Guid id, int index) => index == 0
    ? new RoundOpened(id, "BENCH-" + id.ToString("N"), "Bench round", "CPNS-2024", DateTimeOffset.UtcNow)
    : new RoundStageAdvanced(id, (RoundStage)((index - 1) % 10), (RoundStage)(index % 10), DateTimeOffset.UtcNow);

static async Task ExecuteAsync(string connectionString, string sql)
{
    await using var connection = new NpgsqlConnection(connectionString);
    await connection.OpenAsync();
    await using var command = new NpgsqlCommand(sql, connection);
    await command.ExecuteNonQueryAsync();
}
