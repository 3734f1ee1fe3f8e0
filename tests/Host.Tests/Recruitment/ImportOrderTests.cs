using Marten;
using Merit.Recruitment;
using Merit.Testing;
using Merit.Tests.Faults;
using Xunit;

namespace Merit.Tests.Recruitment;

/// <summary>
/// Imports append their events grouped by formation, in the file's order within each formation (docs/adr/0019): the
/// per-formation read models then touch each formation once per projection page, not once per event.
/// </summary>
public class ImportOrderTests(MeritApp app) : IClassFixture<MeritApp>
{
    private readonly RecruitmentApi api = new(app.CreateClient());

    [Fact]
    public async Task A_file_in_registration_order_is_appended_formation_by_formation_keeping_the_file_order_within_each()
    {
        // Applicants drawn at random among five formations: in the file's order the formations alternate row by row.
        var generated = new GeneratedRound(5, 300, seed: 47);
        var round = await generated.ImportToSkdStageAsync(api, "CPNS-2024-ORDER");
        await api.ImportAsync(round, "skd", generated.SkdCsv());

        await using var session = app.Store.QuerySession();
        var numbers = (await session.Query<Application>().Where(a => a.RoundId == round).ToListAsync()).ToDictionary(a => a.Id, a => a.RegistrationNumber);
        foreach (var (eventType, rows) in new[] { ("applicant_registered", 300), ("skd_result_recorded", generated.Applicants.Count(a => a.Skd is not null)) })
        {
            var events = (await session.Events.QueryAllRawEvents()
                    .Where(e => e.EventTypeName == eventType && e.StreamId.IsOneOf(numbers.Keys.ToArray()))
                    .OrderBy(e => e.Sequence)
                    .ToListAsync())
                .Select(e => (Formation: ((IApplicationEvent)e.Data).FormationId, Number: numbers[e.StreamId]))
                .ToList();

            Assert.Equal(rows, events.Count);
            var runs = events.Where((e, i) => i == 0 || events[i - 1].Formation != e.Formation).Count();
            Assert.Equal(events.Select(e => e.Formation).Distinct().Count(), runs);
            Assert.All(events.GroupBy(e => e.Formation), g => Assert.Equal(g.Select(e => e.Number).Order(StringComparer.Ordinal), g.Select(e => e.Number)));
        }
    }
}
