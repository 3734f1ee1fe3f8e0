using System.Runtime.CompilerServices;
using Marten;
using Merit.Localization;
using Npgsql;
using NpgsqlTypes;

namespace Merit.Recruitment.Files;

/// <summary>
/// The keys by which a staged row is checked and ordered: <paramref name="Id"/> the case the row names (unique in
/// the file), <paramref name="Alternate"/> a second key that must be unique where the row has one (the person of a
/// NIK), <paramref name="Group"/> what the rows are written grouped by (the formation's code).
/// </summary>
public readonly record struct StagedKeys(Guid Id, Guid? Alternate = null, string? Group = null);

/// <summary>
/// An imported file's rows in a temporary table on the import's own connection (docs/adr/0053): the file is read
/// once, as it streams in; the file-wide checks (duplicates) are SQL over the table; the check and the write read
/// the rows back a chunk at a time, in the order each needs, joined with the write models where they need them. An
/// import holds a chunk of its file in memory, never the whole of it, whatever the file's size.
/// </summary>
public sealed class ImportStaging : IAsyncDisposable
{
    /// <summary>
    /// Errors listed before checking stops: the file is refused at the first, and a thousand lines to correct are
    /// more than a committee reads before sending the file again.
    /// </summary>
    public const int MaxErrors = 1_000;

    /// <summary>The staged rows' table, visible only to <see cref="Connection"/> and dropped with it.</summary>
    public const string Table = "pg_temp.merit_import_rows";

    private ImportStaging(NpgsqlConnection connection, CsvHeader header, int rows)
    {
        Connection = connection;
        Header = header;
        Rows = rows;
    }

    /// <summary>The connection the staged rows live on: every read of them goes through it.</summary>
    public NpgsqlConnection Connection { get; }

    public CsvHeader Header { get; }

    /// <summary>The file's data rows, good and bad.</summary>
    public int Rows { get; }

    /// <summary>
    /// Reads <paramref name="file"/> into the table, row by row; each row's problems (and the header's) are added to
    /// <paramref name="errors"/>, up to <see cref="MaxErrors"/>. Null when the header is wrong: nothing was staged.
    /// </summary>
    public static async Task<ImportStaging?> LoadAsync(IDocumentStore store, Stream file, IReadOnlyList<string> required, IReadOnlyList<string>? optional, Func<CsvRow, StagedKeys> keysOf, List<FileError> errors, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(keysOf);
        ArgumentNullException.ThrowIfNull(errors);
        using var reader = CsvFileReader.Open(file, required, optional, errors);
        if (reader is null)
        {
            return null;
        }

        var connection = store.Storage.Database.CreateConnection();
        try
        {
            await connection.OpenAsync(ct);
            await using (var create = new NpgsqlCommand(
                $"drop table if exists {Table}; create temporary table {Table} (line int not null, id uuid not null, alternate uuid, grp text, fields text[] not null)", connection))
            {
                await create.ExecuteNonQueryAsync(ct);
            }

            var rows = 0;
            await using (var copy = await connection.BeginBinaryImportAsync($"copy {Table} (line, id, alternate, grp, fields) from stdin (format binary)", ct))
            {
                var before = errors.Count;
                while (reader.Next(errors) is { } row)
                {
                    var keys = keysOf(row);
                    await copy.StartRowAsync(ct);
                    await copy.WriteAsync(row.Line, NpgsqlDbType.Integer, ct);
                    await copy.WriteAsync(keys.Id, NpgsqlDbType.Uuid, ct);
                    if (keys.Alternate is { } alternate)
                    {
                        await copy.WriteAsync(alternate, NpgsqlDbType.Uuid, ct);
                    }
                    else
                    {
                        await copy.WriteNullAsync(ct);
                    }

                    if (keys.Group is { } group)
                    {
                        await copy.WriteAsync(group, NpgsqlDbType.Text, ct);
                    }
                    else
                    {
                        await copy.WriteNullAsync(ct);
                    }

                    await copy.WriteAsync(row.Values, NpgsqlDbType.Array | NpgsqlDbType.Text, ct);
                    rows++;
                    if (errors.Count >= MaxErrors)
                    {
                        break;
                    }
                }

                rows += errors.Count - before;
                await copy.CompleteAsync(ct);
            }

            if (reader.NotUtf8)
            {
                errors.RemoveAll(e => e.Line != 0);
            }

            return new ImportStaging(connection, reader.Header, rows);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Every row whose <paramref name="key"/> (<c>id</c> or <c>alternate</c>) an earlier row has too, reported on <paramref name="column"/>.</summary>
    public async Task<List<FileError>> DuplicatesAsync(string key, string column, CancellationToken ct)
    {
        // A sort of the whole file, as long as the file is large: no command timeout (see ChunksAsync).
        await using var command = new NpgsqlCommand(
            $"select line, first from (select line, min(line) over (partition by {key}) as first from {Table} where {key} is not null) d " +
            $"where line <> first order by line limit {MaxErrors}",
            Connection)
        {
            CommandTimeout = 0,
        };
        await using var reader = await command.ExecuteReaderAsync(ct);
        var duplicates = new List<FileError>();
        while (await reader.ReadAsync(ct))
        {
            duplicates.Add(new FileError(reader.GetInt32(0), column, Texts.Current.Say($"duplicate of line {reader.GetInt32(1)}")));
        }

        return duplicates;
    }

    /// <summary>The staged rows in chunks of <paramref name="size"/>, in the file's order or grouped (<c>grp, line</c>).</summary>
    public IAsyncEnumerable<CsvRow[]> ChunksAsync(bool grouped, int size, CancellationToken ct) =>
        ChunksAsync($"select line, fields from {Table} order by {(grouped ? "grp, line" : "line")}", [], r => Row(r, 0, 1)!, size, ct);

    /// <summary>
    /// The results of <paramref name="sql"/> (a query over <see cref="Table"/>, with <c>$1</c>… bound to
    /// <paramref name="parameters"/>) in chunks of <paramref name="size"/>, each result made by <paramref name="read"/>;
    /// streamed, so only the chunk being handed out is held.
    /// </summary>
    public async IAsyncEnumerable<T[]> ChunksAsync<T>(string sql, object[] parameters, Func<NpgsqlDataReader, T> read, int size, [EnumeratorCancellation] CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(read);
        // A sorted read of a national file (2.85 million rows joined with their cases) gives its first row after
        // minutes: no command timeout here; the import's cancellation (the client gone) stops it instead.
        await using var command = new NpgsqlCommand(sql, Connection) { CommandTimeout = 0 };
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        await using var reader = await command.ExecuteReaderAsync(ct);
        var chunk = new List<T>(size);
        while (await reader.ReadAsync(ct))
        {
            chunk.Add(read(reader));
            if (chunk.Count == size)
            {
                yield return [.. chunk];
                chunk.Clear();
            }
        }

        if (chunk.Count > 0)
        {
            yield return [.. chunk];
        }
    }

    /// <summary>A staged row from the result's line and fields columns; null where the query found none (an outer join).</summary>
    public CsvRow? Row(NpgsqlDataReader reader, int lineColumn, int fieldsColumn)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return reader.IsDBNull(lineColumn) ? null : new CsvRow(reader.GetInt32(lineColumn), Header, reader.GetFieldValue<string[]>(fieldsColumn));
    }

    public async ValueTask DisposeAsync()
    {
        // The pooled connection goes back without the table: it is dropped here rather than left to a reset.
        try
        {
            await using var drop = new NpgsqlCommand($"drop table if exists {Table}", Connection);
            await drop.ExecuteNonQueryAsync();
        }
        catch (NpgsqlException)
        {
            // A broken connection takes its temporary table with it.
        }

        await Connection.DisposeAsync();
    }
}
