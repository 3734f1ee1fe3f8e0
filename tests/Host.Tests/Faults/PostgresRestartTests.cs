using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Merit.Recruitment;
using Merit.Security;
using Merit.Testing;
using Merit.Tests.Recruitment;
using Xunit;
using Xunit.Abstractions;

namespace Merit.Tests.Faults;

/// <summary>
/// Faults: PostgreSQL stopped and started again while committee clients keep recording decisions. The Host
/// reports unready while the database is gone, answers clean 503 problem details (never a hang or a bare 500), and
/// recovers by itself; nothing acknowledged is lost. On a cluster of the test's own, so no other test class notices.
/// </summary>
[Collection(FaultScenarios.Name)]
public sealed class PostgresRestartTests(ITestOutputHelper output) : FaultScenario(output)
{
    [Fact]
    public async Task Restarted_under_load_the_Host_reports_unready_answers_503_recovers_by_itself_and_loses_nothing_acknowledged()
    {
        await using var cluster = await SecondCluster.StartAsync();
        var stored = new StoredState(cluster.ConnectionString);
        var generated = new GeneratedRound(formations: 30, applicants: 1_500, seed: 93);
        var scored = generated.Applicants.Where(a => a.Skd is not null).ToList();
        await using var host = await StartHostAsync("a", connectionString: cluster.ConnectionString);
        var round = await generated.ImportToSkdStageAsync(new RecruitmentApi(host.Client("panitia", Roles.Admin, Roles.Committee)), "CPNS-2024-PG-RESTART");

        var clock = Stopwatch.StartNew();
        using var probing = new CancellationTokenSource();
        var readiness = new ConcurrentQueue<(TimeSpan At, HttpStatusCode? Status)>();
        var probe = Task.Run(async () =>
        {
            using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            while (!probing.IsCancellationRequested)
            {
                readiness.Enqueue((clock.Elapsed, await host.ReadinessAsync(client)));
                await Task.Delay(100);
            }
        });

        // Six clients record their share of the SKD results; a 503 is sent again after a pause, as its Retry-After says.
        var acknowledged = new ConcurrentDictionary<Guid, bool>();
        var answers = new ConcurrentBag<(int Status, string? MediaType, bool Resent)>();
        const int clients = 6;
        var sending = Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            var api = new RecruitmentApi(host.Client($"panitia-{c}", Roles.Committee));
            foreach (var applicant in scored.Where((_, i) => i % clients == c))
            {
                var id = ApplicationDecisions.IdFor(round, applicant.RegistrationNumber);
                var (twk, tiu, tkp) = applicant.Skd!.Value;
                for (var resent = false; ; resent = true)
                {
                    using var response = await api.RecordSkdAsync(id, twk, tiu, tkp);
                    answers.Add(((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, resent));
                    if (response.IsSuccessStatusCode || (resent && response.StatusCode == HttpStatusCode.Conflict))
                    {
                        acknowledged[id] = true; // a resend refused as already recorded: the first attempt committed after all
                        break;
                    }

                    await Task.Delay(250);
                }
            }
        })).ToList();

        while (acknowledged.Count < scored.Count / 4)
        {
            await Task.Delay(10);
        }

        var acknowledgedBeforeStop = acknowledged.Count;
        var stoppedAt = clock.Elapsed;
        await cluster.StopAsync();
        var downAt = clock.Elapsed;
        while (!readiness.Any(r => r.At > downAt && r.Status == HttpStatusCode.ServiceUnavailable) && clock.Elapsed - downAt < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(50);
        }

        await Task.Delay(TimeSpan.FromSeconds(2)); // down a while, under load
        await cluster.StartAgainAsync();
        var upAt = clock.Elapsed;
        await Task.WhenAll(sending); // every client finishes by itself: the Host recovered without a restart
        while (readiness.Last().Status != HttpStatusCode.OK)
        {
            await Task.Delay(50);
        }

        await probing.CancelAsync();
        await probe;

        var during = readiness.Where(r => r.At > downAt && r.At < upAt).ToList();
        var recovered = readiness.FirstOrDefault(r => r.At > upAt && r.Status == HttpStatusCode.OK).At - upAt;
        var refused = answers.Count(a => a.Status == 503);
        FaultFigures.Record(Output, $"PostgreSQL stopped at {stoppedAt.TotalSeconds:0.0} s after {acknowledgedBeforeStop} acknowledged decisions, down {(upAt - downAt).TotalSeconds:0.0} s; "
            + $"readiness 503 in {during.Count(r => r.Status == HttpStatusCode.ServiceUnavailable)} of {during.Count} probes while down, ready again {recovered.TotalSeconds:0.0} s after the start; "
            + $"{answers.Count} answers: {refused} × 503, {answers.Count(a => a.Resent && a.Status == 409)} resends found already recorded; {acknowledged.Count} acknowledged");

        Assert.Contains(during, r => r.Status == HttpStatusCode.ServiceUnavailable);
        Assert.DoesNotContain(readiness, r => r.Status is null); // the process answered every probe
        Assert.True(refused > 0, "no command met the outage");
        Assert.All(answers, a => Assert.True(a.Status is 200 || (a.Status is 503 && a.MediaType == "application/problem+json") || (a.Status is 409 && a.Resent), $"{a.Status} {a.MediaType}"));

        // Nothing acknowledged is lost, nothing is stored twice, and the projections catch up on their own.
        var results = await stored.SkdResultsAsync();
        Assert.Equal(scored.Count, acknowledged.Count);
        Assert.All(scored, a => Assert.Equal(a.Skd!.Value, Assert.Single(results[ApplicationDecisions.IdFor(round, a.RegistrationNumber)])));
        await stored.AssertDecisionsWholeAsync(results);
        await stored.WaitForProjectionsAsync(TimeSpan.FromSeconds(90));
    }
}
