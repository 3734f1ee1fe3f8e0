using Marten;
using Merit.Projections.Recruitment;
using Merit.Recruitment;
using Merit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Merit.Tests.Faults;

/// <summary>
/// A command whose save outlasts the async daemon's stale-sequence threshold (3 s) while a later command commits:
/// the daemon must wait for the slow writer's events, not skip them (docs/adr/0017, 0021). Before every HTTP write
/// began its transaction up front, the slow formation never reached its asynchronous read model.
/// </summary>
public sealed class SlowCommandTests(SlowCommandTests.SlowSaveApp app) : IClassFixture<SlowCommandTests.SlowSaveApp>
{
    private const string SlowCode = "F-SLOW";

    [Fact]
    public async Task A_command_slower_than_the_stale_threshold_still_reaches_the_asynchronous_read_models()
    {
        var api = new RecruitmentApi(app.CreateClient());
        var round = await api.OpenRoundAsync("CPNS-2024-SLOW");

        // The slow save has its sequence numbers reserved and sleeps; a later command commits past it.
        var slow = api.OpenFormationAsync(round, SlowCode);
        await app.Slow.Entered.Task.WaitAsync(TimeSpan.FromSeconds(60));
        var fast = await api.OpenFormationAsync(round, "F-FAST");
        var slowFormation = await slow;

        await app.WaitForProjectionsAsync();
        await using var query = app.Store.QuerySession();
        Assert.NotNull(await query.LoadAsync<FormationSummary>(fast));
        Assert.NotNull(await query.LoadAsync<FormationSummary>(slowFormation));
    }

    public sealed class SlowSaveApp : MeritApp
    {
        public SlowSave Slow { get; } = new();

        protected override void ConfigureServices(IServiceCollection services) =>
            services.ConfigureMarten(options => options.Listeners.Add(Slow));
    }

    /// <summary>Holds the save of the formation coded F-SLOW for twice the daemon's stale threshold, after Marten reserved its sequences.</summary>
    public sealed class SlowSave : DocumentSessionListenerBase
    {
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override async Task BeforeSaveChangesAsync(IDocumentSession session, CancellationToken token)
        {
            var slow = session.PendingChanges.Streams().SelectMany(s => s.Events).Any(e => e.Data is FormationOpened { Code: SlowCode });
            if (slow)
            {
                Entered.TrySetResult();
                await Task.Delay(TimeSpan.FromSeconds(6), token);
            }
        }
    }
}
