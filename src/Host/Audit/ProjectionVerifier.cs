using System.Globalization;
using System.Text.Json.Nodes;
using JasperFx.Events.Projections;
using Marten;
using Merit.Infrastructure;
using Merit.Localization;
using Merit.Projections;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Merit.Audit;

/// <summary>How a live read-model document differs from the one rebuilt from the events.</summary>
public enum DocumentDifferenceKind
{
    /// <summary>Both exist; their JSON or their revision differ.</summary>
    Changed,

    /// <summary>The events produce this document; the live store lacks it (deleted).</summary>
    Missing,

    /// <summary>The live store holds this document; the events do not produce it (inserted).</summary>
    Extra,
}

/// <summary>Which side of a difference is wrong: the events are authoritative unless they fail their own chain.</summary>
public enum RepairSide
{
    /// <summary>The events verify: the read model is wrong; rebuild its projection from the events.</summary>
    ReadModel,

    /// <summary>The document's stream fails its hash chain: the events themselves were changed; restore them first.</summary>
    Events,
}

/// <summary>One document that differs: its projection, type, id, the JSON paths that differ, and which side to repair.</summary>
/// <param name="Paths">For <see cref="DocumentDifferenceKind.Changed"/>: each differing JSON path, with the live and the rebuilt value.</param>
/// <param name="Repair">What to do about it, in words.</param>
public sealed record DocumentDifference(string Projection, string DocumentType, string Id, DocumentDifferenceKind Kind, IReadOnlyList<string> Paths, RepairSide Side, string Repair);

/// <summary>The outcome of <c>merit projections verify</c>.</summary>
/// <param name="Clean">No document differs and every projection could be compared.</param>
/// <param name="Documents">Live documents compared.</param>
/// <param name="Projections">Projections rebuilt and compared.</param>
/// <param name="Events">Events replayed (the live history up to <paramref name="LastSequence"/>).</param>
/// <param name="DifferenceCount">All differing documents, including those not listed.</param>
/// <param name="Differences">The differing documents (at most Merit:Audit:MaxReported).</param>
/// <param name="Behind">Asynchronous projections the live daemon had not caught up on, so not compared.</param>
public sealed record ProjectionReport(
    bool Clean,
    string Summary,
    long Documents,
    int Projections,
    long Events,
    long LastSequence,
    long DifferenceCount,
    IReadOnlyList<DocumentDifference> Differences,
    IReadOnlyList<string> Behind);

/// <summary>
/// Rebuilds every projection from the events into a scratch schema and compares the result, document by document,
/// with the live read models (docs/adr/0012). A second Marten store keeps its events, documents and daemon
/// progression in <see cref="Schema"/>; the live history is copied there inside PostgreSQL, in the same snapshot as
/// the live documents, and rebuilt with Marten's own rebuild; the JSON is compared in PostgreSQL (jsonb equality);
/// the schema is dropped afterwards. The live store and its daemon are only read.
/// </summary>
public sealed partial class ProjectionVerifier(IDocumentStore store, AuditVerifier chains, IConfiguration configuration, TimeProvider clock, IOptions<AuditOptions> options, ILogger<ProjectionVerifier> logger)
{
    /// <summary>The scratch schema, dropped after every run.</summary>
    public const string Schema = "merit_verify";

    // One verification at a time per database: they share the scratch schema.
    private const long VerifyLockId = 0x6d65726974_01; // "merit" 01

    public async Task<ProjectionReport> VerifyAsync(CancellationToken ct)
    {
        var settings = options.Value;
        var live = ((DocumentStore)store).Options;
        var projections = live.Projections.All
            .Select(p => (p.Name, p.Lifecycle, Types: p.PublishedTypes().ToList()))
            .Where(p => p.Types.Count > 0)
            .OrderBy(p => p.Lifecycle == ProjectionLifecycle.Inline ? 0 : 1) // write models first: asynchronous read models read them
            .ThenBy(p => p.Name, StringComparer.Ordinal)
            .ToList();
        var tables = projections
            .SelectMany(p => p.Types.Select(t => (Projection: p.Name, Type: t, Table: ((IReadOnlyStoreOptions)live).FindOrResolveDocumentType(t).TableName.Name)))
            .ToList();
        var asyncShards = live.Projections.AllShards().Select(s => s.Name.Identity).ToList();

        await using var guard = await OpenAsync(ct).ConfigureAwait(false);
        await ExecuteAsync(guard, $"select pg_advisory_lock({VerifyLockId})", ct).ConfigureAwait(false);
        try
        {
            await ExecuteAsync(guard, $"drop schema if exists {Schema} cascade", ct).ConfigureAwait(false);
            using var scratch = new DocumentStore(ScratchOptions(live.Projections.DaemonLockId));
            await scratch.Storage.Database.ApplyAllConfiguredChangesToDatabaseAsync(null, null, ct).ConfigureAwait(false);

            var (lastSequence, events, behind) = await CopyAsync(tables.Select(t => t.Table).Distinct(StringComparer.Ordinal).ToList(), asyncShards, ct).ConfigureAwait(false);
            LogCopied(logger, events, lastSequence);

            using (var daemon = await scratch.BuildProjectionDaemonAsync().ConfigureAwait(false))
            {
                foreach (var projection in projections)
                {
                    await daemon.RebuildProjectionAsync(projection.Name, TimeSpan.FromMinutes(10), ct).ConfigureAwait(false);
                    LogRebuilt(logger, projection.Name);
                }
            }

            long documents = 0, differenceCount = 0;
            var differences = new List<DocumentDifference>();
            foreach (var (projection, type, table) in tables)
            {
                if (behind.Any(b => b.StartsWith(projection + ":", StringComparison.Ordinal)))
                {
                    continue;
                }

                documents += await ScalarAsync(guard, $"select count(*) from {Schema}.live_{table}", ct).ConfigureAwait(false);
                differenceCount += await ScalarAsync(guard, $"select count(*) from ({DifferenceSql(table)}) d", ct).ConfigureAwait(false);
                if (differences.Count < settings.MaxReported)
                {
                    differences.AddRange(await DifferencesAsync(guard, projection, type.Name, table, settings.MaxReported - differences.Count, ct).ConfigureAwait(false));
                }
            }

            differences = await WithRepairAsync(differences, ct).ConfigureAwait(false);
            var compared = projections.Count(p => !behind.Any(b => b.StartsWith(p.Name + ":", StringComparison.Ordinal)));
            var clean = differenceCount == 0 && behind.Count == 0;
            LogVerified(logger, clean, documents, compared, differenceCount);
            var report = new ProjectionReport(clean, "", documents, compared, events, lastSequence, differenceCount, differences, behind);

            // In the reader's language: the request's over HTTP, the command line's own (docs/adr/0050).
            return report with { Summary = Summarize(report, Texts.Current) };
        }
        finally
        {
            await ExecuteAsync(guard, $"drop schema if exists {Schema} cascade", CancellationToken.None).ConfigureAwait(false);
            await ExecuteAsync(guard, $"select pg_advisory_unlock({VerifyLockId})", CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The scratch store: the product's own store configuration (so the same projections), everything in the scratch
    /// schema — events, documents and mt_event_progression, so nothing is shared with the live daemon — and a
    /// daemon lock id of its own.
    /// </summary>
    private StoreOptions ScratchOptions(int liveLockId)
    {
        var scratch = new StoreOptions().Configure(LocalPostgres.ConnectionString(configuration), clock);
        scratch.DatabaseSchemaName = Schema;
        scratch.Events.DatabaseSchemaName = Schema;
        scratch.Projections.DaemonLockId = liveLockId + 7919;
        return scratch;
    }

    /// <summary>
    /// In one repeatable-read snapshot: the live streams and events into the scratch event tables, and the live
    /// documents beside them (so appends during the run change neither side). Retries until every asynchronous
    /// projection has reached the newest event in the snapshot, up to Merit:Audit:ProjectionCatchUpSeconds.
    /// </summary>
    private async Task<(long LastSequence, long Events, List<string> Behind)> CopyAsync(List<string> tables, List<string> asyncShards, CancellationToken ct)
    {
        var deadline = clock.GetUtcNow() + TimeSpan.FromSeconds(options.Value.ProjectionCatchUpSeconds);
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        while (true)
        {
            await using var tx = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct).ConfigureAwait(false);
            var lastSequence = await ScalarAsync(connection, $"select coalesce(max(seq_id), 0) from {MeritStore.SchemaName}.mt_events", ct).ConfigureAwait(false);
            var behind = new List<string>();
            foreach (var shard in asyncShards)
            {
                await using var command = new NpgsqlCommand($"select last_seq_id from {MeritStore.SchemaName}.mt_event_progression where name = @name", connection);
                command.Parameters.AddWithValue("name", shard);
                var progress = await command.ExecuteScalarAsync(ct).ConfigureAwait(false) is long p ? p : 0;
                if (progress < lastSequence)
                {
                    behind.Add(string.Create(CultureInfo.InvariantCulture, $"{shard} (at {progress} of {lastSequence})"));
                }
            }

            if (behind.Count > 0 && clock.GetUtcNow() < deadline)
            {
                await tx.RollbackAsync(ct).ConfigureAwait(false);
                await Task.Delay(TimeSpan.FromMilliseconds(500), clock, ct).ConfigureAwait(false);
                continue;
            }

            foreach (var table in new[] { "mt_streams", "mt_events" })
            {
                var columns = await SharedColumnsAsync(connection, table, ct).ConfigureAwait(false);
                await ExecuteAsync(connection, $"insert into {Schema}.{table} ({columns}) select {columns} from {MeritStore.SchemaName}.{table}", ct).ConfigureAwait(false);
            }

            var events = await ScalarAsync(connection, $"select count(*) from {Schema}.mt_events", ct).ConfigureAwait(false);
            await ExecuteAsync(connection, $"select setval('{Schema}.mt_events_sequence', greatest({lastSequence}, 1))", ct).ConfigureAwait(false);
            foreach (var table in tables)
            {
                await ExecuteAsync(connection, $"create table {Schema}.live_{table} as select id, data, mt_version from {MeritStore.SchemaName}.{table}", ct).ConfigureAwait(false);
            }

            await tx.CommitAsync(ct).ConfigureAwait(false);
            return (lastSequence, events, behind);
        }
    }

    // A live document and its rebuilt twin, matched by id: differing JSON (jsonb equality: key order and white space do
    // not count) or revision, or one side absent.
    private static string DifferenceSql(string table) =>
        $"select coalesce(l.id, r.id)::text as id, l.id is null as missing, r.id is null as extra, l.data::text as live, r.data::text as rebuilt " +
        $"from {Schema}.live_{table} l full join {Schema}.{table} r on r.id = l.id " +
        "where l.id is null or r.id is null or l.data <> r.data or l.mt_version is distinct from r.mt_version";

    private static async Task<List<DocumentDifference>> DifferencesAsync(NpgsqlConnection connection, string projection, string type, string table, int limit, CancellationToken ct)
    {
        var found = new List<DocumentDifference>();
        await using var command = new NpgsqlCommand($"{DifferenceSql(table)} order by 1 limit {limit}", connection);
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            var id = reader.GetString(0);
            var kind = reader.GetBoolean(1) ? DocumentDifferenceKind.Missing : reader.GetBoolean(2) ? DocumentDifferenceKind.Extra : DocumentDifferenceKind.Changed;
            var paths = new List<string>();
            if (kind == DocumentDifferenceKind.Changed)
            {
                JsonPaths.Differences(JsonNode.Parse(reader.GetString(3)), JsonNode.Parse(reader.GetString(4)), "$", paths, JsonPaths.LiveAndRebuilt);
                if (paths.Count == 0)
                {
                    paths.Add(Texts.Current.Say("mt_version (Marten's revision: the last event's stream version, or sequence for a multi-stream projection)"));
                }
            }

            found.Add(new DocumentDifference(projection, type, id, kind, paths, RepairSide.ReadModel, ""));
        }

        return found;
    }

    /// <summary>
    /// The events are authoritative — unless they fail their own hash chain. A document keyed by a stream whose chain
    /// breaks points at the events; every other difference at the read model.
    /// </summary>
    private async Task<List<DocumentDifference>> WithRepairAsync(List<DocumentDifference> differences, CancellationToken ct)
    {
        var repaired = new List<DocumentDifference>(differences.Count);
        foreach (var difference in differences)
        {
            var broken = Guid.TryParse(difference.Id, CultureInfo.InvariantCulture, out var stream)
                ? (await chains.VerifyAsync(stream, null, ct).ConfigureAwait(false)).Broken is [var first, ..] ? first : null
                : null;
            repaired.Add(broken is null
                ? difference with
                {
                    Side = RepairSide.ReadModel,
                    Repair = Texts.Current.Say($"The read model: the events are authoritative; rebuild projection {difference.Projection} from them."),
                }
                : difference with
                {
                    Side = RepairSide.Events,
                    Repair = Texts.Current.Say($"The events: stream {broken.StreamId} fails its hash chain at version {broken.Version} ({broken.Kind}); restore its events from a copy that verifies against the anchored seals, then rebuild projection {difference.Projection}."),
                });
        }

        return repaired;
    }

    /// <summary>The report in one line: "no difference, N documents in M projections …", or the first difference and what was not compared.</summary>
    public static string Summarize(ProjectionReport report, Texts texts)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(texts);
        if (report.Clean)
        {
            return texts.Format("projections.summary.clean", report.Documents, report.Projections, report.LastSequence);
        }

        var parts = new List<string>();
        if (report.DifferenceCount > 0)
        {
            var first = report.Differences[0];
            parts.Add(texts.Format("projections.summary.differ", report.DifferenceCount, first.DocumentType, first.Id, first.Projection, first.Kind,
                texts[first.Side == RepairSide.Events ? "projections.summary.the-events" : "projections.summary.the-read-model"], first.Repair));
        }

        if (report.Behind.Count > 0)
        {
            parts.Add(texts.Format("projections.summary.behind", string.Join(", ", report.Behind)));
        }

        return texts.Format("projections.summary.differences", string.Join(". ", parts));
    }

    // Columns of a live event table that the scratch one has too, in the live order (both come from the same configuration).
    private static async Task<string> SharedColumnsAsync(NpgsqlConnection connection, string table, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            "select string_agg(quote_ident(l.column_name), ', ' order by l.ordinal_position) from information_schema.columns l " +
            "join information_schema.columns s on s.table_schema = @scratch and s.table_name = l.table_name and s.column_name = l.column_name " +
            "where l.table_schema = @live and l.table_name = @table",
            connection);
        command.Parameters.AddWithValue("scratch", Schema);
        command.Parameters.AddWithValue("live", MeritStore.SchemaName);
        command.Parameters.AddWithValue("table", table);
        return (string)(await command.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
    }

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken ct)
    {
        var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct).ConfigureAwait(false);
        return connection;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    private static async Task<long> ScalarAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Projection verification: {Events} events up to sequence {LastSequence} copied into the scratch schema")]
    private static partial void LogCopied(ILogger logger, long events, long lastSequence);

    [LoggerMessage(Level = LogLevel.Information, Message = "Projection verification: {Projection} rebuilt")]
    private static partial void LogRebuilt(ILogger logger, string projection);

    [LoggerMessage(Level = LogLevel.Information, Message = "Projection verification done: clean {Clean}, {Documents} documents in {Projections} projections, {Differences} differ")]
    private static partial void LogVerified(ILogger logger, bool clean, long documents, int projections, long differences);
}

/// <summary>The JSON paths at which two documents differ, each said by the caller with the two values (in the reader's language).</summary>
internal static class JsonPaths
{
    private const int MaxPaths = 20;

    /// <summary>A difference of the live read model and its rebuild.</summary>
    public static string LiveAndRebuilt(string path, string live, string rebuilt) => Texts.Current.Say($"{path}: live {live}, rebuilt {rebuilt}");

    public static void Differences(JsonNode? live, JsonNode? rebuilt, string path, List<string> found, Func<string, string, string, string> say)
    {
        if (found.Count >= MaxPaths)
        {
            return;
        }

        switch (live, rebuilt)
        {
            case (JsonObject l, JsonObject r):
                foreach (var name in l.Select(p => p.Key).Union(r.Select(p => p.Key), StringComparer.Ordinal).Order(StringComparer.Ordinal))
                {
                    Differences(l[name], r[name], path + "." + name, found, say);
                }

                break;
            case (JsonArray l, JsonArray r):
                for (var i = 0; i < Math.Max(l.Count, r.Count); i++)
                {
                    Differences(i < l.Count ? l[i] : null, i < r.Count ? r[i] : null, string.Create(CultureInfo.InvariantCulture, $"{path}[{i}]"), found, say);
                }

                break;
            default:
                if (!JsonNode.DeepEquals(live, rebuilt))
                {
                    found.Add(say(path, Show(live), Show(rebuilt)));
                }

                break;
        }
    }

    private static string Show(JsonNode? node)
    {
        var text = node?.ToJsonString() ?? Texts.Current.Say("absent");
        return text.Length <= 80 ? text : text[..77] + "...";
    }
}
