using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marten;
using Merit.Career;
using Merit.Projections.Relocation;
using Merit.Relocation;
using Merit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using Xunit.Abstractions;

namespace Merit.Tests.Relocation;

/// <summary>
/// A generated wave of 20,000 nominations over 8 instansi, screened and selected against PostgreSQL through the
/// HTTP API: the selected and wait-listed sets equal an independent computation, two concurrent selections of
/// one instansi leave exactly one decision, and concurrent offers of freed units never exceed the housing quota.
/// </summary>
[RunsLong]
public class GeneratedWaveTests(MeritApp app, ITestOutputHelper output) : IClassFixture<MeritApp>
{
    private const int Nominations = 20_000;

    private readonly CareerApi api = new(app.CreateClient());

    [Fact]
    public async Task A_wave_of_20000_nominations_selects_exactly_the_independently_computed_set_within_every_quota_also_under_concurrency()
    {
        var wave = new GeneratedWave(Nominations, instansiCount: 8, seed: 2024);
        var clock = Stopwatch.StartNew();
        await api.ImportWorkforceAsync(wave.WorkforceCsv());
        output.WriteLine($"workforce of {Nominations}: {clock.Elapsed.TotalSeconds:F1} s");

        var ids = app.Services.GetRequiredService<CivilServantIds>();
        var servantOf = wave.People.ToDictionary(p => p.Nip, p => ids.For(p.Nip), StringComparer.Ordinal);
        var blocked = wave.People.Where((p, i) => i % 400 == 7).Select(p => p.Nip).ToHashSet(StringComparer.Ordinal);
        foreach (var nip in blocked)
        {
            await api.OkAsync($"/civil-servants/{servantOf[nip]}/blocks", new { reference = "BLK-" + nip[^6..], reason = "data check", on = "2024-07-01" });
        }

        var opened = await api.OkAsync("/relocation-waves", new
        {
            programme = "IKN",
            code = "IKN-GEN-1",
            number = 1,
            startsOn = "2024-09-02",
            policyVersion = "IKN-2024",
            instansi = wave.Instansi.Select(i => new { instansiCode = i.Code, units = i.Units, housingUnits = i.HousingUnits }),
        });
        var waveId = opened.GetProperty("id").GetGuid();

        clock.Restart();
        var caseOf = new Dictionary<string, Guid>(StringComparer.Ordinal);
        foreach (var batch in wave.People.Chunk(NominateRequestValidator.MaximumNominations))
        {
            var answer = await api.OkAsync($"/relocation-waves/{waveId}/nominations", new
            {
                nominations = batch.Select(p => new
                {
                    servantId = servantOf[p.Nip],
                    unitCode = p.Unit,
                    nominatedOn = Iso(p.NominatedOn),
                    assessmentScore = p.Score,
                    assessedOn = p.Score is null ? null : "2024-03-01",
                    maritalStatus = p.Married ? "Married" : "Unmarried",
                    retirementDate = Iso(p.Retirement),
                }),
            });
            foreach (var (outcome, person) in answer.GetProperty("cases").EnumerateArray().Zip(batch))
            {
                caseOf[person.Nip] = outcome.GetProperty("caseId").GetGuid();
            }
        }

        output.WriteLine($"{Nominations} nominations screened: {clock.Elapsed.TotalSeconds:F1} s");
        var nominees = wave.People.Select(p => (p, caseOf[p.Nip])).ToList();

        clock.Restart();
        var selections = new Dictionary<string, (List<Guid> Selected, List<Guid> WaitListed)>(StringComparer.Ordinal);
        foreach (var instansi in wave.Instansi)
        {
            // Two selections of one instansi at the same time: exactly one is recorded, the other is refused.
            var quotaId = HousingQuota.IdFor(waveId, instansi.Code);
            var responses = await Task.WhenAll(api.PostAsync($"/housing-quotas/{quotaId}/selection"), api.PostAsync($"/housing-quotas/{quotaId}/selection"));
            Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
            Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
            var body = await CareerApi.OkAsync(responses.Single(r => r.IsSuccessStatusCode));
            selections[instansi.Code] = (Guids(body.GetProperty("selected")), Guids(body.GetProperty("waitListed")));
        }

        output.WriteLine($"{wave.Instansi.Count} selections (each raced by a second): {clock.Elapsed.TotalSeconds:F1} s");

        foreach (var instansi in wave.Instansi)
        {
            var (selected, waitListed) = selections[instansi.Code];
            Assert.Equal(GeneratedWave.ExpectedSelection(nominees, instansi, blocked, selected: true), selected);
            Assert.Equal(GeneratedWave.ExpectedSelection(nominees, instansi, blocked, selected: false), waitListed);
            Assert.True(selected.Count <= instansi.HousingUnits);
        }

        await using (var session = app.Store.QuerySession())
        {
            var stored = await session.Query<RelocationCase>().Where(c => c.WaveId == waveId && c.Status == RelocationStatus.Selected).CountAsync();
            Assert.Equal(selections.Values.Sum(s => s.Selected.Count), stored);
            var decisions = await session.Events.QueryRawEventDataOnly<InstansiSelectionDecided>().CountAsync();
            Assert.Equal(wave.Instansi.Count, decisions);
        }

        // Three selected employees of the first instansi withdraw; six concurrent offers fill exactly the three freed units.
        var first = wave.Instansi[0];
        var firstQuota = HousingQuota.IdFor(waveId, first.Code);
        foreach (var caseId in selections[first.Code].Selected.Take(3))
        {
            await api.OkAsync($"/relocation-cases/{caseId}/withdrawal", new { reason = "personal", on = "2024-08-25" });
        }

        var offers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => api.PostAsync($"/housing-quotas/{firstQuota}/offers")));
        var accepted = offers.Count(o => o.IsSuccessStatusCode);
        Assert.InRange(accepted, 1, 3);
        Assert.All(offers.Where(o => !o.IsSuccessStatusCode), o => Assert.Equal(HttpStatusCode.Conflict, o.StatusCode));
        while ((await api.PostAsync($"/housing-quotas/{firstQuota}/offers")).IsSuccessStatusCode)
        {
            accepted++;
        }

        var quota = await api.GetAsync($"/housing-quotas/{firstQuota}");
        Assert.Equal(3, accepted);
        Assert.Equal((first.HousingUnits, 0), ((int)quota["occupants"]!.AsArray().Count, (int)quota["freeUnits"]!));
        Assert.Equal(selections[first.Code].WaitListed.Take(3), quota["occupants"]!.AsArray().TakeLast(3).Select(o => (Guid)o!));

        await app.WaitForProjectionsAsync();
        var progress = await api.Client.GetFromJsonAsync<JsonElement>($"/relocation-progress?waveId={waveId}");
        Assert.Equal(wave.Instansi.Count, progress.GetArrayLength());
        var row = progress.EnumerateArray().Single(r => r.GetProperty("instansiCode").GetString() == first.Code);
        Assert.Equal(Nominations / wave.Instansi.Count, row.GetProperty("nominated").GetInt32());
        Assert.Equal((first.HousingUnits, 0), (row.GetProperty("unitsHeld").GetInt32(), row.GetProperty("freeUnits").GetInt32()));
        Assert.Equal((JsonValueKind.Null, JsonValueKind.Null), (row.GetProperty("withdrawn").ValueKind, row.GetProperty("selectedFromWaitList").ValueKind));
        await using (var session = app.Store.QuerySession())
        {
            // Under the minimum cell size the API hides them; the read model itself has counted them.
            var stored = await session.LoadAsync<RelocationProgress>(RelocationProgress.Key(waveId, first.Code));
            Assert.Equal((3, 3, first.HousingUnits), (stored!.Withdrawn, stored.SelectedFromWaitList, stored.UnitsHeld));
        }

        Assert.Equal(selections[first.Code].Selected.Count + selections[first.Code].WaitListed.Count, row.GetProperty("eligible").GetInt32());
    }

    private static List<Guid> Guids(JsonElement array) => array.EnumerateArray().Select(e => e.GetGuid()).ToList();

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
