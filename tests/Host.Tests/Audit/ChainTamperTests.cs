using JasperFx.Events;
using Marten;
using Merit.Audit;
using Merit.Recruitment;
using Merit.Testing;
using Xunit;

namespace Merit.Tests.Audit;

/// <summary>
/// Commands through HTTP, then one kind of tampering straight in PostgreSQL: verification names the first broken
/// link of the stream. Each test tampers with a round of its own, so the tests share the database.
/// </summary>
public class ChainTamperTests(MeritApp app) : IClassFixture<MeritApp>
{
    private const string Events = "merit.mt_events";
    private readonly AuditClient audit = new(app);

    [Fact]
    public async Task Events_appended_through_the_API_carry_a_chain_that_verifies()
    {
        var round = await audit.RoundWithHistoryAsync("AUD-CLEAN");

        var report = await audit.VerifyAsync(round);

        Assert.True((bool)report["intact"]!, report.ToJsonString());
        Assert.Equal(4, (long)report["events"]!);
        Assert.Equal(1, (long)report["streams"]!);
        Assert.StartsWith("intact, 4 events, 1 streams", (string)report["summary"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Updating_an_events_data_breaks_the_chain_at_that_event()
    {
        var round = await audit.RoundWithHistoryAsync("AUD-DATA");

        await audit.SqlAsync($"update {Events} set data = jsonb_set(data, '{{To}}', '\"Closed\"') where stream_id = @s and version = 2", ("s", round));

        var (version, kind, report) = await audit.FirstBreakAsync(round);
        Assert.Equal(2, version);
        Assert.Equal("ContentMismatch", kind);
        Assert.Contains($"stream {round} version 2", (string)report["summary"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Updating_who_decided_breaks_the_chain_at_that_event()
    {
        var round = await audit.RoundWithHistoryAsync("AUD-USER");

        await audit.SqlAsync($"update {Events} set user_name = 'someone-else' where stream_id = @s and version = 3", ("s", round));

        var (version, kind, _) = await audit.FirstBreakAsync(round);
        Assert.Equal(3, version);
        Assert.Equal("ContentMismatch", kind);
    }

    [Fact]
    public async Task Deleting_an_event_shows_as_a_missing_version()
    {
        var round = await audit.RoundWithHistoryAsync("AUD-DEL");

        await audit.SqlAsync($"delete from {Events} where stream_id = @s and version = 2", ("s", round));

        var (version, kind, _) = await audit.FirstBreakAsync(round);
        Assert.Equal(2, version);
        Assert.Equal("MissingVersion", kind);
    }

    [Fact]
    public async Task Deleting_the_last_event_shows_as_a_missing_version_at_the_end()
    {
        var round = await audit.RoundWithHistoryAsync("AUD-DEL-LAST");

        await audit.SqlAsync($"delete from {Events} where stream_id = @s and version = 4", ("s", round));

        var (version, kind, _) = await audit.FirstBreakAsync(round);
        Assert.Equal(4, version);
        Assert.Equal("MissingVersion", kind);
    }

    [Fact]
    public async Task Deleting_every_event_of_a_stream_shows_as_version_1_missing()
    {
        var round = await audit.RoundWithHistoryAsync("AUD-DEL-ALL");

        await audit.SqlAsync($"delete from {Events} where stream_id = @s", ("s", round));

        var (version, kind, _) = await audit.FirstBreakAsync(round);
        Assert.Equal(1, version);
        Assert.Equal("MissingVersion", kind);
    }

    [Fact]
    public async Task Swapping_the_data_of_two_events_breaks_the_chain_at_the_earlier_one()
    {
        var round = await audit.RoundWithHistoryAsync("AUD-SWAP");

        await audit.SqlAsync(
            $"update {Events} e set data = o.data from {Events} o " +
            "where e.stream_id = @s and o.stream_id = @s and ((e.version = 2 and o.version = 3) or (e.version = 3 and o.version = 2))",
            ("s", round));

        var (version, kind, _) = await audit.FirstBreakAsync(round);
        Assert.Equal(2, version);
        Assert.Equal("ContentMismatch", kind);
    }

    [Fact]
    public async Task Swapping_the_sequence_of_two_events_shows_as_reordered()
    {
        var round = await audit.RoundWithHistoryAsync("AUD-ORDER");

        // The primary key is not deferrable: park one row on a free number while swapping.
        await audit.SqlAsync(
            "create temp table swap as select version, seq_id from merit.mt_events where stream_id = @s and version in (2, 3); " +
            $"update {Events} set seq_id = -seq_id where stream_id = @s and version = 2; " +
            $"update {Events} set seq_id = (select seq_id from swap where version = 2) where stream_id = @s and version = 3; " +
            $"update {Events} set seq_id = (select seq_id from swap where version = 3) where stream_id = @s and version = 2;",
            ("s", round));

        var (version, kind, _) = await audit.FirstBreakAsync(round);
        Assert.Equal(3, version);
        Assert.Equal("Reordered", kind);
    }

    [Fact]
    public async Task Inserting_a_forged_event_is_named_as_a_forged_insert()
    {
        var round = await audit.RoundWithHistoryAsync("AUD-FORGE");

        await audit.SqlAsync(
            $"insert into {Events} (seq_id, id, stream_id, version, data, type, timestamp, tenant_id, mt_dotnet_type, user_name, correlation_id) " +
            $"select nextval('merit.mt_events_sequence'), gen_random_uuid(), stream_id, 5, data, type, now(), tenant_id, mt_dotnet_type, 'operator', correlation_id " +
            $"from {Events} where stream_id = @s and version = 4",
            ("s", round));

        var (version, kind, _) = await audit.FirstBreakAsync(round);
        Assert.Equal(5, version);
        Assert.Equal("ForgedInsert", kind);
    }

    [Fact]
    public async Task A_forged_event_with_its_stream_version_raised_has_no_chain_hash()
    {
        var round = await audit.RoundWithHistoryAsync("AUD-FORGE2");

        await audit.SqlAsync(
            $"insert into {Events} (seq_id, id, stream_id, version, data, type, timestamp, tenant_id, mt_dotnet_type, user_name, correlation_id) " +
            $"select nextval('merit.mt_events_sequence'), gen_random_uuid(), stream_id, 5, data, type, now(), tenant_id, mt_dotnet_type, 'operator', correlation_id " +
            $"from {Events} where stream_id = @s and version = 4; " +
            "update merit.mt_streams set version = 5 where id = @s",
            ("s", round));

        var (version, kind, report) = await audit.FirstBreakAsync(round);
        Assert.Equal(5, version);
        Assert.Equal("ForgedInsert", kind);
        Assert.Contains("no chain hash", (string)report["broken"]![0]!["detail"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rehashing_a_changed_event_without_relinking_the_next_shows_as_a_previous_link_mismatch()
    {
        var round = await audit.RoundWithHistoryAsync("AUD-PREV");

        // The operator changes version 2 and recomputes its hash, but leaves version 3's link to the old hash.
        await audit.SqlAsync($"update {Events} set data = jsonb_set(data, '{{To}}', '\"Closed\"') where stream_id = @s and version = 2", ("s", round));
        var second = await audit.StoredAsync(round, 2);
        await audit.SqlAsync(
            $"update {Events} set headers = jsonb_set(headers, '{{hash}}', to_jsonb(@hash::text)) where stream_id = @s and version = 2",
            ("s", round), ("hash", second.Recompute(second.Previous)));

        var (version, kind, _) = await audit.FirstBreakAsync(round);
        Assert.Equal(3, version);
        Assert.Equal("PreviousLinkMismatch", kind);
    }

    [Fact]
    public async Task The_whole_store_report_lists_every_broken_stream_and_leaves_untouched_ones_alone()
    {
        var untouched = await audit.RoundWithHistoryAsync("AUD-UNTOUCHED");
        var tampered = await audit.RoundWithHistoryAsync("AUD-WHOLE");
        await audit.SqlAsync($"update {Events} set user_name = 'x' where stream_id = @s and version = 1", ("s", tampered));

        var report = await audit.VerifyAsync();

        Assert.False((bool)report["intact"]!);
        Assert.Contains(report["broken"]!.AsArray(), b => (Guid)b!["streamId"]! == tampered && (long)b["version"]! == 1);
        Assert.DoesNotContain(report["broken"]!.AsArray(), b => (Guid)b!["streamId"]! == untouched);
        Assert.True((bool)(await audit.VerifyAsync(untouched))["intact"]!);
    }

    [Fact]
    public async Task A_bulk_import_that_stamps_its_streams_first_verifies_and_one_that_does_not_is_named()
    {
        var stamped = Guid.NewGuid();
        var unstamped = Guid.NewGuid();
        var streams = new[] { stamped, unstamped }
            .Select(id => StreamAction.Start(((DocumentStore)app.Store).Events, id,
                new RoundOpened(id, $"BULK-{id:N}", "Bulk", "CPNS-2024", DateTimeOffset.UtcNow),
                new RoundStageAdvanced(id, RoundStage.Announcement, RoundStage.Registration, DateTimeOffset.UtcNow)))
            .ToList();
        foreach (var e in streams.SelectMany(s => s.Events))
        {
            e.UserName = "bulk-import";
            e.CorrelationId = "import-1";
        }

        app.Store.StampForBulkInsert(streams.Take(1), TimeProvider.System);
        await app.Store.BulkInsertEventsAsync(streams);

        Assert.True((bool)(await audit.VerifyAsync(stamped))["intact"]!);
        var (version, kind, _) = await audit.FirstBreakAsync(unstamped);
        Assert.Equal(1, version);
        Assert.Equal("ForgedInsert", kind);
    }
}
