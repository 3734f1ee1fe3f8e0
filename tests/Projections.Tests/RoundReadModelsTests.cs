using Marten;
using Marten.Events;
using Merit.Projections;
using Merit.Projections.Analytics;
using Merit.Projections.Recruitment;
using Merit.Recruitment;
using Merit.Testing;
using Xunit;

namespace Merit.Tests;

/// <summary>
/// The round's read models run as one composite projection (docs/adr/0018). A composite that starts with no progress
/// must not read past a writer that has reserved its event sequence and not yet committed: JasperFx's single-pass
/// replay did, and the writer's formation never reached FormationSummary or FormationAnalytics.
/// </summary>
public sealed class RoundReadModelsTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2024, 8, 20, 8, 0, 0, TimeSpan.FromHours(7));
    private static readonly Guid RoundId = RoundDecisions.IdFor("CPNS-2024");

    private readonly TestDatabase database = new();
    private readonly HeldSave held = new();
    private DocumentStore store = null!;

    public async Task InitializeAsync()
    {
        await database.InitializeAsync();
        store = DocumentStore.For(o =>
        {
            o.Configure(database.ConnectionString, TimeProvider.System);
            o.Listeners.Add(held);
        });
    }

    public async Task DisposeAsync()
    {
        store.Dispose();
        await database.DisposeAsync();
    }

    private static FormationOpened Formation(string code) =>
        new(FormationDecisions.IdFor(RoundId, code), RoundId, code, "INST-1", "Pranata Komputer", "Samarinda", FormationCategory.Umum, 2, EducationLevel.S1, "CPNS-2024", T0);

    [Fact]
    public async Task A_write_still_in_flight_when_the_daemon_starts_reaches_every_read_model()
    {
        // Given a committed formation, so the daemon starts with events and no progress,
        var first = Formation("F-FIRST");
        await using (var session = store.LightweightSession())
        {
            session.Events.StartStream<Formation>(first.FormationId, first);
            await session.SaveChangesAsync();
        }

        // and a second formation's save that has reserved its sequence inside its transaction and not committed,
        var late = Formation(HeldSave.Code);
        await using var writer = store.LightweightSession();
        await writer.BeginTransactionAsync(CancellationToken.None);
        writer.Events.StartStream<Formation>(late.FormationId, late);
        var saving = writer.SaveChangesAsync();
        await held.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30));

        // when the daemon starts and has applied the committed formation, and only then the late one commits,
        using var daemon = await store.BuildProjectionDaemonAsync();
        await daemon.StartAllAsync();
        await WaitUntilAsync(async () => await ProgressAsync($"{RoundReadModels.Name}:All") >= 1);
        held.Release();
        await saving;
        await store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));

        // then every read model of the composite holds both formations.
        await using var query = store.QuerySession();
        foreach (var formation in new[] { first, late })
        {
            Assert.Equal(formation.Code, (await query.LoadAsync<FormationSummary>(formation.FormationId))?.Code);
            Assert.Equal(formation.Code, (await query.LoadAsync<FormationAnalytics>(formation.FormationId))?.Code);
        }
    }

    private async Task<long> ProgressAsync(string shard) =>
        (long)(await database.ScalarAsync($"select coalesce(max(last_seq_id), 0) from {MeritStore.SchemaName}.mt_event_progression where name = @name", ("name", shard)))!;

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the daemon did not start within 60 s");
            await Task.Delay(50);
        }
    }

    /// <summary>Holds the save of the formation coded F-LATE, after Marten reserved its sequence, until released.</summary>
    private sealed class HeldSave : DocumentSessionListenerBase
    {
        public const string Code = "F-LATE";

        private readonly TaskCompletionSource release = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Release() => release.TrySetResult();

        public override async Task BeforeSaveChangesAsync(IDocumentSession session, CancellationToken token)
        {
            if (session.PendingChanges.Streams().SelectMany(s => s.Events).Any(e => e.Data is FormationOpened { Code: Code }))
            {
                Entered.TrySetResult();
                await release.Task.WaitAsync(token);
            }
        }
    }
}
