using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Merit.Security;
using Merit.Testing;
using Npgsql;
using Xunit;
using Xunit.Abstractions;

namespace Merit.Tests.Faults;

/// <summary>
/// A Host with <c>Merit:ReadReplica</c> (docs/adr/0054) on a cluster of the test's own and its streaming standby: with
/// the standby's replay paused, a command is recorded on the primary while the case read and the analytics still
/// answer from the standby's older state, and both catch up once the replay resumes.
/// </summary>
[Collection(FaultScenarios.Name)]
public sealed class ReadReplicaTests(ITestOutputHelper output) : FaultScenario(output)
{
    private const string Reads = "merit-node-a-reads";

    [Fact]
    public async Task Case_reads_and_analytics_are_served_by_the_standby_while_a_command_lands_on_the_primary()
    {
        await using var cluster = await SecondCluster.StartAsync();
        var standby = new NpgsqlConnectionStringBuilder(await cluster.StartReplicaAsync()) { ApplicationName = Reads }.ConnectionString;
        await using var host = await StartHostAsync("a", new Dictionary<string, string> { ["Merit__ReadReplica"] = standby }, cluster.ConnectionString);
        using var client = host.Client("panitia", Roles.Admin, Roles.Committee, Roles.Auditor, Roles.Analyst);
        var api = new RecruitmentApi(client);
        var (_, _, application) = await api.ApplicantReadyForSkdAsync("CPNS-2024-REPLICA", "3171010101900081");
        var primary = new StoredState(cluster.ConnectionString);
        var replica = new StoredState(standby);

        Assert.Equal(0, await primary.ScalarAsync("select pg_is_in_recovery()::int"));
        Assert.Equal(1, await replica.ScalarAsync("select pg_is_in_recovery()::int"));
        await CaughtUpAsync(primary, replica);
        var before = await CaseSequenceAsync(client, application);
        Assert.Equal(await StreamSequenceAsync(primary, application), before);

        await replica.ScalarAsync("select 0 from pg_wal_replay_pause()");
        try
        {
            using var recorded = await api.RecordSkdAsync(application, 120, 100, 170);
            Assert.Equal(HttpStatusCode.OK, recorded.StatusCode);
            var after = await StreamSequenceAsync(primary, application);
            Assert.True(after > before, $"the SKD result is on the primary: stream at {after}, was {before}");

            // Served by the paused standby: the case as it was, and the analytics read on the Host's standby connections.
            Assert.Equal(before, await CaseSequenceAsync(client, application));
            using var analytics = await client.GetAsync(new Uri("/analytics/rounds", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, analytics.StatusCode);
            Assert.True(await replica.ScalarAsync($"select count(*) from pg_stat_activity where application_name = '{Reads}'") > 0, "the Host holds connections on the standby");
            Assert.Equal(0, await primary.ScalarAsync($"select count(*) from pg_stat_activity where application_name = '{Reads}'"));
        }
        finally
        {
            await replica.ScalarAsync("select 0 from pg_wal_replay_resume()");
        }

        await CaughtUpAsync(primary, replica);
        Assert.Equal(await StreamSequenceAsync(primary, application), await CaseSequenceAsync(client, application));
    }

    private static async Task<long> CaseSequenceAsync(HttpClient client, Guid application)
    {
        var found = await client.GetFromJsonAsync<JsonElement>(new Uri($"/applications/{application}", UriKind.Relative));
        return found.GetProperty("lastSequence").GetInt64();
    }

    private static Task<long> StreamSequenceAsync(StoredState primary, Guid application) =>
        primary.ScalarAsync($"select max(seq_id) from {Merit.Projections.MeritStore.SchemaName}.mt_events where stream_id = @id", ("id", application));

    /// <summary>Waits until the standby has replayed all the WAL the primary had written when called.</summary>
    private static async Task CaughtUpAsync(StoredState primary, StoredState replica)
    {
        var written = await primary.ScalarAsync("select pg_current_wal_lsn() - '0/0'");
        for (var i = 0; i < 600 && await replica.ScalarAsync("select pg_last_wal_replay_lsn() - '0/0'") < written; i++)
        {
            await Task.Delay(100);
        }

        Assert.True(await replica.ScalarAsync("select pg_last_wal_replay_lsn() - '0/0'") >= written, "the standby replays the primary's WAL");
    }
}
