using System.Diagnostics;
using System.Text;
using JasperFx.Events;
using Marten;
using Merit.Projections;
using Npgsql;
using NpgsqlTypes;

namespace Merit.Bench;

/// <summary>
/// What PostgreSQL and Marten can do with the very rows the product wrote, measured in the same run on the same
/// database (docs/performance.md, item 1): (a) binary COPY of the event JSON into a plain table, (b) binary COPY into copies of
/// mt_streams and mt_events (same keys, unique index, foreign key), (c) Marten's BulkInsertEventsAsync into a store
/// of its own, (d) binary COPY of every row the applicant import wrote — events, streams, write models, personal
/// data, claims — into copies of their tables: the limit of this data model. And the sequential read of every event,
/// against which rebuild and verification are set.
/// </summary>
public sealed class Baselines(string connectionString)
{
    private const string Schema = MeritStore.SchemaName;

    /// <summary>The events with sequence numbers in (after, upTo], and their streams, as stored (every column).</summary>
    public async Task<StoredRows> ReadAsync(long after, long upTo, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        var events = await RowsAsync(connection, "mt_events", $"where seq_id > {after} and seq_id <= {upTo} order by seq_id", ct);
        var streams = await RowsAsync(connection, "mt_streams", $"where id in (select stream_id from {Schema}.mt_events where seq_id > {after} and seq_id <= {upTo})", ct);
        return new StoredRows(events, streams);
    }

    /// <summary>(a) The absolute limit: the same JSON, binary COPY into a table with no key.</summary>
    public async Task<TimeSpan> CopyPlainAsync(StoredRows rows, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await ExecuteAsync(connection, "drop schema if exists baseline_a cascade; create schema baseline_a; create table baseline_a.events (stream_id uuid, data jsonb)", ct);
        var streamId = rows.Events.Index("stream_id");
        var data = rows.Events.Index("data");
        var watch = Stopwatch.StartNew();
        await using (var transaction = await connection.BeginTransactionAsync(ct))
        {
            await using (var copy = await connection.BeginBinaryImportAsync("copy baseline_a.events (stream_id, data) from stdin (format binary)", ct))
            {
                foreach (var row in rows.Events.Values)
                {
                    await copy.StartRowAsync(ct);
                    await copy.WriteAsync((Guid)row[streamId]!, NpgsqlDbType.Uuid, ct);
                    await copy.WriteAsync((string)row[data]!, NpgsqlDbType.Jsonb, ct);
                }

                await copy.CompleteAsync(ct);
            }

            await transaction.CommitAsync(ct);
        }

        return watch.Elapsed;
    }

    /// <summary>(b) The limit for Marten's schema: every column of the stored rows into copies of mt_streams and mt_events.</summary>
    public async Task<TimeSpan> CopyEventTablesAsync(StoredRows rows, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await ExecuteAsync(connection,
            $"drop schema if exists baseline_b cascade; create schema baseline_b; " +
            $"create table baseline_b.mt_streams (like {Schema}.mt_streams including all); " +
            $"create table baseline_b.mt_events (like {Schema}.mt_events including all); " +
            "alter table baseline_b.mt_events add foreign key (stream_id) references baseline_b.mt_streams (id) on delete cascade",
            ct);
        var watch = Stopwatch.StartNew();
        await using (var transaction = await connection.BeginTransactionAsync(ct))
        {
            await CopyAsync(connection, "baseline_b.mt_streams", rows.Streams, ct);
            await CopyAsync(connection, "baseline_b.mt_events", rows.Events, ct);
            await transaction.CommitAsync(ct);
        }

        return watch.Elapsed;
    }

    /// <summary>(c) The best the library offers: the same events, deserialized, through Marten's BulkInsertEventsAsync into a store of their own.</summary>
    public async Task<TimeSpan> MartenBulkInsertAsync(StoredRows rows, CancellationToken ct)
    {
        var options = new StoreOptions().Configure(connectionString, TimeProvider.System);
        options.DatabaseSchemaName = "baseline_c";
        using var store = new DocumentStore(options);
        await store.Advanced.Clean.CompletelyRemoveAllAsync(ct);
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        var serializer = store.Options.Serializer();
        var (streamId, data, type) = (rows.Events.Index("stream_id"), rows.Events.Index("data"), rows.Events.Index("mt_dotnet_type"));
        var actions = rows.Events.Values
            .GroupBy(r => (Guid)r[streamId]!)
            .Select(g => StreamAction.Start(store.Events, g.Key, g.Select(r =>
                serializer.FromJson(Type.GetType((string)r[type]!, throwOnError: true)!, new MemoryStream(Encoding.UTF8.GetBytes((string)r[data]!)))).ToArray()))
            .ToList();
        var watch = Stopwatch.StartNew();
        await store.BulkInsertEventsAsync(actions, 10_000, ct);
        return watch.Elapsed;
    }

    /// <summary>
    /// (d)'s input, taken as the import left them: the rows of each table matching its condition, in PostgreSQL's own
    /// binary COPY format, one file per table in <paramref name="folder"/> (the bench holds none of them in memory).
    /// </summary>
    public async Task<List<(string Table, string Path, long Rows)>> ExportRowsAsync(IReadOnlyList<(string Table, string Where)> tables, string folder, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        var files = new List<(string Table, string Path, long Rows)>();
        foreach (var (table, where) in tables)
        {
            var path = Path.Combine(folder, $"{table}.copy");
            await using (var file = File.Create(path))
            await using (var copy = await connection.BeginRawBinaryCopyAsync($"copy (select * from {Schema}.{table} {where}) to stdout (format binary)", ct))
            {
                await copy.CopyToAsync(file, ct);
            }

            await using var count = new NpgsqlCommand($"select count(*) from {Schema}.{table} {where}", connection);
            files.Add((table, path, (long)(await count.ExecuteScalarAsync(ct))!));
        }

        return files;
    }

    /// <summary>(d) The limit of this data model: every row the import wrote, binary COPY into copies of its tables (keys, indexes, the events' foreign key), one transaction.</summary>
    public async Task<TimeSpan> CopyWrittenRowsAsync(IReadOnlyList<(string Table, string Path, long Rows)> files, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        var create = string.Concat(files.Select(f => $"create table baseline_d.{f.Table} (like {Schema}.{f.Table} including all); "));
        var foreignKey = files.Any(f => f.Table == "mt_streams") && files.Any(f => f.Table == "mt_events")
            ? "alter table baseline_d.mt_events add foreign key (stream_id) references baseline_d.mt_streams (id) on delete cascade"
            : "";
        await ExecuteAsync(connection, $"drop schema if exists baseline_d cascade; create schema baseline_d; {create}{foreignKey}", ct);
        var watch = Stopwatch.StartNew();
        await using (var transaction = await connection.BeginTransactionAsync(ct))
        {
            // Streams before events, for the foreign key.
            foreach (var (table, path, _) in files.OrderBy(f => f.Table == "mt_events"))
            {
                await using var file = File.OpenRead(path);
                await using var copy = await connection.BeginRawBinaryCopyAsync($"copy baseline_d.{table} from stdin (format binary)", ct);
                await file.CopyToAsync(copy, ct);
            }

            await transaction.CommitAsync(ct);
        }

        return watch.Elapsed;
    }

    /// <summary>Reads every event in sequence order, each column's value materialized, as a rebuild or a verification must at least.</summary>
    public async Task<(long Events, TimeSpan Elapsed)> ReadAllEventsAsync(CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        var watch = Stopwatch.StartNew();
        long events = 0;
        await using var command = new NpgsqlCommand($"select seq_id, stream_id, version, type, timestamp, data::text, headers::text, user_name, correlation_id from {Schema}.mt_events order by seq_id", connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            for (var i = 0; i < reader.FieldCount; i++)
            {
                _ = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            events++;
        }

        return (events, watch.Elapsed);
    }

    public async Task<long> MaxSequenceAsync(CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand($"select coalesce(max(seq_id), 0) from {Schema}.mt_events", connection);
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    private static async Task<Rows> RowsAsync(NpgsqlConnection connection, string table, string where, CancellationToken ct)
    {
        var columns = new List<(string Name, NpgsqlDbType Type)>();
        await using (var command = new NpgsqlCommand("select column_name, data_type from information_schema.columns where table_schema = @schema and table_name = @table order by ordinal_position", connection))
        {
            command.Parameters.AddWithValue("schema", Schema);
            command.Parameters.AddWithValue("table", table);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                columns.Add((reader.GetString(0), TypeOf(reader.GetString(1))));
            }
        }

        var values = new List<object?[]>();
        var list = string.Join(", ", columns.Select(c => c.Type == NpgsqlDbType.Jsonb ? $"{c.Name}::text" : c.Name));
        await using (var command = new NpgsqlCommand($"select {list} from {Schema}.{table} {where}", connection))
        {
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var row = new object?[columns.Count];
                for (var i = 0; i < row.Length; i++)
                {
                    row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
                }

                values.Add(row);
            }
        }

        return new Rows(columns, values);
    }

    private static NpgsqlDbType TypeOf(string dataType) => dataType switch
    {
        "bigint" => NpgsqlDbType.Bigint,
        "integer" => NpgsqlDbType.Integer,
        "uuid" => NpgsqlDbType.Uuid,
        "jsonb" => NpgsqlDbType.Jsonb,
        "boolean" => NpgsqlDbType.Boolean,
        "bytea" => NpgsqlDbType.Bytea,
        "timestamp with time zone" => NpgsqlDbType.TimestampTz,
        "timestamp without time zone" => NpgsqlDbType.Timestamp,
        "character varying" or "text" => NpgsqlDbType.Text,
        _ => throw new NotSupportedException($"column type {dataType}"),
    };

    private static async Task CopyAsync(NpgsqlConnection connection, string table, Rows rows, CancellationToken ct)
    {
        var columns = string.Join(", ", rows.Columns.Select(c => c.Name));
        await using var copy = await connection.BeginBinaryImportAsync($"copy {table} ({columns}) from stdin (format binary)", ct);
        foreach (var row in rows.Values)
        {
            await copy.StartRowAsync(ct);
            for (var i = 0; i < row.Length; i++)
            {
                if (row[i] is { } value)
                {
                    await copy.WriteAsync(value, rows.Columns[i].Type, ct);
                }
                else
                {
                    await copy.WriteNullAsync(ct);
                }
            }
        }

        await copy.CompleteAsync(ct);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }

    public sealed record Rows(List<(string Name, NpgsqlDbType Type)> Columns, List<object?[]> Values)
    {
        public int Index(string column) => Columns.FindIndex(c => c.Name == column);
    }

    public sealed record StoredRows(Rows Events, Rows Streams);
}
