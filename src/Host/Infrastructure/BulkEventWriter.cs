using System.Collections.Concurrent;
using System.Reflection;
using JasperFx;
using JasperFx.Events;
using JasperFx.Events.Aggregation;
using JasperFx.Events.Projections;
using Marten;
using Merit.Audit;
using Merit.Projections;
using Npgsql;
using NpgsqlTypes;

namespace Merit.Infrastructure;

/// <summary>
/// New events for one stream in a bulk write. <paramref name="ExpectedVersion"/>: the version the decision was taken
/// on — 0 starts the stream (none may exist); otherwise the stream must still be at it when the batch commits.
/// <paramref name="AggregateType"/>: the stream's type in the event store; null for a stream no aggregate is folded
/// from (a person's personal-data log), as Marten records an untyped append.
/// </summary>
public sealed record BulkAppend(Guid Id, Type? AggregateType, IReadOnlyList<object> Events, long ExpectedVersion)
{
    public bool Start => ExpectedVersion == 0;

    /// <summary>
    /// The stream's write-model document the decision was taken on, where the caller already holds it: the inline
    /// projection of that type builds on it instead of loading it again. Read no earlier than
    /// <see cref="ExpectedVersion"/>, so a stream moved on since fails the batch's version check, never a stale build.
    /// </summary>
    public object? Snapshot { get; init; }

    /// <summary>
    /// The stream's head as the caller read it with <see cref="ExpectedVersion"/> (<see cref="BulkEventWriter.HeadsAsync"/>):
    /// the batch chains onto its hash without reading it again. A stream moved on since fails the version check.
    /// </summary>
    public StreamHead? Head { get; init; }
}

/// <summary>A stream's version and the chain hash of its event at that version (null before the chain); <paramref name="Found"/>: that event was read.</summary>
public readonly record struct StreamHead(long Version, string? Hash, bool Found);

/// <summary>
/// A document written beside a bulk batch: stored (insert or overwrite) or inserted (a duplicate fails the batch);
/// <paramref name="Revision"/>: the numeric revision of an inline aggregate (its stream's version).
/// </summary>
public sealed record BulkDocument(object Document, bool InsertOnly, long? Revision = null)
{
    /// <summary>Built on a document read from its table: overwritten without asking whether it is there (<see cref="ExistingDocument.Replace"/>).</summary>
    public bool Stored { get; init; }
}

/// <summary>
/// The bulk write path of the imports (docs/adr/0019): what a Marten session does for a batch of decisions — stream
/// versions checked, events with their metadata on the hash chain, the inline projections' documents — written with
/// binary COPY in one transaction instead of one statement per row. The inline documents are built by the registered
/// inline projections themselves (their aggregators, metadata included), so a rebuild writes the same documents;
/// a document table with columns this writer does not know stops it before anything is written.
/// </summary>
public sealed class BulkEventWriter(IDocumentStore store, TimeProvider clock)
{
    private readonly DocumentCopy copy = new(store);
    private IReadOnlyList<IInlineDocuments>? inline;

    private string Schema => store.Options.Events.DatabaseSchemaName;

    /// <summary>Writes one batch in one transaction; returns the number of events appended.</summary>
    public async Task<int> WriteAsync(IReadOnlyList<BulkAppend> streams, IReadOnlyList<BulkDocument> documents, string actor, string? correlation, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(streams);
        ArgumentNullException.ThrowIfNull(documents);
        inline ??= InlineDocumentsOf(store);
        var serializer = store.Options.Serializer();
        var graph = (Marten.Events.EventGraph)store.Options.Events;

        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);

        // The hash each appended stream's next event chains onto: that of the event the decision was taken on.
        var previous = await PreviousHashesAsync(connection, streams.Where(s => !s.Start && !(s.Head is { Found: true } h && h.Version == s.ExpectedVersion)).ToList(), ct);
        var count = streams.Sum(s => s.Events.Count);
        var sequences = await ReserveSequencesAsync(connection, count, ct);
        var now = EventChain.ToStoredPrecision(clock.GetUtcNow());

        var built = new List<(BulkAppend Stream, long Expected, List<IEvent> Events)>(streams.Count);
        // Each event's data serialized once: the JSON hashed onto the chain is the JSON copied into mt_events.
        var json = new Dictionary<IEvent, string>(count, ReferenceEqualityComparer.Instance);
        var next = 0;
        foreach (var stream in streams)
        {
            var version = stream.ExpectedVersion;
            var previousHash = stream.Start ? null
                : stream.Head is { Found: true } head && head.Version == version ? head.Hash
                : previous.TryGetValue(stream.Id, out var hash) ? hash
                : throw new EventStreamUnexpectedMaxEventIdException(stream.Id, stream.AggregateType, version, 0);
            var events = new List<IEvent>(stream.Events.Count);
            foreach (var data in stream.Events)
            {
                var e = graph.BuildEvent(data);
                e.Id = Guid.CreateVersion7(now);
                e.StreamId = stream.Id;
                e.Version = version + events.Count + 1;
                e.Sequence = sequences[next++];
                e.Timestamp = now;
                e.TenantId = StorageConstants.DefaultTenantId;
                e.UserName = actor;
                e.CorrelationId = correlation;
                events.Add(e);
            }

            AuditChain.Stamp(EventChain.FormatStreamId(stream.Id), events, previousHash, e => json[e] = serializer.ToJson(e.Data));
            built.Add((stream, version, events));
        }

        var written = await InlineDocumentsAsync(built, ct);
        try
        {
            await WriteStreamsAsync(connection, built, ct);
            await WriteEventsAsync(connection, built.SelectMany(b => b.Events), json, ct);
            var groups = written.Concat(documents).GroupBy(d => (Type: d.Document.GetType(), Existing: d.InsertOnly ? ExistingDocument.Fail : d.Stored ? ExistingDocument.Replace : ExistingDocument.Overwrite));
            foreach (var group in groups)
            {
                await copy.WriteAsync(connection, group.Key.Type, group.Select(d => new CopiedDocument(d.Document, d.Revision)).ToList(), group.Key.Existing, ct);
            }

            await transaction.CommitAsync(ct);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            // A stream, event version or claim written meanwhile by a concurrent writer: this batch loses, whole.
            throw new ConcurrencyException($"A concurrent writer recorded part of this batch first ({e.ConstraintName}).", typeof(IEvent), streams[0].Id);
        }

        return count;
    }

    /// <summary>
    /// The head of each of these streams that exists — its version and the hash of its event at that version — for a
    /// caller that appends to streams it holds no write model of (<see cref="BulkAppend.Head"/>): one read for the
    /// version check and the chain.
    /// </summary>
    public async Task<Dictionary<Guid, StreamHead>> HeadsAsync(IReadOnlyCollection<Guid> ids, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(ids);
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(
            $"select s.id, s.version, e.headers ->> '{AuditChain.HashHeader}', e.stream_id is not null from {Schema}.mt_streams s " +
            $"left join {Schema}.mt_events e on e.stream_id = s.id and e.version = s.version where s.id = any(@ids)",
            connection);
        command.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = ids.ToArray() });
        await using var reader = await command.ExecuteReaderAsync(ct);
        var heads = new Dictionary<Guid, StreamHead>(ids.Count);
        while (await reader.ReadAsync(ct))
        {
            // A head event that is missing gives no head: the write reads it again and stops there, as for any stream.
            heads[reader.GetGuid(0)] = new StreamHead(reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetBoolean(3));
        }

        return heads;
    }

    // Committed events are immutable, so this read needs no lock: if a stream has moved on, the version check fails the batch.
    private async Task<Dictionary<Guid, string?>> PreviousHashesAsync(NpgsqlConnection connection, List<BulkAppend> appends, CancellationToken ct)
    {
        var result = new Dictionary<Guid, string?>(appends.Count);
        if (appends.Count == 0)
        {
            return result;
        }

        await using var command = new NpgsqlCommand(
            $"select e.stream_id, e.headers ->> '{AuditChain.HashHeader}' from {Schema}.mt_events e " +
            "join unnest(@ids, @versions) as w(stream_id, version) on e.stream_id = w.stream_id and e.version = w.version",
            connection);
        command.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = appends.Select(a => a.Id).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("versions", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = appends.Select(a => a.ExpectedVersion).ToArray() });
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            result[reader.GetGuid(0)] = reader.IsDBNull(1) ? null : reader.GetString(1);
        }

        return result;
    }

    // Inside the transaction, just before the rows are written: the daemon sees a live writer behind the gap (docs/adr/0017).
    private async Task<long[]> ReserveSequencesAsync(NpgsqlConnection connection, int count, CancellationToken ct)
    {
        var sequences = new long[count];
        await using var command = new NpgsqlCommand($"select nextval('{Schema}.mt_events_sequence') from generate_series(1, @n)", connection);
        command.Parameters.AddWithValue("n", count);
        await using var reader = await command.ExecuteReaderAsync(ct);
        for (var i = 0; await reader.ReadAsync(ct); i++)
        {
            sequences[i] = reader.GetInt64(0);
        }

        Array.Sort(sequences);
        return sequences;
    }

    private async Task<List<BulkDocument>> InlineDocumentsAsync(List<(BulkAppend Stream, long Expected, List<IEvent> Events)> built, CancellationToken ct)
    {
        var documents = new List<BulkDocument>();
        await using var query = store.QuerySession();
        foreach (var projection in inline!)
        {
            var slices = built.Where(b => projection.AppliesTo(b.Events)).ToList();
            if (slices.Count == 0)
            {
                continue;
            }

            documents.AddRange(await projection.BuildAsync(query, slices.Select(s => new InlineSlice(s.Stream.Id, s.Stream.Start, s.Stream.Snapshot, s.Events)).ToList(), ct));
        }

        return documents;
    }

    private async Task WriteStreamsAsync(NpgsqlConnection connection, List<(BulkAppend Stream, long Expected, List<IEvent> Events)> built, CancellationToken ct)
    {
        var graph = (Marten.Events.EventGraph)store.Options.Events;
        var started = built.Where(b => b.Stream.Start).ToList();
        if (started.Count > 0)
        {
            await using var writer = await connection.BeginBinaryImportAsync(
                $"copy {Schema}.mt_streams (id, type, version, timestamp, created, tenant_id, is_archived) from stdin (format binary)", ct);
            foreach (var (stream, _, events) in started)
            {
                await writer.StartRowAsync(ct);
                await writer.WriteAsync(stream.Id, NpgsqlDbType.Uuid, ct);
                await WriteNullableAsync(writer, stream.AggregateType is null ? null : graph.AggregateAliasFor(stream.AggregateType), ct);
                await writer.WriteAsync(events[^1].Version, NpgsqlDbType.Bigint, ct);
                await writer.WriteAsync(events[^1].Timestamp, NpgsqlDbType.TimestampTz, ct);
                await writer.WriteAsync(events[0].Timestamp, NpgsqlDbType.TimestampTz, ct);
                await writer.WriteAsync(StorageConstants.DefaultTenantId, NpgsqlDbType.Varchar, ct);
                await writer.WriteAsync(false, NpgsqlDbType.Boolean, ct);
            }

            await writer.CompleteAsync(ct);
        }

        var moved = built.Where(b => !b.Stream.Start).ToList();
        if (moved.Count == 0)
        {
            return;
        }

        // The optimistic check Marten makes per stream, for the whole batch at once: every stream still at the
        // version its events were numbered from, or nothing of the batch is written.
        await using var command = new NpgsqlCommand(
            $"update {Schema}.mt_streams s set version = u.version, timestamp = u.at from unnest(@ids, @expected, @versions, @at) as u(id, expected, version, at) " +
            "where s.id = u.id and s.version = u.expected",
            connection);
        command.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = moved.Select(m => m.Stream.Id).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("expected", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = moved.Select(m => m.Expected).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("versions", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = moved.Select(m => m.Events[^1].Version).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("at", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = moved.Select(m => m.Events[^1].Timestamp).ToArray() });
        var updated = await command.ExecuteNonQueryAsync(ct);
        if (updated != moved.Count)
        {
            throw new ConcurrencyException($"{moved.Count - updated} of {moved.Count} streams of this batch were changed by a concurrent writer.", typeof(IEvent), moved[0].Stream.Id);
        }
    }

    private async Task WriteEventsAsync(NpgsqlConnection connection, IEnumerable<IEvent> events, Dictionary<IEvent, string> json, CancellationToken ct)
    {
        var serializer = store.Options.Serializer();
        await using var writer = await connection.BeginBinaryImportAsync(
            $"copy {Schema}.mt_events (seq_id, id, stream_id, version, data, type, timestamp, tenant_id, mt_dotnet_type, correlation_id, causation_id, headers, user_name, is_archived) from stdin (format binary)",
            ct);
        foreach (var e in events)
        {
            await writer.StartRowAsync(ct);
            await writer.WriteAsync(e.Sequence, NpgsqlDbType.Bigint, ct);
            await writer.WriteAsync(e.Id, NpgsqlDbType.Uuid, ct);
            await writer.WriteAsync(e.StreamId, NpgsqlDbType.Uuid, ct);
            await writer.WriteAsync(e.Version, NpgsqlDbType.Bigint, ct);
            await writer.WriteAsync(json[e], NpgsqlDbType.Jsonb, ct);
            await writer.WriteAsync(e.EventTypeName, NpgsqlDbType.Varchar, ct);
            await writer.WriteAsync(e.Timestamp, NpgsqlDbType.TimestampTz, ct);
            await writer.WriteAsync(e.TenantId, NpgsqlDbType.Varchar, ct);
            await writer.WriteAsync(e.DotNetTypeName, NpgsqlDbType.Varchar, ct);
            await WriteNullableAsync(writer, e.CorrelationId, ct);
            await WriteNullableAsync(writer, e.CausationId, ct);
            await writer.WriteAsync(serializer.ToJson(e.Headers), NpgsqlDbType.Jsonb, ct);
            await WriteNullableAsync(writer, e.UserName, ct);
            await writer.WriteAsync(false, NpgsqlDbType.Boolean, ct);
        }

        await writer.CompleteAsync(ct);
    }

    private static async Task WriteNullableAsync(NpgsqlBinaryImporter writer, string? value, CancellationToken ct)
    {
        if (value is null)
        {
            await writer.WriteNullAsync(ct);
        }
        else
        {
            await writer.WriteAsync(value, NpgsqlDbType.Varchar, ct);
        }
    }

    private static List<IInlineDocuments> InlineDocumentsOf(IDocumentStore store) =>
        ((StoreOptions)store.Options).Projections.All
            .Where(p => p.Lifecycle == ProjectionLifecycle.Inline)
            .Select(p => p is IAggregatorSource<IQuerySession> source
                ? (IInlineDocuments)Activator.CreateInstance(typeof(InlineDocuments<>).MakeGenericType(source.AggregateType), p, store)!
                : throw new InvalidOperationException($"The bulk writer only knows single-stream inline projections; {p.Name} is not one."))
            .ToList();

    private interface IInlineDocuments
    {
        bool AppliesTo(IReadOnlyList<IEvent> events);

        Task<List<BulkDocument>> BuildAsync(IQuerySession session, List<InlineSlice> slices, CancellationToken ct);
    }

    private sealed record InlineSlice(Guid Id, bool Start, object? Snapshot, IReadOnlyList<IEvent> Events);

    /// <summary>One inline projection's documents for a batch: the current snapshots loaded at once, then its own aggregator.</summary>
    private sealed class InlineDocuments<TDoc>(object projection, IDocumentStore store) : IInlineDocuments, IIdentitySetter<TDoc, Guid>
        where TDoc : class
    {
        private readonly IAggregator<TDoc, Guid, IQuerySession> aggregator = (IAggregator<TDoc, Guid, IQuerySession>)projection;
        // The same screen Marten's inline step applies before a projection sees a stream.
        private readonly Func<IEnumerable<Type>, bool> appliesTo = projection.GetType().GetMethod("AppliesTo", [typeof(IEnumerable<Type>)])!.CreateDelegate<Func<IEnumerable<Type>, bool>>(projection);
        private readonly PropertyInfo id = (PropertyInfo)store.Options.FindOrResolveDocumentType(typeof(TDoc)).IdMember;

        // Marten's screen asks whether any of the types applies; its answer per type is kept, since a batch asks it
        // for every stream of thousands that carry the same few types.
        private readonly ConcurrentDictionary<Type, bool> applies = new();

        public bool AppliesTo(IReadOnlyList<IEvent> events)
        {
            foreach (var e in events)
            {
                if (applies.GetOrAdd(e.EventType, type => appliesTo([type])))
                {
                    return true;
                }
            }

            return false;
        }

        public async Task<List<BulkDocument>> BuildAsync(IQuerySession session, List<InlineSlice> slices, CancellationToken ct)
        {
            // Only the snapshots the caller did not hand over are loaded, all at once.
            var missing = slices.Where(s => !s.Start && s.Snapshot is not TDoc).Select(s => s.Id).ToArray();
            var snapshots = missing.Length == 0 ? new Dictionary<Guid, TDoc>()
                : (await session.LoadManyAsync<TDoc>(ct, missing)).ToDictionary(d => (Guid)id.GetValue(d)!);
            foreach (var slice in slices)
            {
                if (!slice.Start && slice.Snapshot is TDoc held)
                {
                    snapshots[slice.Id] = held;
                }
            }

            var documents = new List<BulkDocument>(slices.Count);
            foreach (var (streamId, _, _, events) in slices)
            {
                var snapshot = snapshots.GetValueOrDefault(streamId);
                var document = await aggregator.BuildAsync(events, session, snapshot, streamId, this, ct);
                if (document is not null)
                {
                    // A started stream's document is new: inserted, and a duplicate fails the batch as the stream's own key would.
                    documents.Add(new BulkDocument(document, InsertOnly: snapshot is null && events[0].Version == 1, Revision: events[^1].Version) { Stored = snapshot is not null });
                }
                else if (snapshot is not null)
                {
                    throw new InvalidOperationException($"These events would delete the {typeof(TDoc).Name} of stream {streamId}; write them through a session.");
                }
            }

            return documents;
        }

        public void SetIdentity(TDoc document, Guid identity) => id.SetValue(document, identity);

        public Guid Identity(TDoc document) => (Guid)id.GetValue(document)!;
    }
}
