using JasperFx.Events.Daemon;
using Marten;
using Merit.Projections;
using Merit.Projections.Recruitment;
using Merit.Recruitment;
using Merit.Testing;
using Xunit;

namespace Merit.Tests.Recruitment;

/// <summary>Given known events in a real PostgreSQL, the read models hold exactly the expected values.</summary>
public sealed class RecruitmentProjectionTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2024, 8, 20, 8, 0, 0, TimeSpan.FromHours(7));
    private static readonly Guid RoundId = RoundDecisions.IdFor("CPNS-2024");

    private readonly StoreDatabase database = new();

    public Task InitializeAsync() => database.InitializeAsync();

    public Task DisposeAsync() => database.DisposeAsync();

    private static FormationOpened Formation(string code, FormationCategory category) =>
        new(FormationDecisions.IdFor(RoundId, code), RoundId, code, "INST-1", "Pranata Komputer", "Samarinda", category, 1, EducationLevel.S1, "CPNS-2024", T0);

    private static object[] Applicant(FormationOpened formation, string number, AdministrativeResult? admin, (int Twk, int Tiu, int Tkp, bool Met)? skd)
    {
        var id = ApplicationDecisions.IdFor(RoundId, number);
        var events = new List<object> { new ApplicantRegistered(id, RoundId, formation.FormationId, formation.Code, number, Guid.NewGuid(), Sex.M, EducationLevel.S1, 3.1m, T0.AddDays(1)) };
        if (admin is { } result)
        {
            events.Add(new AdministrativeVerificationRecorded(id, formation.FormationId, result, "verified", "CPNS-2024", T0.AddDays(10)));
        }

        if (skd is { } s)
        {
            events.Add(new SkdResultRecorded(id, formation.FormationId, s.Twk, s.Tiu, s.Tkp, s.Twk + s.Tiu + s.Tkp, formation.Category, s.Met, s.Met ? [] : ["TWK < 65"], "CPNS-2024", T0.AddDays(40)));
        }

        return events.ToArray();
    }

    private async Task AppendRoundAsync()
    {
        var a = Formation("F-A", FormationCategory.Umum);
        var b = Formation("F-B", FormationCategory.Disabilitas);
        await using var session = database.Store.LightweightSession();
        session.Events.StartStream<Round>(RoundId, new RoundOpened(RoundId, "CPNS-2024", "CPNS 2024", "CPNS-2024", T0));
        session.Events.StartStream<Formation>(a.FormationId, a);
        session.Events.StartStream<Formation>(b.FormationId, b);
        foreach (var (formation, number, admin, skd) in new (FormationOpened, string, AdministrativeResult?, (int, int, int, bool)?)[]
        {
            (a, "A1", AdministrativeResult.MS, (65, 80, 166, true)),
            (a, "A2", AdministrativeResult.MS, (60, 120, 200, false)),
            (a, "A3", AdministrativeResult.TMS, null),
            (a, "A4", null, null),
            (b, "B1", AdministrativeResult.MS, (30, 60, 196, true)),
        })
        {
            session.Events.StartStream<Application>(ApplicationDecisions.IdFor(RoundId, number), Applicant(formation, number, admin, skd));
        }

        await session.SaveChangesAsync();
    }

    private async Task RebuildAsync()
    {
        using var daemon = await database.Store.BuildProjectionDaemonAsync();
        // FormationSummary runs in the composite of the round's read models: rebuilt with it (docs/adr/0018).
        await daemon.RebuildProjectionAsync(RoundReadModels.Name, CancellationToken.None);
    }

    [Fact]
    public async Task The_applicant_case_is_current_in_the_same_transaction()
    {
        await AppendRoundAsync();

        await using var session = database.Store.QuerySession();
        var a2 = await session.LoadAsync<ApplicantCase>(ApplicationDecisions.IdFor(RoundId, "A2"));
        Assert.NotNull(a2);
        Assert.Equal("SkdThresholdNotMet", a2.Status);
        Assert.Equal(AdministrativeResult.MS, a2.Administrative);
        Assert.Equal(380, a2.Skd!.Total);
        Assert.Equal(3, a2.Version);
        var a4 = await session.LoadAsync<ApplicantCase>(ApplicationDecisions.IdFor(RoundId, "A4"));
        Assert.Equal("Registered", a4!.Status);
    }

    [Fact]
    public async Task Formation_summaries_count_each_stage()
    {
        await AppendRoundAsync();
        await RebuildAsync();

        await using var session = database.Store.QuerySession();
        var a = await session.LoadAsync<FormationSummary>(FormationDecisions.IdFor(RoundId, "F-A"));
        var b = await session.LoadAsync<FormationSummary>(FormationDecisions.IdFor(RoundId, "F-B"));
        Assert.Equal((4, 2, 1, 2, 1), (a!.Registered, a.Qualified, a.NotQualified, a.SkdRecorded, a.SkdThresholdMet));
        Assert.Equal((1, 1, 0, 1, 1), (b!.Registered, b.Qualified, b.NotQualified, b.SkdRecorded, b.SkdThresholdMet));
        Assert.Equal(FormationCategory.Disabilitas, b.Category);
    }

    [Fact]
    public async Task A_rebuild_yields_the_same_read_model_byte_for_byte()
    {
        await AppendRoundAsync();
        await RebuildAsync();
        var first = await SummariesJsonAsync();

        await RebuildAsync();

        Assert.Equal(first, await SummariesJsonAsync());
        Assert.Contains("F-B", first, StringComparison.Ordinal);
    }

    private async Task<string> SummariesJsonAsync()
    {
        await using var session = database.Store.QuerySession();
        var all = await session.Query<FormationSummary>().OrderBy(f => f.Code).ToListAsync();
        return System.Text.Json.JsonSerializer.Serialize(all);
    }
}
