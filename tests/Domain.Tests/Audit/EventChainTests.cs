using Merit.Audit;
using Xunit;

namespace Merit.Tests.Audit;

/// <summary>The chain link: SHA-256 over a canonical envelope of the previous hash and the event's content.</summary>
public class EventChainTests
{
    private static readonly ChainedEvent Opened = new(
        "round_opened",
        "6f1c2a4e-93b7-4d0e-8f51-0b7a1d2c3e4f",
        1,
        new DateTimeOffset(2024, 9, 2, 10, 4, 5, TimeSpan.FromHours(7)).AddTicks(1_234_567),
        "{ \"b\": \"x\", \"a\": 1.0 }",
        "panitia",
        "c-1",
        null);

    [Fact]
    public void The_envelope_is_canonical_JSON_with_the_timestamp_in_UTC_microseconds()
    {
        Assert.Equal(
            "{\"causation\":null,\"correlation\":\"c-1\",\"data\":{\"a\":1,\"b\":\"x\"},\"prev\":null,\"scheme\":\"merit-chain/1\"," +
            "\"stream\":\"6f1c2a4e-93b7-4d0e-8f51-0b7a1d2c3e4f\",\"timestamp\":\"2024-09-02T03:04:05.123456Z\",\"type\":\"round_opened\"," +
            "\"user\":\"panitia\",\"version\":1}",
            EventChain.Envelope(null, Opened));
    }

    [Fact]
    public void The_hash_is_SHA256_of_the_envelope_so_anyone_can_recompute_it()
    {
        // Computed independently (Python hashlib over the envelope above).
        Assert.Equal("77cb09e36d21ed87c984b5796f4e4b2662e538889c85c388ab3389191c571e62", EventChain.Link(null, Opened));
    }

    [Fact]
    public void Every_covered_field_and_the_previous_hash_change_the_hash()
    {
        var hash = EventChain.Link(null, Opened);
        var previous = new string('a', 64);

        Assert.NotEqual(hash, EventChain.Link(previous, Opened));
        Assert.NotEqual(hash, EventChain.Link(null, Opened with { EventType = "round_stage_advanced" }));
        Assert.NotEqual(hash, EventChain.Link(null, Opened with { StreamId = "00000000-0000-0000-0000-000000000001" }));
        Assert.NotEqual(hash, EventChain.Link(null, Opened with { Version = 2 }));
        Assert.NotEqual(hash, EventChain.Link(null, Opened with { Timestamp = Opened.Timestamp.AddMicroseconds(1) }));
        Assert.NotEqual(hash, EventChain.Link(null, Opened with { DataJson = "{\"a\":2,\"b\":\"x\"}" }));
        Assert.NotEqual(hash, EventChain.Link(null, Opened with { UserName = "someone-else" }));
        Assert.NotEqual(hash, EventChain.Link(null, Opened with { UserName = null }));
        Assert.NotEqual(hash, EventChain.Link(null, Opened with { CorrelationId = "c-2" }));
        Assert.NotEqual(hash, EventChain.Link(null, Opened with { CausationId = "c-1" }));
    }

    [Fact]
    public void Formatting_and_sub_microsecond_ticks_that_PostgreSQL_drops_do_not_change_the_hash()
    {
        var hash = EventChain.Link(null, Opened);

        Assert.Equal(hash, EventChain.Link(null, Opened with { DataJson = "{\"a\":1,\"b\":\"\\u0078\"}" }));
        Assert.Equal(hash, EventChain.Link(null, Opened with { Timestamp = Opened.Timestamp.AddTicks(2).ToUniversalTime() }));
    }

    [Fact]
    public void Only_lower_case_SHA256_hex_counts_as_a_hash()
    {
        Assert.True(EventChain.IsHash(EventChain.Link(null, Opened)));
        Assert.False(EventChain.IsHash(null));
        Assert.False(EventChain.IsHash(new string('A', 64)));
        Assert.False(EventChain.IsHash(new string('a', 63)));
    }
}
