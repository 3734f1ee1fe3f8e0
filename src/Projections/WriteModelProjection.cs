using System.Reflection;
using JasperFx.Events;
using JasperFx.Events.Aggregation;
using JasperFx.Events.Daemon;
using JasperFx.Events.Grouping;
using JasperFx.Events.Projections;
using JasperFx.Events.Subscriptions;
using Marten;
using Marten.Events;
using Marten.Events.Aggregation;
using Marten.Storage;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Merit.Projections;

/// <summary>
/// An inline write model: a single-stream projection kept current in the appending transaction, whose rebuild replays
/// each stream whole, in stream order, and writes each document once by binary COPY (docs/adr/0018). The daemon's
/// own rebuild reads the events in sequence order, a page at a time, and loads and rewrites a document for every
/// page that holds one of its stream's events — an application's five events are five loads and five upserts.
/// Everything else (catch-up, inline application) is Marten's.
/// </summary>
public abstract partial class WriteModelProjection<TDoc> : SingleStreamProjection<TDoc, Guid>, ISubscriptionFactory<IDocumentOperations, IQuerySession>
    where TDoc : class
{
    ISubscriptionExecution ISubscriptionFactory<IDocumentOperations, IQuerySession>.BuildExecution(IEventStore<IDocumentOperations, IQuerySession> store, IEventDatabase database, ILoggerFactory loggerFactory, ShardName shardName) =>
        BuildExecution(store, database, loggerFactory.CreateLogger(GetType()), shardName);

    ISubscriptionExecution ISubscriptionFactory<IDocumentOperations, IQuerySession>.BuildExecution(IEventStore<IDocumentOperations, IQuerySession> store, IEventDatabase database, ILogger logger, ShardName shardName) =>
        BuildExecution(store, database, logger, shardName);

    // What JasperFx's aggregation base builds, with a runner that offers the stream-ordered replay.
    private GroupedProjectionExecution BuildExecution(IEventStore<IDocumentOperations, IQuerySession> store, IEventDatabase database, ILogger logger, ShardName shardName)
    {
        var session = store.OpenSession(database);
        var replay = CanReplayByStream && database is IMartenDatabase ? new StreamOrderedReplay(store, database, this, logger) : null;
        var runner = new Runner(store, database, this, BuildSlicer(session), logger, replay);
        return new GroupedProjectionExecution(shardName, runner, logger) { Disposables = [session] };
    }

    /// <summary>
    /// The replay applies when the projection is inline (no progress of its own to keep) and filters by concrete event
    /// types, as Marten's event loader would (an interface or no type at all means every event).
    /// </summary>
    private bool CanReplayByStream =>
        Lifecycle == ProjectionLifecycle.Inline
        && IncludedEventTypes.Count > 0
        && IncludedEventTypes.All(t => t is { IsInterface: false, IsAbstract: false });

    private sealed class Runner(IEventStore<IDocumentOperations, IQuerySession> store, IEventDatabase database, WriteModelProjection<TDoc> projection, IEventSlicer slicer, ILogger logger, StreamOrderedReplay? replay)
        : AggregationRunner<TDoc, Guid, IDocumentOperations, IQuerySession>(store, database, projection, SliceBehavior.Preprocess, slicer, logger), IGroupedProjectionRunner
    {
        bool IGroupedProjectionRunner.TryBuildReplayExecutor(out IReplayExecutor executor)
        {
            executor = replay!;
            return replay is not null;
        }
    }

    /// <summary>
    /// Reads the projection's events up to the daemon's high-water mark ordered by stream and version (the events
    /// table's unique index), folds each stream with the projection's own aggregator, and copies the documents in
    /// batches, each in its own transaction. A document already written by a later append is kept (its revision is
    /// higher). Memory holds one stream's events and one batch of documents.
    /// </summary>
    private sealed partial class StreamOrderedReplay(IEventStore<IDocumentOperations, IQuerySession> store, IEventDatabase database, WriteModelProjection<TDoc> projection, ILogger logger)
        : IReplayExecutor, IIdentitySetter<TDoc, Guid>
    {
        private const int DocumentsPerTransaction = 5_000;

        private readonly DocumentCopy copy = new((IDocumentStore)store);
        private readonly PropertyInfo id = (PropertyInfo)((IDocumentStore)store).Options.FindOrResolveDocumentType(typeof(TDoc)).IdMember;

        public async Task StartAsync(SubscriptionExecutionRequest request, ISubscriptionController controller, CancellationToken cancellation)
        {
            var highWater = request.Runtime.HighWaterMark();
            var ceiling = request.StartingHighWater ?? (highWater > 0 ? highWater : await database.FetchHighestEventSequenceNumber(cancellation));
            var floor = request.Floor;
            if (ceiling > floor)
            {
                var (streams, events) = await ReplayAsync(floor, ceiling, cancellation);
                LogReplayed(logger, projection.Name, streams, events, floor, ceiling);
            }

            await controller.MarkSuccessAsync(ceiling);
        }

        private async Task<(int Streams, long Events)> ReplayAsync(long floor, long ceiling, CancellationToken ct)
        {
            var types = projection.IncludedEventTypes.ToArray();
            await using var reading = store.OpenSession(database);
            await using var building = store.OpenSession(database);
            var batch = new List<CopiedDocument>(DocumentsPerTransaction);
            var stream = new List<IEvent>();
            var (streams, events) = (0, 0L);
            // One batch copies while the next is read and folded: the read and the COPY run in two backends.
            var copying = Task.CompletedTask;

            async Task FoldAsync()
            {
                var document = await ((IAggregator<TDoc, Guid, IQuerySession>)projection).BuildAsync(stream, building, null, stream[0].StreamId, this, ct);
                if (document is not null)
                {
                    batch.Add(new CopiedDocument(document, stream[^1].Version));
                }

                streams++;
                stream = [];
                if (batch.Count >= DocumentsPerTransaction)
                {
                    await copying;
                    copying = CopyAsync(batch, ct);
                    batch = new List<CopiedDocument>(DocumentsPerTransaction);
                }
            }

            await foreach (var e in EventsByStreamAsync(types, floor, ceiling, ct))
            {
                if (stream.Count > 0 && stream[0].StreamId != e.StreamId)
                {
                    await FoldAsync();
                }

                stream.Add(e);
                events++;
            }

            if (stream.Count > 0)
            {
                await FoldAsync();
            }

            await copying;
            await CopyAsync(batch, ct);
            return (streams, events);
        }

        /// <summary>
        /// The events of <paramref name="types"/> in (<paramref name="floor"/>, <paramref name="ceiling"/>] by stream and
        /// version, not archived (as Marten's event queries), with the metadata a write model may fold — not their
        /// headers, which hold the audit chain's hashes (docs/adr/0007): PostgreSQL converted them to text and Marten
        /// parsed them into a dictionary for every event, a fifth of the rebuild's time (docs/adr/0018).
        /// </summary>
        private async IAsyncEnumerable<IEvent> EventsByStreamAsync(Type[] types, long floor, long ceiling, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
        {
            var options = ((IDocumentStore)store).Options;
            var graph = (EventGraph)options.Events;
            var serializer = options.Serializer();
            var byName = types.ToDictionary(t => graph.EventMappingFor(t).EventTypeName, t => t, StringComparer.Ordinal);
            await using var connection = ((IMartenDatabase)database).CreateConnection();
            await connection.OpenAsync(ct);
            await using var command = new NpgsqlCommand(
                "select seq_id, id, stream_id, version, type, data, timestamp, tenant_id, correlation_id, causation_id, user_name " +
                $"from {graph.DatabaseSchemaName}.mt_events where seq_id > @floor and seq_id <= @ceiling and type = any(@types) and not is_archived " +
                "order by stream_id, version",
                connection);
            command.Parameters.AddWithValue("floor", floor);
            command.Parameters.AddWithValue("ceiling", ceiling);
            command.Parameters.AddWithValue("types", byName.Keys.ToArray());
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var type = byName[reader.GetString(4)];
                var e = graph.BuildEvent(serializer.FromJson(type, reader, 5));
                e.Sequence = reader.GetInt64(0);
                e.Id = reader.GetGuid(1);
                e.StreamId = reader.GetGuid(2);
                e.Version = reader.GetInt64(3);
                e.Timestamp = reader.GetFieldValue<DateTimeOffset>(6);
                e.TenantId = reader.GetString(7);
                e.CorrelationId = reader.IsDBNull(8) ? null : reader.GetString(8);
                e.CausationId = reader.IsDBNull(9) ? null : reader.GetString(9);
                e.UserName = reader.IsDBNull(10) ? null : reader.GetString(10);
                yield return e;
            }
        }

        private async Task CopyAsync(List<CopiedDocument> documents, CancellationToken ct)
        {
            if (documents.Count == 0)
            {
                return;
            }

            try
            {
                // The rebuild deleted the projection's documents first: straight into the table.
                await CopyAsync(documents, ExistingDocument.Fail, ct);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
            {
                // An append stored one meanwhile: the batch again, keeping whichever revision is higher.
                await CopyAsync(documents, ExistingDocument.KeepNewer, ct);
            }
        }

        private async Task CopyAsync(List<CopiedDocument> documents, ExistingDocument existing, CancellationToken ct)
        {
            await using var connection = ((IMartenDatabase)database).CreateConnection();
            await connection.OpenAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);
            await copy.WriteAsync(connection, typeof(TDoc), documents, existing, ct);
            await transaction.CommitAsync(ct);
        }

        public void SetIdentity(TDoc document, Guid identity) => id.SetValue(document, identity);

        public Guid Identity(TDoc document) => (Guid)id.GetValue(document)!;

        [LoggerMessage(Level = LogLevel.Information, Message = "Replayed {Projection} by stream: {Streams} streams, {Events} events in ({Floor}, {Ceiling}]")]
        private static partial void LogReplayed(ILogger logger, string projection, int streams, long events, long floor, long ceiling);
    }
}
