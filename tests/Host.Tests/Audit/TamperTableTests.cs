using System.Text.Json.Nodes;
using Merit.Testing;
using Xunit;

namespace Merit.Tests.Audit;

/// <summary>
/// Each row of the tampering table, on a sealed and anchored store of its own: two rounds recorded through
/// HTTP and sealed, then one tampering straight in PostgreSQL, then the whole-store verification. Each must be
/// detected and named; an append after the newest anchored seal is reported as unsealed, with its size.
/// </summary>
[RunsLong]
public class TamperTableTests
{
    private const string Events = "merit.mt_events";

    [Fact]
    public Task One_events_data_changed_is_named_by_its_chain_and_by_the_anchored_seal() => OnSealedStoreAsync(async (audit, round, seal) =>
    {
        await audit.SqlAsync($"update {Events} set data = jsonb_set(data, '{{To}}', '\"Closed\"') where stream_id = @s and version = 2", ("s", round));

        var report = await audit.VerifyAsync();
        AssertBroken(report, round, 2, "ContentMismatch");
        AssertFirstDifference(report, round, 2, "Changed");
        var check = await audit.CheckSealAsync(seal);
        Assert.NotEqual((string)check["rootSealed"]!, (string)check["rootNow"]!);
    });

    [Fact]
    public Task One_event_deleted_is_named_as_a_missing_version_and_a_deleted_sealed_event() => OnSealedStoreAsync(async (audit, round, _) =>
    {
        await audit.SqlAsync($"delete from {Events} where stream_id = @s and version = 3", ("s", round));

        var report = await audit.VerifyAsync();
        AssertBroken(report, round, 3, "MissingVersion");
        AssertFirstDifference(report, round, 3, "Deleted");
    });

    [Fact]
    public Task Two_events_data_swapped_is_named_at_the_earlier_one() => OnSealedStoreAsync(async (audit, round, _) =>
    {
        await audit.SqlAsync(
            $"update {Events} e set data = o.data from {Events} o " +
            "where e.stream_id = @s and o.stream_id = @s and ((e.version = 2 and o.version = 3) or (e.version = 3 and o.version = 2))",
            ("s", round));

        var report = await audit.VerifyAsync();
        AssertBroken(report, round, 2, "ContentMismatch");
        AssertFirstDifference(report, round, 2, "Changed");
    });

    [Fact]
    public Task An_event_inserted_without_a_hash_and_again_with_the_streams_version_raised_is_a_forged_insert() => OnSealedStoreAsync(async (audit, round, _) =>
    {
        const string Forge =
            $"insert into {Events} (seq_id, id, stream_id, version, data, type, timestamp, tenant_id, mt_dotnet_type, user_name, correlation_id) " +
            $"select nextval('merit.mt_events_sequence'), gen_random_uuid(), stream_id, 5, data, type, now(), tenant_id, mt_dotnet_type, 'operator', correlation_id " +
            $"from {Events} where stream_id = @s and version = 4";
        await audit.SqlAsync(Forge, ("s", round));
        AssertBroken(await audit.VerifyAsync(), round, 5, "ForgedInsert");

        await audit.SqlAsync("update merit.mt_streams set version = 5 where id = @s", ("s", round));
        var report = await audit.VerifyAsync();
        AssertBroken(report, round, 5, "ForgedInsert");
        Assert.Equal(1, (long)report["anchor"]!["unsealedEvents"]!); // and it lies after the newest anchored seal
    });

    [Fact]
    public Task A_consistent_rewrite_is_named_against_the_newest_anchored_seal() => OnSealedStoreAsync(async (audit, round, seal) =>
    {
        await audit.SqlAsync($"update {Events} set data = jsonb_set(data, '{{To}}', '\"Closed\"') where stream_id = @s and version = 2", ("s", round));
        await audit.RechainAsync(round, fromVersion: 2);
        Assert.True((bool)(await audit.VerifyAsync(round))["intact"]!, "the chain alone passes a consistent rewrite");

        var report = await audit.VerifyAsync();
        Assert.False((bool)report["intact"]!);
        AssertFirstDifference(report, round, 2, "Changed");
        Assert.Contains($"stream {round} version 2: Changed", (string)report["summary"]!, StringComparison.Ordinal);
        Assert.Equal((long)seal["id"]!, (long)report["failedSeals"]![0]!["sealId"]!);
    });

    [Fact]
    public Task A_consistent_rewrite_with_the_stored_seals_deleted_is_named_against_the_anchored_seals() => OnSealedStoreAsync(async (audit, round, _) =>
    {
        await audit.SqlAsync($"update {Events} set data = jsonb_set(data, '{{To}}', '\"Closed\"') where stream_id = @s and version = 2", ("s", round));
        await audit.RechainAsync(round, fromVersion: 2);
        await audit.SqlAsync("delete from merit.mt_doc_auditseal");

        var report = await audit.VerifyAsync();
        Assert.False((bool)report["intact"]!, report.ToJsonString());
        Assert.Empty(report["broken"]!.AsArray());
        Assert.Contains(report["anchor"]!["problems"]!.AsArray(), p => ((string)p!).StartsWith("The store's seal chain is missing", StringComparison.Ordinal));
        AssertFirstDifference(report, round, 2, "Changed");

        var (code, output) = await MeritCommandLine.RunAsync(audit.App, "audit", "verify");
        Assert.NotEqual(0, code);
        Assert.Contains("seal chain is missing", output, StringComparison.Ordinal);
        Assert.Contains($"stream {round} version 2: Changed", output, StringComparison.Ordinal);
    });

    [Fact]
    public Task An_event_appended_after_the_last_seal_with_a_correct_chain_is_reported_unsealed_with_its_size() => OnSealedStoreAsync(async (audit, round, seal) =>
    {
        var sequence = await audit.AppendPastMeritAsync(round);

        var report = await audit.VerifyAsync();
        Assert.True((bool)report["intact"]!, report.ToJsonString()); // nothing sealed changed: the chain holds
        var anchor = report["anchor"]!;
        Assert.Equal(1, (long)anchor["unsealedEvents"]!);
        Assert.Equal(sequence, (long)anchor["unsealedFromSequence"]!);
        Assert.Equal((long)seal["id"]!, (long)anchor["newestAnchoredSeal"]!);
        Assert.EndsWith($"1 unsealed event(s) (sequences {sequence}–{sequence})", (string)report["summary"]!, StringComparison.Ordinal);
        var ready = JsonNode.Parse(await audit.Client.GetStringAsync(new Uri("/health/ready", UriKind.Relative)))!;
        Assert.Equal(1, (long)ready["checks"]!["sealing"]!["data"]!["unsealedEvents"]!);
    });

    [Fact]
    public Task An_event_archived_by_hand_is_named() => OnSealedStoreAsync(async (audit, round, _) =>
    {
        await audit.SqlAsync($"update {Events} set is_archived = true where stream_id = @s and version = 2", ("s", round));

        var report = await audit.VerifyAsync();
        AssertBroken(report, round, 2, "ArchivedOutsideChain");
        Assert.Contains("set by hand", (string)report["broken"]![0]!["detail"]!, StringComparison.Ordinal);
    });

    [Fact]
    public Task A_stream_version_raised_is_named_as_the_stream_table_not_as_a_missing_event() => OnSealedStoreAsync(async (audit, round, _) =>
    {
        await audit.SqlAsync("update merit.mt_streams set version = 7 where id = @s", ("s", round));

        var report = await audit.VerifyAsync();
        AssertBroken(report, round, 5, "StreamTableMismatch");
        Assert.Contains("the stream table was changed", (string)report["broken"]![0]!["detail"]!, StringComparison.Ordinal);
        Assert.Null(report["anchor"]!["firstDifference"]); // every sealed event is intact
    });

    [Fact]
    public Task A_stream_version_lowered_is_named_as_the_stream_table_not_as_forged_events() => OnSealedStoreAsync(async (audit, round, _) =>
    {
        await audit.SqlAsync("update merit.mt_streams set version = 2 where id = @s", ("s", round));

        var report = await audit.VerifyAsync();
        AssertBroken(report, round, 3, "StreamTableMismatch");
        Assert.Contains("intact on their chain", (string)report["broken"]![0]!["detail"]!, StringComparison.Ordinal);
    });

    [Fact]
    public Task A_stream_marked_archived_by_hand_is_named_as_the_stream_table() => OnSealedStoreAsync(async (audit, round, _) =>
    {
        await audit.SqlAsync("update merit.mt_streams set is_archived = true where id = @s", ("s", round));

        var report = await audit.VerifyAsync();
        AssertBroken(report, round, 4, "StreamTableMismatch");
        Assert.Contains("marks the stream archived", (string)report["broken"]![0]!["detail"]!, StringComparison.Ordinal);
    });

    [Fact]
    public Task A_stream_removed_with_its_row_is_named_against_the_anchored_seal() => OnSealedStoreAsync(async (audit, round, _) =>
    {
        // mt_events references mt_streams on delete cascade: the stream's events go with its row, leaving no chain to break.
        await audit.SqlAsync("delete from merit.mt_streams where id = @s", ("s", round));

        var report = await audit.VerifyAsync();
        Assert.False((bool)report["intact"]!);
        AssertFirstDifference(report, round, 1, "Deleted");
        Assert.Equal(4, (long)report["anchor"]!["differingEvents"]!);
        Assert.Equal(4, (long)report["missingSequences"]!);
    });

    private static void AssertBroken(JsonObject report, Guid stream, long version, string kind)
    {
        Assert.False((bool)report["intact"]!, report.ToJsonString());
        var link = Assert.Single(report["broken"]!.AsArray())!;
        Assert.Equal((stream, version, kind), ((Guid)link["streamId"]!, (long)link["version"]!, (string)link["kind"]!));
    }

    private static void AssertFirstDifference(JsonObject report, Guid stream, long version, string kind)
    {
        var first = report["anchor"]!["firstDifference"];
        Assert.True(first is not null, report.ToJsonString());
        Assert.Equal((stream, version, kind), ((Guid)first["streamId"]!, (long)first["version"]!, (string)first["kind"]!));
    }

    /// <summary>A store of its own per case, like a dump restored for each: two rounds recorded, sealed and anchored.</summary>
    private static async Task OnSealedStoreAsync(Func<AuditClient, Guid, JsonObject, Task> tamperAndVerify)
    {
        var app = new MeritApp();
        await app.InitializeAsync();
        try
        {
            var audit = new AuditClient(app);
            var round = await audit.RoundWithHistoryAsync("TAMPER");
            await audit.RoundWithHistoryAsync("TAMPER-OTHER");
            var seal = await audit.SealAsync();
            var before = await audit.VerifyAsync();
            Assert.True((bool)before["intact"]!, before.ToJsonString());
            Assert.Equal(0, (long)before["anchor"]!["unsealedEvents"]!);

            await tamperAndVerify(audit, round, seal);
        }
        finally
        {
            await app.DisposeAsync();
        }
    }
}
