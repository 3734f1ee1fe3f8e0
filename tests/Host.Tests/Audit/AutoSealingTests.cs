using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Merit.Security;
using Merit.Testing;
using Merit.Tests.Faults;
using Xunit;

namespace Merit.Tests.Audit;

/// <summary>
/// Sealing on its own (docs/adr/0044) on two Host processes sharing one database and one anchor: the events are sealed
/// without anyone asking, one node at a time (the seals form one chain, none twice), the readiness probe says how
/// much waits, and when one node is killed the other goes on sealing.
/// </summary>
[Collection(FaultScenarios.Name)]
public sealed class AutoSealingTests : FaultScenario
{
    private static readonly Dictionary<string, string> EveryFourEvents = new()
    {
        ["Merit__Audit__AutoSeal__Enabled"] = "true",
        ["Merit__Audit__AutoSeal__EveryEvents"] = "4",
        ["Merit__Audit__AutoSeal__EveryMinutes"] = "60",
        ["Merit__Audit__AutoSeal__PollSeconds"] = "1",
    };

    [Fact]
    public async Task Two_nodes_seal_on_their_own_into_one_chain_and_the_survivor_goes_on_after_a_kill()
    {
        await using var a = await HostProcess.StartAsync("a", ConnectionString, Secrets, EveryFourEvents);
        await using var b = await HostProcess.StartAsync("b", ConnectionString, Secrets, EveryFourEvents);

        var throughA = new RecruitmentApi(a.Client("panitia", Roles.Admin, Roles.Committee));
        await throughA.AdvanceAsync(await throughA.OpenRoundAsync("AUTO-1"), "Registration", "AdministrativeSelection", "AdministrativeAppeal");
        await UntilSealedAsync(b);

        a.Kill();
        var api = new RecruitmentApi(b.Client("panitia", Roles.Admin, Roles.Committee));
        await api.AdvanceAsync(await api.OpenRoundAsync("AUTO-2"), "Registration", "AdministrativeSelection", "AdministrativeAppeal");
        await UntilSealedAsync(b);

        var seals = (await b.Client("auditor", Roles.Auditor).GetFromJsonAsync<JsonArray>("/audit/seals"))!;
        Assert.True(seals.Count >= 2, seals.ToJsonString());
        Assert.Equal(Enumerable.Range(1, seals.Count).Select(i => (long)i), seals.Select(s => (long)s!["id"]!));
        Assert.Equal(8, seals.Sum(s => (long)s!["count"]!)); // every event once
        var report = (await b.Client("auditor", Roles.Auditor).GetFromJsonAsync<JsonObject>("/audit/verify"))!;
        Assert.True((bool)report["intact"]!, report.ToJsonString());
        Assert.Equal(seals.Count, (long)report["anchor"]!["newestAnchoredSeal"]!);
    }

    // The readiness probe of a node reports what waits for a seal; wait until nothing does.
    private static async Task UntilSealedAsync(HostProcess node)
    {
        using var probe = new HttpClient { BaseAddress = node.BaseAddress };
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var ready = JsonNode.Parse(await probe.GetStringAsync(new Uri("/health/ready", UriKind.Relative)))!;
            var sealing = ready["checks"]!["sealing"]!["data"]!;
            if ((long)sealing["unsealedEvents"]! == 0 && sealing["newestAnchoredSeal"]!.GetValueKind() == System.Text.Json.JsonValueKind.Number)
            {
                return;
            }

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(90), $"nothing sealed on its own: {ready.ToJsonString()}\n{node.LogTail}");
            await Task.Delay(250);
        }
    }
}
