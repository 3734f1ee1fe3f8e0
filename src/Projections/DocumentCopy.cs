using System.Collections.Concurrent;
using System.Reflection;
using Marten;
using Npgsql;
using NpgsqlTypes;

namespace Merit.Projections;

/// <summary>How <see cref="DocumentCopy"/> treats a document whose id is already in its table.</summary>
public enum ExistingDocument
{
    /// <summary>The batch fails, as Marten's Insert does: the row is new by construction (a started stream's document).</summary>
    Fail,

    /// <summary>Overwritten, as Marten's Store does.</summary>
    Overwrite,

    /// <summary>
    /// Overwritten, as Marten's Store does, for documents the caller read from the table: upserted without first asking
    /// which are there (one deleted meanwhile is stored again, as Store would).
    /// </summary>
    Replace,

    /// <summary>Overwritten only by a higher numeric revision: a rebuild never replaces what a later write stored.</summary>
    KeepNewer,
}

/// <summary>A document to copy, with the numeric revision of an aggregate (its stream's version) where its table keeps one.</summary>
public readonly record struct CopiedDocument(object Document, long? Revision);

/// <summary>
/// Documents written by binary COPY into their Marten tables — the bulk write path of the imports (docs/adr/0019) and
/// the stream-ordered rebuild of the write models (docs/adr/0018). Writes the columns Marten would (id, data, type,
/// numeric revision, the duplicated fields); a table with columns this does not know stops it before anything is written.
/// </summary>
public sealed class DocumentCopy(IDocumentStore store)
{
    private static readonly string[] KnownColumns = ["id", "data", "mt_last_modified", "mt_dotnet_type", "mt_version"];

    private readonly ConcurrentDictionary<Type, DocumentTable> tables = new();

    /// <summary>
    /// Copies <paramref name="documents"/> of one type inside the caller's transaction: straight into the table when
    /// every one must be new, otherwise into a temporary table shaped like it, then one INSERT … ON CONFLICT.
    /// </summary>
    public async Task WriteAsync(NpgsqlConnection connection, Type type, IReadOnlyCollection<CopiedDocument> documents, ExistingDocument existing, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(documents);
        var table = await TableAsync(connection, type, ct);
        if (existing == ExistingDocument.KeepNewer && !table.NumericRevision)
        {
            throw new InvalidOperationException($"{table.Qualified} keeps no numeric revision to compare.");
        }

        if (existing == ExistingDocument.Overwrite)
        {
            // Documents not yet in the table are copied straight in; only those already there go through the staging
            // table (twice the writing). One written meanwhile by someone else fails the batch on its key, as Fail does.
            var present = await PresentAsync(connection, table, documents, ct);
            var fresh = documents.Where(d => !present.Contains(table.Id(d.Document)!)).ToList();
            if (fresh.Count > 0)
            {
                await WriteAsync(connection, type, fresh, ExistingDocument.Fail, ct);
            }

            if (fresh.Count == documents.Count)
            {
                return;
            }

            documents = documents.Where(d => present.Contains(table.Id(d.Document)!)).ToList();
        }

        var serializer = store.Options.Serializer();
        var direct = existing == ExistingDocument.Fail;
        var staging = direct ? table.Qualified : "merit_copy_" + table.Name;
        if (!direct)
        {
            await using var create = new NpgsqlCommand($"create temp table if not exists {staging} (like {table.Qualified} including defaults) on commit delete rows", connection);
            await create.ExecuteNonQueryAsync(ct);
        }

        var columns = (table.NumericRevision ? "id, data, mt_dotnet_type, mt_version" : "id, data, mt_dotnet_type") + string.Concat(table.Duplicated.Select(d => ", " + d.Column));
        await using (var writer = await connection.BeginBinaryImportAsync($"copy {staging} ({columns}) from stdin (format binary)", ct))
        {
            foreach (var (document, revision) in documents)
            {
                await writer.StartRowAsync(ct);
                await writer.WriteAsync(table.Id(document), table.IdType, ct);
                await writer.WriteAsync(serializer.ToJson(document), NpgsqlDbType.Jsonb, ct);
                await writer.WriteAsync(type.FullName!, NpgsqlDbType.Varchar, ct);
                if (table.NumericRevision)
                {
                    await writer.WriteAsync(revision ?? throw new InvalidOperationException($"{type.Name} is stored with a numeric revision: give it one."), NpgsqlDbType.Bigint, ct);
                }

                foreach (var duplicated in table.Duplicated)
                {
                    await duplicated.WriteAsync(writer, document, ct);
                }
            }

            await writer.CompleteAsync(ct);
        }

        if (!direct)
        {
            var guard = existing == ExistingDocument.KeepNewer ? $" where {table.Qualified}.mt_version < excluded.mt_version" : "";
            await using var upsert = new NpgsqlCommand(
                $"insert into {table.Qualified} select * from {staging} on conflict (id) do update set data = excluded.data, " +
                "mt_last_modified = excluded.mt_last_modified, mt_dotnet_type = excluded.mt_dotnet_type, mt_version = excluded.mt_version" +
                string.Concat(table.Duplicated.Select(d => $", {d.Column} = excluded.{d.Column}")) + guard,
                connection);
            await upsert.ExecuteNonQueryAsync(ct);
        }
    }

    private static async Task<HashSet<object>> PresentAsync(NpgsqlConnection connection, DocumentTable table, IReadOnlyCollection<CopiedDocument> documents, CancellationToken ct)
    {
        var present = new HashSet<object>();
        await using var command = new NpgsqlCommand($"select id from {table.Qualified} where id = any(@ids)", connection);
        command.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | table.IdType)
        {
            Value = table.IdType == NpgsqlDbType.Uuid ? documents.Select(d => (Guid)table.Id(d.Document)!).ToArray() : documents.Select(d => (string)table.Id(d.Document)!).ToArray(),
        });
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            present.Add(reader.GetValue(0));
        }

        return present;
    }

    private async Task<DocumentTable> TableAsync(NpgsqlConnection connection, Type type, CancellationToken ct)
    {
        if (tables.TryGetValue(type, out var known))
        {
            return known;
        }

        var mapping = store.Options.FindOrResolveDocumentType(type);
        var name = mapping.TableName.Name;
        var columns = new Dictionary<string, string>(StringComparer.Ordinal);
        await using (var command = new NpgsqlCommand("select column_name, data_type from information_schema.columns where table_schema = @schema and table_name = @name order by ordinal_position", connection))
        {
            command.Parameters.AddWithValue("schema", mapping.TableName.Schema);
            command.Parameters.AddWithValue("name", name);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                columns[reader.GetString(0)] = reader.GetString(1);
            }
        }

        var duplicated = mapping.DuplicatedFields.Where(f => !f.OnlyForSearching).Select(f => new DuplicatedColumn(f.ColumnName, f.Members, f.DbType)).ToList();
        var unknown = columns.Keys.Except(KnownColumns).Except(duplicated.Select(d => d.Column)).ToList();
        if (columns.Count == 0 || unknown.Count > 0 || columns.Keys.ToList() is not ["id", "data", ..])
        {
            throw new InvalidOperationException($"Binary COPY does not know the shape of {mapping.TableName.QualifiedName} (columns {string.Join(", ", columns.Keys)}); write {type.Name} through a session.");
        }

        var idMember = (PropertyInfo)mapping.IdMember;
        var table = new DocumentTable(
            mapping.TableName.QualifiedName,
            name,
            idMember.PropertyType == typeof(Guid) ? NpgsqlDbType.Uuid : NpgsqlDbType.Varchar,
            idMember.GetValue,
            columns.GetValueOrDefault("mt_version") == "bigint",
            duplicated);
        tables[type] = table;
        return table;
    }

    private sealed record DocumentTable(string Qualified, string Name, NpgsqlDbType IdType, Func<object, object?> Id, bool NumericRevision, IReadOnlyList<DuplicatedColumn> Duplicated);

    /// <summary>
    /// A field Marten keeps in a column of its own beside the document (<c>Duplicate</c>), read from the document as
    /// Marten's own upsert reads it: along its member path, null where a step of the path is null.
    /// </summary>
    private sealed record DuplicatedColumn(string Column, MemberInfo[] Path, NpgsqlDbType DbType)
    {
        public async Task WriteAsync(NpgsqlBinaryImporter writer, object document, CancellationToken ct)
        {
            object? value = document;
            foreach (var member in Path)
            {
                value = value is null ? null : member switch
                {
                    PropertyInfo property => property.GetValue(value),
                    FieldInfo field => field.GetValue(value),
                    _ => throw new InvalidOperationException($"{member.Name} is neither a property nor a field."),
                };
            }

            if (value is null)
            {
                await writer.WriteNullAsync(ct);
                return;
            }

            // Enums as Marten stores them in a duplicated column: their name in a text column, their number otherwise.
            await writer.WriteAsync(value is Enum e ? DbType == NpgsqlDbType.Varchar ? e.ToString() : Convert.ToInt32(e, System.Globalization.CultureInfo.InvariantCulture) : value, DbType, ct);
        }
    }
}
