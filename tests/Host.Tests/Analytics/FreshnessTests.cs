using JasperFx.Events.Daemon;
using Marten;
using Marten.Events;
using Merit.Analytics;
using Merit.Projections;
using Merit.Recruitment;
using Merit.Testing;
using Xunit;

namespace Merit.Tests.Analytics;

/// <summary>The lag reported with each answer: zero once the daemon has caught up, the events appended since when it has not.</summary>
public sealed class FreshnessTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2024, 8, 19, 8, 0, 0, TimeSpan.FromHours(7));
    private readonly StoreDatabase database = new();

    public Task InitializeAsync() => database.InitializeAsync();

    public Task DisposeAsync() => database.DisposeAsync();

    private async Task AppendRoundAsync(string code)
    {
        var id = RoundDecisions.IdFor(code);
        await using var session = database.Store.LightweightSession();
        session.Events.Append(id, new RoundOpened(id, code, code, "CPNS-2024", T0), new RoundStageAdvanced(id, RoundStage.Announcement, RoundStage.Registration, T0.AddDays(1)));
        await session.SaveChangesAsync();
    }

    [Fact]
    public async Task Freshness_counts_the_events_appended_since_the_projections_last_ran()
    {
        await AppendRoundAsync("R-1");
        using (var daemon = await database.Store.BuildProjectionDaemonAsync())
        {
            await daemon.StartAllAsync();
            await database.Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));
            await daemon.StopAllAsync();
        }

        var reader = new FreshnessReader(database.Store, new Merit.Infrastructure.ReadReplica(database.Store, null));
        var caughtUp = await reader.ReadAsync(CancellationToken.None);
        Assert.Equal((2L, 2L, 0L, 0.0), (caughtUp.NewestEventSequence, caughtUp.ProjectedThroughSequence, caughtUp.EventsBehind, caughtUp.SecondsBehind!.Value));
        Assert.Equal(["AnalyticsFormation", "AnalyticsRoundRollup", "AnalyticsSkdDistribution", "AnalyticsDecisionTimes"], caughtUp.Projections.Select(p => p.Name));

        // The daemon is stopped: two more events are not projected.
        await Task.Delay(50);
        await AppendRoundAsync("R-2");
        var behind = await reader.ReadAsync(CancellationToken.None);
        Assert.Equal((4L, 2L, 2L), (behind.NewestEventSequence, behind.ProjectedThroughSequence, behind.EventsBehind));
        Assert.All(behind.Projections, p => Assert.Equal(2, p.EventsBehind));
        Assert.True(behind.SecondsBehind > 0);
        Assert.NotNull(behind.NewestEventAt);
    }
}
