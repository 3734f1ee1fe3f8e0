using Marten;
using Merit.Projections;
using Xunit;

namespace Merit.Testing;

/// <summary>
/// A database of its own with the event store configured as the Host configures it (<see cref="MeritStore"/>), for
/// tests of the store without the Host: projections, stored shapes, analytics queries.
/// </summary>
public sealed class StoreDatabase : IAsyncLifetime
{
    private readonly TestDatabase database = new();
    private DocumentStore? store;

    public DocumentStore Store => store ?? throw new InvalidOperationException("The database is not initialized yet.");

    public string ConnectionString => database.ConnectionString;

    /// <inheritdoc cref="TestDatabase.ScalarAsync"/>
    public Task<object?> ScalarAsync(string sql, params (string Name, object Value)[] parameters) => database.ScalarAsync(sql, parameters);

    public async Task InitializeAsync()
    {
        await database.InitializeAsync();
        store = DocumentStore.For(o => o.Configure(database.ConnectionString, TimeProvider.System));
    }

    public async Task DisposeAsync()
    {
        store?.Dispose();
        await database.DisposeAsync();
    }
}
