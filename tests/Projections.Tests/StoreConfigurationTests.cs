using JasperFx;
using Merit.Audit;
using Merit.PersonalData;
using Merit.Projections;
using Merit.Recruitment;
using Merit.Testing;
using Xunit;

namespace Merit.Tests;

/// <summary>
/// The store as <see cref="MeritStore"/> configures it for the Host, the command line, the tests and the benchmarks
/// (docs/adr/0046): every session's events on their stream's hash chain, the documents beside the events as the Host
/// uses them.
/// </summary>
public sealed class StoreConfigurationTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2024, 8, 20, 8, 0, 0, TimeSpan.FromHours(7));
    private static readonly Guid RoundId = RoundDecisions.IdFor("CPNS-2024");

    private readonly StoreDatabase database = new();

    public Task InitializeAsync() => database.InitializeAsync();

    public Task DisposeAsync() => database.DisposeAsync();

    [Fact]
    public async Task A_session_of_the_store_puts_each_event_on_its_streams_hash_chain()
    {
        // Given a round opened and advanced in two sessions of a store built from MeritStore alone
        await using (var session = database.Store.LightweightSession())
        {
            session.Events.StartStream<Round>(RoundId, new RoundOpened(RoundId, "CPNS-2024", "CPNS 2024", "CPNS-2024", T0));
            await session.SaveChangesAsync();
        }

        await using (var session = database.Store.LightweightSession())
        {
            session.Events.Append(RoundId, new RoundStageAdvanced(RoundId, RoundStage.Announcement, RoundStage.Registration, T0.AddDays(7)));
            await session.SaveChangesAsync();
        }

        // Then each event carries its hash, and the second links to the first
        await using var query = database.Store.QuerySession();
        var events = await query.Events.FetchStreamAsync(RoundId);
        var first = events[0].GetHeader(AuditChain.HashHeader)?.ToString();
        var second = events[1].GetHeader(AuditChain.HashHeader)?.ToString();
        Assert.False(string.IsNullOrEmpty(first));
        Assert.False(string.IsNullOrEmpty(second));
        Assert.NotEqual(first, second);
        Assert.Null(events[0].GetHeader(AuditChain.PreviousHeader));
        Assert.Equal(first, events[1].GetHeader(AuditChain.PreviousHeader)?.ToString());
    }

    [Fact]
    public async Task A_NIP_sequence_counter_written_from_a_stale_read_is_refused()
    {
        // Given a prefix's counter at sequence 1, read by two issuances at once
        await using (var session = database.Store.LightweightSession())
        {
            session.Store(new NipPrefixCounter { Id = "prefix", LastSequence = 1 });
            await session.SaveChangesAsync();
        }

        await using var one = database.Store.LightweightSession();
        await using var other = database.Store.LightweightSession();
        var mine = (await one.LoadAsync<NipPrefixCounter>("prefix"))!;
        var theirs = (await other.LoadAsync<NipPrefixCounter>("prefix"))!;

        // When both take sequence 2, the first to commit wins
        mine.LastSequence = 2;
        one.Store(mine);
        await one.SaveChangesAsync();
        theirs.LastSequence = 2;
        other.Store(theirs);

        // Then the second is refused: one number is never issued twice (R23)
        await Assert.ThrowsAnyAsync<ConcurrencyException>(() => other.SaveChangesAsync());
    }
}
