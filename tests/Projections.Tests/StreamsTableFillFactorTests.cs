using Marten;
using Merit.Projections;
using Merit.Testing;
using Xunit;

namespace Merit.Tests;

/// <summary>
/// The streams table keeps half of each page free (docs/adr/0027), through Marten's own migrations: set when the
/// table is created, found in place by the next migration, and set again where someone reset it.
/// </summary>
public sealed class StreamsTableFillFactorTests : IAsyncLifetime
{
    private readonly TestDatabase database = new();

    public Task InitializeAsync() => database.InitializeAsync();

    public Task DisposeAsync() => database.DisposeAsync();

    [Fact]
    public async Task Marten_s_migrations_give_the_streams_table_its_fill_factor_and_keep_it()
    {
        // Given a fresh database; When Marten creates the event store
        using (var store = NewStore())
        {
            await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        }

        // Then the streams table has its fill factor, and a second store finds nothing to change
        Assert.Equal($"fillfactor={MeritStore.StreamsFillFactor}", await ReloptionsAsync());
        using (var store = NewStore())
        {
            await store.Storage.Database.AssertDatabaseMatchesConfigurationAsync();
        }

        // Given someone reset it; When Marten migrates again; Then it is back
        await database.ScalarAsync($"alter table {MeritStore.SchemaName}.mt_streams reset (fillfactor)");
        using (var store = NewStore())
        {
            await Assert.ThrowsAnyAsync<Exception>(() => store.Storage.Database.AssertDatabaseMatchesConfigurationAsync());
            await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        }

        Assert.Equal($"fillfactor={MeritStore.StreamsFillFactor}", await ReloptionsAsync());
    }

    private DocumentStore NewStore() => DocumentStore.For(o => o.Configure(database.ConnectionString, TimeProvider.System));

    private async Task<string> ReloptionsAsync() =>
        (string)(await database.ScalarAsync($"select coalesce(array_to_string(reloptions, ','), '') from pg_class where oid = '{MeritStore.SchemaName}.mt_streams'::regclass"))!;
}
