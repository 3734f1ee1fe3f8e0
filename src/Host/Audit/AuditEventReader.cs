using System.Runtime.CompilerServices;
using Marten;
using Npgsql;

namespace Merit.Audit;

/// <summary>One row of mt_events as the audit reads it, with what its stream's row in mt_streams records.</summary>
/// <param name="StreamVersion">The version mt_streams records for the stream; null when the stream has no row there.</param>
/// <param name="IsArchived">mt_events.is_archived: Marten's reads and rebuilds skip the event.</param>
/// <param name="StreamArchived">mt_streams.is_archived.</param>
public sealed record StoredEvent(
    Guid StreamId,
    long Version,
    long Sequence,
    string Type,
    DateTimeOffset Timestamp,
    string Data,
    string? UserName,
    string? CorrelationId,
    string? CausationId,
    string? Hash,
    string? Previous,
    long? StreamVersion,
    bool IsArchived,
    bool StreamArchived)
{
    /// <summary>
    /// The type name of Marten's sequence-gap fillers: when a save fails after drawing sequence numbers (a 409 on
    /// concurrent decisions, say), Marten writes an empty <c>Tombstone</c> event for each number, in a stream of
    /// its own whose versions are the sequence numbers, past the session and so without a chain hash.
    /// </summary>
    public const string TombstoneType = "tombstone";

    /// <summary>
    /// The type name of Marten's <c>Archived</c> event: appended through a session (so on the chain), it is the one
    /// legitimate way for a stream's events to become archived.
    /// </summary>
    public const string ArchivedType = "archived";

    public bool IsTombstone => string.Equals(Type, TombstoneType, StringComparison.Ordinal);

    /// <summary>The stream id as the chain and the anchored leaves carry it.</summary>
    public string StreamKey => EventChain.FormatStreamId(StreamId);

    /// <summary>A tombstone exactly as Marten writes one: no data, no hash, its version its sequence number.</summary>
    public bool IsWellFormedTombstone =>
        IsTombstone && Hash is null && Previous is null && Version == Sequence && CanonicalJson.Canonicalize(Data) == "{}";

    /// <summary>The chain hash recomputed from what is stored now, linked to the stored previous hash.</summary>
    public string Recompute(string? previousHash) =>
        EventChain.Link(previousHash, new ChainedEvent(Type, EventChain.FormatStreamId(StreamId), Version, Timestamp, Data, UserName, CorrelationId, CausationId));
}

/// <summary>
/// Reads mt_events straight from PostgreSQL in batches with keyset pagination — by (stream_id, version) over the unique
/// index for the chains, by seq_id over the primary key for the seals — so memory stays bounded whatever the store's size.
/// </summary>
public sealed class AuditEventReader(IDocumentStore store)
{
    private const string Columns =
        "e.stream_id, e.version, e.seq_id, e.type, e.timestamp, e.data::text, e.user_name, e.correlation_id, e.causation_id, " +
        "e.headers ->> 'hash', e.headers ->> 'prev', s.version, e.is_archived, coalesce(s.is_archived, false)";

    private string Schema => store.Options.Events.DatabaseSchemaName;

    /// <summary>Every event (or one stream's), ordered by stream and version.</summary>
    public IAsyncEnumerable<StoredEvent> ByStreamAsync(Guid? onlyStream, int batchSize, CancellationToken ct)
    {
        var sql = $"select {Columns} from {Schema}.mt_events e left join {Schema}.mt_streams s on s.id = e.stream_id " +
                  "where (e.stream_id, e.version) > (@stream, @version)" + (onlyStream is null ? "" : " and e.stream_id = @only") +
                  " order by e.stream_id, e.version limit @limit";
        return PagesAsync(sql, batchSize, (parameters, last) =>
        {
            parameters.AddWithValue("stream", last?.StreamId ?? Guid.Empty);
            parameters.AddWithValue("version", last?.Version ?? 0L);
            if (onlyStream is { } only)
            {
                parameters.AddWithValue("only", only);
            }
        }, ct);
    }

    /// <summary>The events with <paramref name="from"/> ≤ seq_id ≤ <paramref name="to"/>, in sequence order.</summary>
    public IAsyncEnumerable<StoredEvent> BySequenceAsync(long from, long to, int batchSize, CancellationToken ct)
    {
        var sql = $"select {Columns} from {Schema}.mt_events e left join {Schema}.mt_streams s on s.id = e.stream_id " +
                  "where e.seq_id > @after and e.seq_id <= @to order by e.seq_id limit @limit";
        return PagesAsync(sql, batchSize, (parameters, last) =>
        {
            parameters.AddWithValue("after", last?.Sequence ?? from - 1);
            parameters.AddWithValue("to", to);
        }, ct);
    }

    /// <summary>The events of these streams recorded before <paramref name="beforeSequence"/>, ordered by stream and version.</summary>
    public async IAsyncEnumerable<StoredEvent> OfStreamsBeforeAsync(IReadOnlyCollection<Guid> streams, long beforeSequence, [EnumeratorCancellation] CancellationToken ct)
    {
        var sql = $"select {Columns} from {Schema}.mt_events e left join {Schema}.mt_streams s on s.id = e.stream_id " +
                  "where e.stream_id = any(@streams) and e.seq_id < @before order by e.stream_id, e.version";
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("streams", streams.ToArray());
        command.Parameters.AddWithValue("before", beforeSequence);
        var events = new List<StoredEvent>();
        await ReadAsync(command, events, ct).ConfigureAwait(false);
        foreach (var e in events)
        {
            yield return e;
        }
    }

    /// <summary>
    /// A keyset query's pages, each bound after the last row of the page before. The next page is read while the
    /// caller works through the current one, so PostgreSQL reads on one core while the audit hashes on the other.
    /// </summary>
    private async IAsyncEnumerable<StoredEvent> PagesAsync(string sql, int batchSize, Action<NpgsqlParameterCollection, StoredEvent?> bind, [EnumeratorCancellation] CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        async Task<List<StoredEvent>> PageAsync(StoredEvent? after)
        {
            var page = new List<StoredEvent>(batchSize);
            await using var command = new NpgsqlCommand(sql, connection);
            bind(command.Parameters, after);
            command.Parameters.AddWithValue("limit", batchSize);
            await ReadAsync(command, page, ct).ConfigureAwait(false);
            return page;
        }

        Task<List<StoredEvent>>? next = null;
        try
        {
            var page = await PageAsync(null).ConfigureAwait(false);
            while (true)
            {
                next = page.Count < batchSize ? null : PageAsync(page[^1]);
                foreach (var e in page)
                {
                    yield return e;
                }

                if (next is null)
                {
                    yield break;
                }

                page = await next.ConfigureAwait(false);
                next = null;
            }
        }
        finally
        {
            // A caller that stops early: the page in flight finishes before its connection is closed.
            if (next is not null)
            {
                await next.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// The highest sequence number from <paramref name="from"/> on that lies below every decision event recorded after
    /// <paramref name="cutoff"/>: what can be sealed without racing a save still in flight. Tombstones do not count
    /// as recent, since Marten does not stamp them with a meaningful time.
    /// </summary>
    public async Task<long?> LastSettledSequenceAsync(long from, DateTimeOffset cutoff, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(
            $"select max(seq_id) from {Schema}.mt_events where seq_id >= @from and seq_id < coalesce(" +
            $"(select min(seq_id) from {Schema}.mt_events where seq_id >= @from and timestamp > @cutoff and type <> '{StoredEvent.TombstoneType}'), " +
            "9223372036854775807)",
            connection);
        command.Parameters.AddWithValue("from", from);
        command.Parameters.AddWithValue("cutoff", cutoff);
        return await command.ExecuteScalarAsync(ct).ConfigureAwait(false) is long sequence ? sequence : null;
    }

    /// <summary>
    /// Sequence numbers drawn from the event sequence that hold no event: a deleted event leaves one (Marten fills
    /// the numbers of a failed save with tombstones), and so does a save still in flight or one whose process died.
    /// </summary>
    public async Task<long> MissingSequencesAsync(CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(
            $"select (select case when is_called then last_value else 0 end from {Schema}.mt_events_sequence) - (select count(*) from {Schema}.mt_events)",
            connection);
        return Math.Max(0, Convert.ToInt64(await command.ExecuteScalarAsync(ct).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>How many events lie after <paramref name="afterSequence"/>, and when the oldest of them was recorded.</summary>
    public async Task<(long Count, DateTimeOffset? Oldest, long? LastSequence)> AfterAsync(long afterSequence, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(
            $"select count(*), min(timestamp) filter (where type <> '{StoredEvent.TombstoneType}'), max(seq_id) from {Schema}.mt_events where seq_id > @after",
            connection);
        command.Parameters.AddWithValue("after", afterSequence);
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        await reader.ReadAsync(ct).ConfigureAwait(false);
        return (reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetFieldValue<DateTimeOffset>(1), reader.IsDBNull(2) ? null : reader.GetInt64(2));
    }

    /// <summary>How many events lie below <paramref name="sequence"/>: the position of that event's leaf in the tree.</summary>
    public async Task<long> CountBelowAsync(long sequence, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        await using var command = new NpgsqlCommand($"select count(*) from {Schema}.mt_events where seq_id < @sequence", connection);
        command.Parameters.AddWithValue("sequence", sequence);
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// The leaves of the tree after <paramref name="after"/> up to <paramref name="to"/>, in sequence order, as proofs need them: the stored chain
    /// hash, read without the event data; an event without one (a tombstone) is read whole and hashed.
    /// </summary>
    public async IAsyncEnumerable<(long Sequence, byte[] Leaf)> LeavesAsync(long after, long to, int batchSize, [EnumeratorCancellation] CancellationToken ct)
    {
        var sql = $"select e.seq_id, e.headers ->> 'hash' from {Schema}.mt_events e where e.seq_id > @after and e.seq_id <= @to order by e.seq_id limit @limit";
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        while (true)
        {
            var batch = new List<(long Sequence, string? Hash)>(batchSize);
            await using (var command = new NpgsqlCommand(sql, connection))
            {
                command.Parameters.AddWithValue("after", after);
                command.Parameters.AddWithValue("to", to);
                command.Parameters.AddWithValue("limit", batchSize);
                await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    batch.Add((reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetString(1)));
                }
            }

            foreach (var (sequence, hash) in batch)
            {
                if (EventChain.IsHash(hash))
                {
                    yield return (sequence, Convert.FromHexString(hash!));
                }
                else
                {
                    await foreach (var e in BySequenceAsync(sequence, sequence, 1, ct).ConfigureAwait(false))
                    {
                        yield return (sequence, Convert.FromHexString(e.Recompute(e.Previous)));
                    }
                }
            }

            if (batch.Count < batchSize)
            {
                yield break;
            }

            after = batch[^1].Sequence;
        }
    }

    /// <summary>Streams that record a version but have no events left at all (every event deleted).</summary>
    public async Task<IReadOnlyList<(Guid Stream, long Version)>> EmptyStreamsAsync(Guid? onlyStream, int limit, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(
            $"select s.id, s.version from {Schema}.mt_streams s where s.version > 0 " +
            $"and not exists (select 1 from {Schema}.mt_events e where e.stream_id = s.id)" +
            (onlyStream is null ? "" : " and s.id = @only") + " order by s.id limit @limit",
            connection);
        command.Parameters.AddWithValue("limit", limit);
        if (onlyStream is { } only)
        {
            command.Parameters.AddWithValue("only", only);
        }

        var found = new List<(Guid, long)>();
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            found.Add((reader.GetGuid(0), reader.GetInt64(1)));
        }

        return found;
    }

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken ct)
    {
        var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct).ConfigureAwait(false);
        return connection;
    }

    private static async Task ReadAsync(NpgsqlCommand command, List<StoredEvent> batch, CancellationToken ct)
    {
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            batch.Add(new StoredEvent(
                reader.GetGuid(0),
                reader.GetInt64(1),
                reader.GetInt64(2),
                reader.GetString(3),
                reader.GetFieldValue<DateTimeOffset>(4),
                reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetString(6),
                reader.IsDBNull(7) ? null : reader.GetString(7),
                reader.IsDBNull(8) ? null : reader.GetString(8),
                reader.IsDBNull(9) ? null : reader.GetString(9),
                reader.IsDBNull(10) ? null : reader.GetString(10),
                reader.IsDBNull(11) ? null : reader.GetInt64(11),
                reader.GetBoolean(12),
                reader.GetBoolean(13)));
        }
    }
}
