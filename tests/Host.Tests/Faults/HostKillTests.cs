using System.Net;
using System.Text.Json;
using Merit.Recruitment;
using Merit.Recruitment.Files;
using Merit.Security;
using Merit.Testing;
using Merit.Tests.Recruitment;
using Xunit;
using Xunit.Abstractions;

namespace Merit.Tests.Faults;

/// <summary>
/// Faults: the Host killed with SIGKILL in the middle of an import and of a stream of decisions, then
/// started again. Asserted on the stored events and read models, not on what the dying process answered.
/// Beside the other fault scenarios: a kill waits for a state it can see, never for a moment.
/// </summary>
[RunsLong]
public sealed class HostKillTests(ITestOutputHelper output) : FaultScenario(output)
{
    [Fact]
    public async Task Killed_during_an_import_no_batch_is_half_written_and_importing_again_appends_exactly_the_rest()
    {
        var generated = new GeneratedRound(formations: 100, applicants: 20_000, seed: 91);
        var csv = generated.ApplicantsCsv();
        Guid round;
        long registeredAtKill;
        await using (var host = await StartHostAsync("a"))
        {
            var api = new RecruitmentApi(host.Client("importer", Roles.Admin, Roles.Committee));
            round = await api.OpenRoundAsync("CPNS-2024-KILL");
            await api.ImportAsync(round, "formations", generated.FormationsCsv());
            await api.AdvanceAsync(round, "Registration");

            var import = api.SendImportAsync(round, "applicants", csv);
            while (await Stored.EventsAsync(Registered) == 0 && !import.IsCompleted)
            {
                await Task.Delay(10);
            }

            host.Kill();
            registeredAtKill = await Stored.EventsAsync(Registered);
            await Assert.ThrowsAnyAsync<HttpRequestException>(() => import); // never acknowledged
        }

        FaultFigures.Record(Output, $"SIGKILL during the applicants import: {registeredAtKill} of {generated.Applicants.Count} registrations stored at the kill");
        Assert.InRange(registeredAtKill, RecruitmentImports.BatchSize, generated.Applicants.Count - 1);
        await AssertNoBatchIsHalfWrittenAsync(registeredAtKill);

        await using (var host = await StartHostAsync("a"))
        {
            var api = new RecruitmentApi(host.Client("importer", Roles.Committee));
            var again = await api.ImportAsync(round, "applicants", csv);
            Assert.Equal(generated.Applicants.Count - registeredAtKill, again.GetProperty("appended").GetInt64());
            Assert.Equal(registeredAtKill, again.GetProperty("unchanged").GetInt64());
            await Stored.WaitForProjectionsAsync(TimeSpan.FromSeconds(90));
        }

        // The state a clean run gives: every applicant registered once, in the formation of the file.
        var events = await Stored.EventsOfTypeAsync(Registered);
        Assert.Equal(generated.Applicants.Count, events.Count);
        var expected = generated.Applicants.ToDictionary(a => ApplicationDecisions.IdFor(round, a.RegistrationNumber), a => FormationDecisions.IdFor(round, a.Formation));
        Assert.Equal(expected.Keys.Order(), events.Select(e => e.Stream).Order());
        Assert.All(events, e => Assert.Equal(expected[e.Stream], JsonDocument.Parse(e.Data).RootElement.GetProperty("FormationId").GetGuid()));
        await AssertNoBatchIsHalfWrittenAsync(generated.Applicants.Count);
        await Stored.AssertProjectionsEqualACleanRebuildAsync();
    }

    [Fact]
    public async Task Killed_during_concurrent_decisions_every_acknowledged_one_is_stored_once_and_projections_catch_up()
    {
        var generated = new GeneratedRound(formations: 40, applicants: 2_000, seed: 92);
        var scored = generated.Applicants.Where(a => a.Skd is not null).ToList();
        var acknowledged = new System.Collections.Concurrent.ConcurrentDictionary<Guid, (int Twk, int Tiu, int Tkp)>();
        Guid round;
        await using (var host = await StartHostAsync("a"))
        {
            round = await generated.ImportToSkdStageAsync(new RecruitmentApi(host.Client("panitia", Roles.Admin, Roles.Committee)), "CPNS-2024-KILL-DECISIONS");

            // Eight committee clients, each recording its share of the SKD results one command at a time.
            const int clients = 8;
            var stopped = 0;
            var sending = Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
            {
                var client = new RecruitmentApi(host.Client($"panitia-{c}", Roles.Committee));
                foreach (var applicant in scored.Where((_, i) => i % clients == c))
                {
                    var id = ApplicationDecisions.IdFor(round, applicant.RegistrationNumber);
                    var (twk, tiu, tkp) = applicant.Skd!.Value;
                    try
                    {
                        using var response = await client.RecordSkdAsync(id, twk, tiu, tkp);
                        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                        acknowledged[id] = (twk, tiu, tkp);
                    }
                    catch (HttpRequestException)
                    {
                        Interlocked.Increment(ref stopped); // the Host died under this request: not acknowledged
                        return;
                    }
                }
            })).ToList();

            while (acknowledged.Count < scored.Count / 3)
            {
                await Task.Delay(10);
            }

            host.Kill();
            await Task.WhenAll(sending);
            Assert.Equal(clients, stopped);
        }

        var acknowledgedAtKill = acknowledged.Count;
        var stored = await Stored.SkdResultsAsync();
        FaultFigures.Record(Output, $"SIGKILL during concurrent SKD decisions: {acknowledgedAtKill} acknowledged before the kill, {stored.Count} stored, of {scored.Count}");
        Assert.InRange(acknowledgedAtKill, 1, scored.Count - 1);
        Assert.All(acknowledged, a => Assert.Equal(a.Value, Assert.Single(stored[a.Key])));
        await Stored.AssertDecisionsWholeAsync(stored);

        // Restarted: the rest are sent again (a command whose answer was lost is found recorded and not sent twice).
        await using (var host = await StartHostAsync("a"))
        {
            var client = new RecruitmentApi(host.Client("panitia", Roles.Committee));
            foreach (var applicant in scored.Where(a => !stored.ContainsKey(ApplicationDecisions.IdFor(round, a.RegistrationNumber))))
            {
                var (twk, tiu, tkp) = applicant.Skd!.Value;
                using var response = await client.RecordSkdAsync(ApplicationDecisions.IdFor(round, applicant.RegistrationNumber), twk, tiu, tkp);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }

            await Stored.WaitForProjectionsAsync(TimeSpan.FromSeconds(90));
            FaultFigures.Record(Output, "daemon after the restart: " + string.Join(" | ", host.Log.Split('\n').Where(l => l.Contains("high water", StringComparison.OrdinalIgnoreCase) || l.Contains("gap", StringComparison.OrdinalIgnoreCase))));
        }

        var all = await Stored.SkdResultsAsync();
        Assert.Equal(scored.Count, all.Count);
        Assert.All(scored, a => Assert.Equal(a.Skd!.Value, Assert.Single(all[ApplicationDecisions.IdFor(round, a.RegistrationNumber)])));
        await Stored.AssertDecisionsWholeAsync(all);
        await Stored.AssertProjectionsEqualACleanRebuildAsync();
    }

    private const string Registered = "applicant_registered";

    /// <summary>A batch is one transaction: its events, the applications' snapshots, the personal data and the claims, all or none.</summary>
    private async Task AssertNoBatchIsHalfWrittenAsync(long registered)
    {
        Assert.True(registered % RecruitmentImports.BatchSize == 0 || registered == (await Stored.EventsAsync(Registered)), $"{registered} is not whole batches");
        Assert.Equal(registered, await Stored.ScalarAsync("select count(distinct stream_id) from merit.mt_events where type = 'applicant_registered'"));
        Assert.Equal(registered, (await Stored.DocumentsAsync("mt_doc_application")).Count);
        Assert.Equal(registered, (await Stored.DocumentsAsync("mt_doc_personrecord")).Count);
        Assert.Equal(registered, (await Stored.DocumentsAsync("mt_doc_roundregistrationclaim")).Count);
    }
}
