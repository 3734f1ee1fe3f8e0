using Marten;
using Npgsql;

namespace Merit.Infrastructure;

/// <summary>A write model as stored, with its numeric revision: the version of its stream it reflects.</summary>
public readonly record struct Revised<T>(Guid Id, T Document, long Version);

/// <summary>
/// Write models read with their revisions from the same rows, for the batched paths (imports, round-wide decisions):
/// Marten keeps an inline aggregate's stream version as its document's numeric revision, so a decision taken on a
/// document can name the version its stream must still be at when the batch commits — one query, not two.
/// </summary>
public static class WriteModelQueries
{
    /// <summary>
    /// The documents of <typeparamref name="T"/> matching <paramref name="where"/>, a condition over its table with
    /// <c>$1</c> bound to <paramref name="parameter"/>; a duplicated column or the id, so an index serves it.
    /// </summary>
    public static async Task<List<Revised<T>>> RevisedAsync<T>(this IDocumentStore store, NpgsqlConnection connection, string where, object parameter, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(connection);
        var table = store.Options.FindOrResolveDocumentType(typeof(T)).TableName.QualifiedName;
        var serializer = store.Options.Serializer();
        await using var command = new NpgsqlCommand($"select id, mt_version, data from {table} where {where}", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        await using var reader = await command.ExecuteReaderAsync(ct);
        var models = new List<Revised<T>>();
        while (await reader.ReadAsync(ct))
        {
            models.Add(new Revised<T>(reader.GetGuid(0), serializer.FromJson<T>(reader, 2), reader.GetInt64(1)));
        }

        return models;
    }
}
