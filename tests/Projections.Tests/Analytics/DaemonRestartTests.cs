using JasperFx.Events.Daemon;
using Marten;
using Marten.Events;
using Merit.Projections;
using Merit.Projections.Analytics;
using Merit.Testing;
using Xunit;

namespace Merit.Tests.Analytics;

/// <summary>
/// A daemon that starts part-way through a round — a restarted node, another node taking over (docs/adr/0016) — has
/// read none of the earlier events and must count what one daemon running throughout counts: each phase of
/// <see cref="FixedRound"/> here is projected by a store and daemon of its own, and the documents must equal a rebuild's.
/// </summary>
public sealed class DaemonRestartTests : IAsyncLifetime
{
    private readonly TestDatabase database = new();

    public Task InitializeAsync() => database.InitializeAsync();

    public Task DisposeAsync() => database.DisposeAsync();

    [Fact]
    public async Task A_daemon_started_between_phases_counts_what_a_rebuild_counts()
    {
        // Given the round's phases, each projected by a new store and daemon,
        var round = FixedRound.Build();
        foreach (var phase in round.Phases)
        {
            using var store = NewStore();
            using var daemon = await store.BuildProjectionDaemonAsync();
            await daemon.StartAllAsync();
            await FixedRoundDatabase.AppendAsync(store, phase);
            await store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));
            await daemon.StopAllAsync();
        }

        // Then every application event was attributed to a sex,
        using (var store = NewStore())
        await using (var session = store.QuerySession())
        {
            Assert.All(await session.Query<FormationAnalytics>().ToListAsync(), f => Assert.Equal(0, f.Unattributed));
        }

        var live = await FixedRoundDatabase.AnalyticsDocumentsAsync(database.ConnectionString);

        // and a rebuild from the events writes the same documents byte for byte.
        using (var store = NewStore())
        using (var daemon = await store.BuildProjectionDaemonAsync())
        {
            await daemon.RebuildProjectionAsync(RoundReadModels.Name, CancellationToken.None);
        }

        Assert.Equal(3 + 8 + 1 + 2, live.Count);
        Assert.Equal(live, await FixedRoundDatabase.AnalyticsDocumentsAsync(database.ConnectionString));
    }

    private DocumentStore NewStore() => DocumentStore.For(o => o.Configure(database.ConnectionString, TimeProvider.System));
}
