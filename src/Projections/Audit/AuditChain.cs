using JasperFx.Events;
using Marten;
using Marten.Services;
using Npgsql;
using NpgsqlTypes;

namespace Merit.Audit;

/// <summary>
/// Puts every appended event on its stream's hash chain (docs/adr/0007). Registered on the store's options, so every
/// session of the store — Wolverine's, the daemon's, a script's — runs it; no handler can append around it.
/// The hash and the previous hash travel in the event's own headers (<c>hash</c>, <c>prev</c>), written in the same
/// INSERT as the event.
/// </summary>
public static class AuditChain
{
    public const string HashHeader = "hash";
    public const string PreviousHeader = "prev";

    /// <summary>
    /// Adds the chain to the store. Needs <see cref="EventAppendMode.Rich"/>: the hash covers the stream version
    /// and timestamp, which the quick modes only learn inside the database.
    /// </summary>
    public static StoreOptions AddAuditChain(this StoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Events.AppendMode != EventAppendMode.Rich)
        {
            throw new InvalidOperationException("The audit hash chain needs Events.AppendMode = EventAppendMode.Rich (docs/adr/0007).");
        }

        if (!options.Events.MetadataConfig.HeadersEnabled)
        {
            throw new InvalidOperationException("The audit hash chain stores its hashes in event headers: enable Events.MetadataConfig.HeadersEnabled.");
        }

        if (!options.Listeners.OfType<AuditChainListener>().Any())
        {
            options.Listeners.Add(new AuditChainListener());
        }

        options.Schema.For<AuditSeal>();
        options.Schema.For<AuditTreeChunk>();
        return options;
    }

    /// <summary>
    /// Takes the chain off a store's sessions again: only to measure what the chain costs (bench/AuditAppend). A store
    /// without it appends events no audit can verify.
    /// </summary>
    public static StoreOptions WithoutAuditChain(this StoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        foreach (var listener in options.Listeners.OfType<AuditChainListener>().ToList())
        {
            options.Listeners.Remove(listener);
        }

        return options;
    }

    /// <summary>
    /// Hashes the events of one stream, in version order, onto <paramref name="previousHash"/> (null before version
    /// 1) and writes the <c>hash</c> and <c>prev</c> headers. Each event's version, type name and metadata must already
    /// be final; its timestamp is truncated to the microseconds PostgreSQL keeps. A bulk import (BulkInsertEventsAsync
    /// bypasses the session) calls this itself before the bulk call. Returns the last hash.
    /// </summary>
    public static string? Stamp(string streamId, IEnumerable<IEvent> events, string? previousHash, ISerializer serializer)
    {
        ArgumentNullException.ThrowIfNull(serializer);
        return Stamp(streamId, events, previousHash, e => serializer.ToJson(e.Data));
    }

    /// <summary>
    /// As above, with each event's data serialized by <paramref name="dataJson"/>: a writer that stores the same JSON
    /// (the bulk writer) serializes each event once.
    /// </summary>
    public static string? Stamp(string streamId, IEnumerable<IEvent> events, string? previousHash, Func<IEvent, string> dataJson)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(dataJson);
        foreach (var e in events)
        {
            if (e.Version <= 0)
            {
                throw new InvalidOperationException("An event must have its stream version before it is hashed (EventAppendMode.Rich).");
            }

            e.Timestamp = EventChain.ToStoredPrecision(e.Timestamp);
            var hash = EventChain.Link(previousHash, ContentOf(streamId, e, dataJson(e)));
            if (previousHash is not null)
            {
                e.SetHeader(PreviousHeader, previousHash);
            }

            e.SetHeader(HashHeader, hash);
            previousHash = hash;
        }

        return previousHash;
    }

    /// <summary>
    /// Puts new streams on the chain before <c>store.BulkInsertEventsAsync</c>, which copies rows past the session
    /// and so past the listener: versions 1..n in the streams' event order (as the bulk appender assigns them), a
    /// timestamp where none was set, then the hashes. Set each event's user name and correlation id first.
    /// </summary>
    public static void StampForBulkInsert(this IDocumentStore store, IEnumerable<StreamAction> streams, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(streams);
        ArgumentNullException.ThrowIfNull(clock);
        var serializer = store.Options.Serializer();
        foreach (var stream in streams)
        {
            if (stream.ActionType != StreamActionType.Start)
            {
                throw new InvalidOperationException("A bulk insert only starts new streams; append to existing ones through a session.");
            }

            long version = 0;
            foreach (var e in stream.Events)
            {
                e.Version = ++version;
                if (e.Timestamp == default)
                {
                    e.Timestamp = clock.GetUtcNow();
                }
            }

            Stamp(EventChain.FormatStreamId(stream.Id), stream.Events, null, serializer);
        }
    }

    private static ChainedEvent ContentOf(string streamId, IEvent e, string dataJson) =>
        new(e.EventTypeName, streamId, e.Version, e.Timestamp, dataJson, e.UserName, e.CorrelationId, e.CausationId);

    /// <summary>The session hook: runs after Marten has assigned versions, sequences and metadata, before the batch is written.</summary>
    private sealed class AuditChainListener : DocumentSessionListenerBase
    {
        public override async Task BeforeSaveChangesAsync(IDocumentSession session, CancellationToken token)
        {
            var streams = session.PendingChanges.Streams().Where(s => s.Events.Count > 0).ToList();
            if (streams.Count == 0)
            {
                return;
            }

            var serializer = session.DocumentStore.Options.Serializer();
            var previous = await PreviousHashesAsync(session, streams, token).ConfigureAwait(false);
            foreach (var stream in streams)
            {
                var first = stream.Events.Min(e => e.Version);
                previous.TryGetValue(stream.Id, out var previousHash);
                Stamp(EventChain.FormatStreamId(stream.Id), stream.Events.OrderBy(e => e.Version), first > 1 ? previousHash : null, serializer);
            }
        }

        // One round trip for all streams of the save: the hash of the event just before each stream's first new one.
        // That event is committed and immutable; if another writer got in first, Marten's version check fails this save.
        private static async Task<Dictionary<Guid, string?>> PreviousHashesAsync(IDocumentSession session, List<StreamAction> streams, CancellationToken token)
        {
            var previous = new Dictionary<Guid, string?>();
            var wanted = streams
                .Select(s => (s.Id, Version: s.Events.Min(e => e.Version) - 1))
                .Where(s => s.Version >= 1)
                .ToList();
            if (wanted.Count == 0)
            {
                return previous;
            }

            var schema = session.DocumentStore.Options.Events.DatabaseSchemaName;
            await using var command = new NpgsqlCommand(
                $"select e.stream_id, e.headers ->> '{HashHeader}' from {schema}.mt_events e " +
                "join unnest(@ids, @versions) as w(stream_id, version) on e.stream_id = w.stream_id and e.version = w.version");
            command.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = wanted.Select(w => w.Id).ToArray() });
            command.Parameters.Add(new NpgsqlParameter("versions", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = wanted.Select(w => w.Version).ToArray() });
            await using var reader = await session.ExecuteReaderAsync(command, token).ConfigureAwait(false);
            while (await reader.ReadAsync(token).ConfigureAwait(false))
            {
                previous[reader.GetGuid(0)] = await reader.IsDBNullAsync(1, token).ConfigureAwait(false) ? null : reader.GetString(1);
            }

            return previous;
        }
    }
}
