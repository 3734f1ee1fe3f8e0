using System.Data;
using Marten;
using SessionOptions = Marten.Services.SessionOptions;
using Merit.Projections;
using Npgsql;

namespace Merit.Infrastructure;

/// <summary>
/// Where the analytics, the published-list exports and the case reads run: a PostgreSQL streaming standby when
/// <c>Merit:ReadReplica</c> names one (a connection string; several hosts in it, standby first, let Npgsql fall back
/// to the next when the standby is down), else the primary as every other read. Commands, their loads and the
/// daemon never come here: they stay on the store's own sessions, on the primary (docs/adr/0054).
/// </summary>
public sealed class ReadReplica : IAsyncDisposable
{
    private readonly IDocumentStore store;
    private readonly NpgsqlDataSource? built;
    private readonly NpgsqlDataSource? standby;

    /// <param name="store">The store every other read and write goes through.</param>
    /// <param name="standbyConnectionString">The standby's connection string; null to read on the primary.</param>
    public ReadReplica(IDocumentStore store, string? standbyConnectionString)
    {
        this.store = store;
        if (standbyConnectionString is { Length: > 0 })
        {
            var builder = new NpgsqlDataSourceBuilder(MeritStore.WithAutoPrepare(standbyConnectionString));
            if (builder.ConnectionStringBuilder.Host?.Contains(',', StringComparison.Ordinal) == true)
            {
                var hosts = builder.BuildMultiHost();
                built = hosts;
                standby = hosts.WithTargetSession(TargetSessionAttributes.PreferStandby);
            }
            else
            {
                built = standby = builder.Build();
            }
        }
    }

    /// <summary><c>Merit:ReadReplica</c>, with the same dead-node detection as the primary's connections; null when not set.</summary>
    public static string? ConnectionString(IConfiguration configuration) =>
        configuration["Merit:ReadReplica"] is { Length: > 0 } connectionString ? DeadNodeDetection.Apply(connectionString, configuration) : null;

    /// <summary>
    /// A query session and its connection for one read. On the standby both share one REPEATABLE READ transaction, so
    /// a read of several queries (an export's check and its rows) sees one state of the primary.
    /// </summary>
    public async Task<ReplicaRead> BeginAsync(CancellationToken ct)
    {
        if (standby is null)
        {
            return new ReplicaRead(store.QuerySession(), null, null);
        }

        var connection = await standby.OpenConnectionAsync(ct);
        try
        {
            var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
            return new ReplicaRead(store.QuerySession(SessionOptions.ForTransaction(transaction)), connection, transaction);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Disposes the data source built, the multi-host one and its pools when there are several hosts.</summary>
    public ValueTask DisposeAsync() => built?.DisposeAsync() ?? ValueTask.CompletedTask;
}

/// <summary>One read on the standby (or the primary): Marten's session, and the same connection for raw SQL.</summary>
public sealed class ReplicaRead(IQuerySession session, NpgsqlConnection? connection, NpgsqlTransaction? transaction) : IAsyncDisposable
{
    private NpgsqlConnection? primary;

    public IQuerySession Session { get; } = session;

    /// <summary>An open connection on the same server as <see cref="Session"/>, in its transaction on the standby.</summary>
    public async Task<NpgsqlConnection> ConnectionAsync(CancellationToken ct)
    {
        if (connection is not null)
        {
            return connection;
        }

        if (primary is null)
        {
            primary = Session.Database.CreateConnection();
            await primary.OpenAsync(ct);
        }

        return primary;
    }

    public async ValueTask DisposeAsync()
    {
        await Session.DisposeAsync();
        if (primary is not null)
        {
            await primary.DisposeAsync();
        }

        if (transaction is not null)
        {
            await transaction.DisposeAsync();
        }

        if (connection is not null)
        {
            await connection.DisposeAsync();
        }
    }
}
