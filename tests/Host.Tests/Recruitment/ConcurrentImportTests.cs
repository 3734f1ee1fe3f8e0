using System.Net;
using Marten;
using Merit.Recruitment;
using Merit.Testing;
using Xunit;

namespace Merit.Tests.Recruitment;

/// <summary>
/// The bulk write path (docs/adr/0019) under concurrency: the same file imported twice at once records each row once.
/// The loser of a race is refused whole with a conflict (no half batch), and importing again appends nothing.
/// </summary>
public class ConcurrentImportTests(MeritApp app) : IClassFixture<MeritApp>
{
    private readonly RecruitmentApi api = new(app.CreateClient());

    [Theory]
    [InlineData("applicants")]
    [InlineData("skd")]
    public async Task The_same_file_imported_twice_at_once_records_every_row_exactly_once(string kind)
    {
        const int applicants = 400;
        var generated = new GeneratedRound(4, applicants, seed: 31);
        var round = await api.OpenRoundAsync($"CPNS-2024-RACE-{kind.ToUpperInvariant()}");
        await api.ImportAsync(round, "formations", generated.FormationsCsv());
        await api.AdvanceAsync(round, "Registration");
        string csv;
        string eventType;
        if (kind == "applicants")
        {
            (csv, eventType) = (generated.ApplicantsCsv(), "applicant_registered");
        }
        else
        {
            await api.ImportAsync(round, "applicants", generated.ApplicantsCsv());
            await api.AdvanceAsync(round, "AdministrativeSelection");
            await api.ImportAsync(round, "verification", generated.VerificationCsv());
            await api.AdvanceAsync(round, "AdministrativeAppeal", "Skd");
            (csv, eventType) = (generated.SkdCsv(), "skd_result_recorded");
        }

        var responses = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => api.SendImportAsync(round, kind, csv)));

        // Either both succeed (one wrote, the other found every row recorded) or the loser is a 409: never a 500, never twice.
        Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.OK or HttpStatusCode.Conflict, r.StatusCode.ToString()));
        Assert.Contains(responses, r => r.StatusCode == HttpStatusCode.OK);
        var written = await EventsAsync(round, eventType);
        Assert.Equal(written.Count, written.Distinct().Count());
        var again = await api.ImportAsync(round, kind, csv);
        Assert.Equal(0, again.GetProperty("appended").GetInt32());
        Assert.Equal(written.Count, (await EventsAsync(round, eventType)).Count);
        Assert.Equal(kind == "applicants" ? applicants : generated.SkdCsv().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length - 1, written.Count(s => s.Version > 0));
    }

    private async Task<List<(Guid Stream, long Version)>> EventsAsync(Guid round, string eventType)
    {
        await using var session = app.Store.QuerySession();
        var ids = (await session.Query<Application>().Where(a => a.RoundId == round).ToListAsync()).Select(a => a.Id).ToArray();
        var events = await session.Events.QueryAllRawEvents().Where(e => e.EventTypeName == eventType && e.StreamId.IsOneOf(ids)).ToListAsync();
        return events.Select(e => (e.StreamId, e.Version)).ToList();
    }
}
