using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Merit.Security;
using Merit.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Merit.Tests.Faults;

/// <summary>
/// More than one node: two Host processes on one database. The async daemon runs in HotCold mode, so every
/// projection runs on exactly one node (the holder of its advisory lock); when that node is killed the other takes
/// over; commands through either node are decided against the same streams.
/// </summary>
[Collection(FaultScenarios.Name)]
public sealed class TwoNodeTests(ITestOutputHelper output) : FaultScenario(output)
{
    [Fact]
    public async Task The_projections_run_on_one_node_commands_through_both_are_consistent_and_the_standby_takes_over_a_killed_leader()
    {
        await using var a = await StartHostAsync("a");
        // The election runs after start-up: b starts only once a leads, so a is the node that won it.
        Assert.True(await Eventually(() => AgentsOnAsync(a), agents => agents > 0) > 0, "node a never started its projection agents");
        await using var b = await StartHostAsync("b");

        // Node a holds every projection's lock, node b none. Eventually, because every node also takes short advisory
        // locks that are no projection's (Wolverine's scheduled-message poll every 5 s, Marten's schema check at start).
        var holders = await Eventually(Stored.LockHoldersAsync, h => h.Count == 1 && h.ContainsKey(a.ApplicationName));
        Assert.Equal([a.ApplicationName], holders.Keys);
        // The readiness probe (anonymous) says the same: a runs the projection agents, b stands by.
        Assert.True(await AgentsOnAsync(a) > 0);
        Assert.Equal(0, await AgentsOnAsync(b));
        FaultFigures.Record(Output, $"projection locks: {string.Join(", ", holders.Select(h => $"{h.Key} {h.Value}"))}");

        // One formation's cut-off sent at once through both nodes: exactly one decision is recorded.
        var api = new RecruitmentApi(a.Client("panitia", Roles.Admin, Roles.Committee));
        var round = await api.OpenRoundAsync("CPNS-2024-TWO-NODES");
        var formation = await api.OpenFormationAsync(round, "F-001");
        await api.AdvanceAsync(round, "Registration");
        var applicants = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            applicants.Add(await api.RegisteredAsync(round, formation, $"2410020{i}", $"317101010190005{i}"));
        }

        await api.AdvanceAsync(round, "AdministrativeSelection");
        foreach (var applicant in applicants)
        {
            await api.VerifyAsync(applicant);
        }

        await api.AdvanceAsync(round, "AdministrativeAppeal", "Skd");
        foreach (var applicant in applicants)
        {
            (await api.RecordSkdAsync(applicant, 100, 100, 200)).EnsureSuccessStatusCode();
        }

        await api.AdvanceAsync(round, "Skb");
        var clients = Enumerable.Range(0, 12).Select(i => (i % 2 == 0 ? a : b).Client($"panitia-{i}", Roles.Committee)).ToList();
        var responses = await Task.WhenAll(clients.Select(c => c.PostAsync($"/formations/{formation}/skd-cutoff", null)));
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.OK), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
        Assert.Equal(1, await Stored.ScalarAsync("select count(*) from merit.mt_events where type = 'skd_cut_off_decided' and stream_id = @id", ("id", formation)));

        // The leader dies; an event appended after its death is projected by node b.
        var clock = Stopwatch.StartNew();
        a.Kill();
        await new RecruitmentApi(b.Client("admin", Roles.Admin)).OpenRoundAsync("CPNS-2024-AFTER-KILL");
        var appended = await Stored.NewestSequenceAsync();
        TimeSpan? locked = null;
        while (await Stored.SlowestProjectionAsync() < appended)
        {
            locked ??= (await Stored.LockHoldersAsync()).ContainsKey(b.ApplicationName) ? clock.Elapsed : null;
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(90), $"node b did not take over the projections: {await Stored.DescribeDaemonAsync()}. Its last lines:\n{b.Log}");
            await Task.Delay(50);
        }

        var takeover = clock.Elapsed;
        Assert.Equal([b.ApplicationName], (await Stored.LockHoldersAsync()).Keys);
        Assert.True(await AgentsOnAsync(b) > 0);
        FaultFigures.Record(Output, $"takeover: node b held the locks after {locked?.TotalSeconds:0.00} s and projected past event {appended} {takeover.TotalSeconds:0.00} s after the SIGKILL of node a");
    }

    private static async Task<int> AgentsOnAsync(HostProcess node)
    {
        using var anonymous = new HttpClient { BaseAddress = node.BaseAddress };
        using var ready = JsonDocument.Parse(await anonymous.GetStringAsync(new Uri("/health/ready", UriKind.Relative)));
        return ready.RootElement.GetProperty("checks").GetProperty("projections").GetProperty("data").GetProperty("agentsOnThisNode").GetInt32();
    }

    private static async Task<T> Eventually<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        var clock = Stopwatch.StartNew();
        var value = await read();
        while (!done(value) && clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(100);
            value = await read();
        }

        return value;
    }
}
