using System.Net;
using System.Net.Http.Json;
using Marten;
using Merit.Recruitment;
using Merit.Testing;
using Xunit;

namespace Merit.Tests.Security;

/// <summary>Concurrent decisions on one case: exactly one wins, the rest get 409; a retried command with the same key is a no-op.</summary>
public class ConcurrencyAndIdempotencyTests(MeritApp app) : IClassFixture<MeritApp>
{
    private readonly RecruitmentApi api = new(app.CreateClient());

    [Fact]
    public async Task Many_parallel_clients_deciding_one_formations_cut_off_one_wins_and_it_is_recorded_once()
    {
        var round = await api.OpenRoundAsync("CPNS-2024-PAR");
        var formation = await api.OpenFormationAsync(round, "F-001");
        await api.AdvanceAsync(round, "Registration");
        var applicants = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            applicants.Add(await api.RegisteredAsync(round, formation, $"2410010{i}", $"317101010190003{i}"));
        }

        await api.AdvanceAsync(round, "AdministrativeSelection");
        foreach (var a in applicants)
        {
            await api.VerifyAsync(a);
        }

        await api.AdvanceAsync(round, "AdministrativeAppeal", "Skd");
        foreach (var a in applicants)
        {
            (await api.RecordSkdAsync(a, 100, 100, 200)).EnsureSuccessStatusCode();
        }

        await api.AdvanceAsync(round, "Skb");
        var clients = Enumerable.Range(0, 12).Select(i => app.ClientAs($"panitia-{i}", "committee")).ToList();
        var responses = await Task.WhenAll(clients.Select(c => c.PostAsync($"/formations/{formation}/skd-cutoff", null)));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.OK), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
        await using var session = app.Store.QuerySession();
        Assert.Single(await session.Events.FetchStreamAsync(formation), e => e.Data is SkdCutOffDecided);
        foreach (var a in applicants)
        {
            Assert.Single(await session.Events.FetchStreamAsync(a), e => e.Data is SkdCutOffApplied);
        }
    }

    [Fact]
    public async Task A_retried_command_with_the_same_idempotency_key_returns_the_first_result_and_appends_nothing()
    {
        var (_, _, application) = await api.ApplicantReadyForSkdAsync("CPNS-2024-IDEM", "3171010101900041");
        HttpRequestMessage Request() => new(HttpMethod.Post, $"/applications/{application}/skd-result")
        {
            Content = JsonContent.Create(new { twk = 70, tiu = 90, tkp = 170 }),
            Headers = { { "Idempotency-Key", "a1b2c3" } },
        };

        var first = await api.Client.SendAsync(Request());
        var retry = await api.Client.SendAsync(Request());

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await retry.Content.ReadAsStringAsync());
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        await using var session = app.Store.QuerySession();
        Assert.Single(await session.Events.FetchStreamAsync(application), e => e.Data is SkdResultRecorded);

        // Without the key the same command is refused: the result is already recorded.
        Assert.Equal(HttpStatusCode.Conflict, (await api.RecordSkdAsync(application, 70, 90, 170)).StatusCode);
    }
}
