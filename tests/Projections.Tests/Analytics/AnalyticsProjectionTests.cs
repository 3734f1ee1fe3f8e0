using JasperFx.Events.Daemon;
using Marten;
using Marten.Events;
using Merit.Projections;
using Merit.Projections.Analytics;
using Merit.Recruitment;
using Merit.Testing;
using Npgsql;
using Snapshooter.Xunit;
using Xunit;

namespace Merit.Tests.Analytics;

/// <summary>The fixed round's events in a database of their own, projected by a running daemon while they arrive in phases.</summary>
public sealed class FixedRoundDatabase : IAsyncLifetime
{
    private readonly TestDatabase database = new();

    public FixedRound Round { get; } = FixedRound.Build();

    public DocumentStore Store { get; private set; } = null!;

    public string ConnectionString => database.ConnectionString;

    public async Task InitializeAsync()
    {
        await database.InitializeAsync();
        Store = DocumentStore.For(o => o.Configure(database.ConnectionString, TimeProvider.System));

        // The daemon runs while the phases arrive, so its batches differ from a rebuild's.
        using var daemon = await Store.BuildProjectionDaemonAsync();
        await daemon.StartAllAsync();
        foreach (var phase in Round.Phases)
        {
            await AppendAsync(Store, phase);
        }

        await Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));
        await daemon.StopAllAsync();
    }

    public async Task DisposeAsync()
    {
        Store.Dispose();
        await database.DisposeAsync();
    }

    /// <summary>Appends one phase of the round's events in one session.</summary>
    public static async Task AppendAsync(IDocumentStore store, IEnumerable<(Guid Stream, object Event)> phase)
    {
        await using var session = store.LightweightSession();
        foreach (var (stream, e) in phase)
        {
            session.Events.Append(stream, e);
        }

        await session.SaveChangesAsync();
    }

    /// <summary>Every analytics document as stored, by table and id.</summary>
    public static async Task<List<string>> AnalyticsDocumentsAsync(string connectionString)
    {
        var documents = new List<string>();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        foreach (var table in new[] { AnalyticsProjections.FormationTable, AnalyticsProjections.RollupTable, AnalyticsProjections.SkdDistributionTable, AnalyticsProjections.DecisionTimesTable })
        {
            await using var command = new NpgsqlCommand($"select id::text, data::text from {MeritStore.SchemaName}.mt_doc_{table} order by id::text", connection);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                documents.Add($"{table} {reader.GetString(0)} {reader.GetString(1)}");
            }
        }

        return documents;
    }
}

/// <summary>
/// The analytics read models of <see cref="FixedRound"/> hold exactly the numbers worked out by hand; a rebuild
/// from the events gives the same documents byte for byte.
/// </summary>
public sealed class AnalyticsProjectionTests(FixedRoundDatabase fixture) : IClassFixture<FixedRoundDatabase>
{
    private static readonly Guid A = FixedRound.FormationId("A-UMUM-JKT");
    private static readonly Guid B = FixedRound.FormationId("B-DIS-SMD");
    private static readonly Guid C = FixedRound.FormationId("C-UMUM-JKT");

    private DocumentStore Store => fixture.Store;

    [Fact]
    public async Task The_formation_read_model_holds_the_funnel_by_sex_the_cut_off_the_ties_and_the_optimisation_effect()
    {
        await using var session = Store.QuerySession();
        var a = (await session.LoadAsync<FormationAnalytics>(A))!;

        // a7 was TMS, appealed, and was re-announced MS; a6's appeal was refused; a5 was absent from the SKD.
        Assert.Equal((4, 4, 3, 3, 0, 0), Stages(a.Female));
        Assert.Equal((3, 2, 1, 1, 1, 0), Stages(a.Male));
        Assert.Equal(("I-1", "Jakarta", FormationCategory.Umum, 1, 1), (a.InstansiCode, a.Location, a.Category, a.Allocation, a.Formations));

        // a3 and a7 tie fully on the SKD at the quota's last place (3): both go on, a7 on the tie.
        Assert.Equal((1, 3, 5, 1, 340), (a.CutOffsDecided, a.Quota, a.SkdParticipants, a.AdmittedOnTie, a.CutOffTotal!.Value));

        // a1 and a2 have the same final score; a2 passes on TKP (Pasal 45(4)), then withdraws; a1 is placed in C and appointed there.
        Assert.Equal((1, 1, 1, 0), (a.FinalsDecided, a.Passed, a.PassedOnTieBreak, a.ReferredToPanselnas));
        Assert.Equal((1, 1, 1, 1, 0), (a.PlacedElsewhere, a.PlacedElsewhereAppointed, a.Withdrawals, a.VacatedByWithdrawal, a.FilledByOptimisation));
        Assert.Equal((0, 1), (a.VacantAfterFinal, a.VacantNow));
        Assert.Equal(0, a.Unattributed);

        var b = (await session.LoadAsync<FormationAnalytics>(B))!;
        Assert.Equal((1, 1, 1, 1, 1, 1), Stages(b.Female));
        Assert.Equal((1, 1, 0, 0, 0, 0), Stages(b.Male));
        Assert.Equal((FormationCategory.Disabilitas, 286, 2), (b.Category, b.CutOffTotal!.Value, b.SkdParticipants));

        var c = (await session.LoadAsync<FormationAnalytics>(C))!;
        Assert.Equal((2, 2, 1, 1, 1, 1), Stages(c.Male));
        Assert.Equal((1, 1, 0, 0, 0, 0), Stages(c.Female));
        Assert.Equal((1, 1, 0, 0), (c.Passed, c.FilledByOptimisation, c.PlacedElsewhere, c.Withdrawals));
        Assert.Equal((1, 0), (c.VacantAfterFinal, c.VacantNow));
    }

    [Fact]
    public async Task Rollups_per_dimension_add_up_the_formations_they_cover()
    {
        await using var session = Store.QuerySession();
        var rollups = (await session.Query<RoundRollup>().ToListAsync()).ToDictionary(r => (r.Dimension, r.Key));
        var formations = await session.Query<FormationAnalytics>().ToListAsync();

        // all; instansi I-1, I-2; categories Umum, Disabilitas; one position; locations Jakarta, Samarinda.
        Assert.Equal(8, rollups.Count);
        var all = rollups[("all", "")];
        Assert.Equal((3, 4, 12, 6), (all.Formations, all.Allocation, all.Female.Registered + all.Male.Registered, all.Female.Registered));
        Assert.Equal(Json(Sum(formations)), Json(Sum([all])));
        Assert.Equal(Json(Sum(formations.Where(f => f.InstansiCode == "I-1"))), Json(Sum([rollups[("instansi", "I-1")]])));
        Assert.Equal(Json(Sum(formations.Where(f => f.Location == "Jakarta"))), Json(Sum([rollups[("location", "Jakarta")]])));
        Assert.Equal(Json(Sum(formations.Where(f => f.Category == FormationCategory.Umum))), Json(Sum([rollups[("category", "Umum")]])));
        Assert.Equal(Json(Sum(formations)), Json(Sum([rollups[("position", "Analis Kebijakan")]])));
        Assert.Equal((1, 1, 1), (all.FilledByOptimisation, all.VacatedByWithdrawal, all.VacantNow));
    }

    [Fact]
    public async Task Decision_times_run_from_the_window_opening_or_from_the_appeal_filing()
    {
        await using var session = Store.QuerySession();
        var i1 = (await session.LoadAsync<DecisionTimes>(DecisionTimes.IdFor(FixedRound.RoundId, "I-1")))!;
        var i2 = (await session.LoadAsync<DecisionTimes>(DecisionTimes.IdFor(FixedRound.RoundId, "I-2")))!;

        // Minutes per decision: A verified 2 h after the window opened, B 26 h after; appeals answered 24 h and 48 h after filing.
        Assert.Equal([(120L, 7), (1560L, 2)], Bins(i1, DecisionStage.AdministrativeVerification));
        Assert.Equal([(1440L, 1), (2880L, 1)], Bins(i1, DecisionStage.AdministrativeAppeal));
        Assert.Equal([(180L, 8)], Bins(i1, DecisionStage.SkdResult));
        Assert.Equal([(60L, 2)], Bins(i1, DecisionStage.SkdCutOff));
        Assert.Equal([(300L, 5)], Bins(i1, DecisionStage.SkbResult));
        Assert.Equal([(120L, 2)], Bins(i1, DecisionStage.FinalResult));
        Assert.Equal([(1440L, 2)], Bins(i1, DecisionStage.NipIssued));
        Assert.DoesNotContain(i1.Stages, s => s.Stage == DecisionStage.Optimisation);

        // The placement is counted under the instansi whose vacancy it fills.
        Assert.Equal([(240L, 1)], Bins(i2, DecisionStage.Optimisation));
        Assert.Equal([(120L, 3)], Bins(i2, DecisionStage.AdministrativeVerification));

        var verification = i1.Stages.Single(s => s.Stage == DecisionStage.AdministrativeVerification).Durations;
        Assert.Equal((120L, 1560L), (verification.Percentile(0.5)!.Value, verification.Percentile(0.9)!.Value));
    }

    [Fact]
    public async Task SKD_histograms_count_every_result_in_its_category_and_bin()
    {
        await using var session = Store.QuerySession();
        var distribution = (await session.LoadAsync<SkdDistribution>(FixedRound.RoundId))!;

        Assert.Equal([FormationCategory.Umum, FormationCategory.Disabilitas], distribution.Categories.Select(c => c.Category));
        var umum = distribution.Categories[0];
        Assert.Equal((7, 5, 0), (umum.Results, umum.ThresholdMet, umum.CertificatesReused));
        Assert.Equal(7, umum.Total.Bins.Sum());

        // Totals 400, 400, 340, 340, 380, 380 (c1) and 350 (c2), in bins of 10.
        Assert.Equal(2, umum.Total.Bins[40]);
        Assert.Equal(2, umum.Total.Bins[34]);
        Assert.Equal(2, umum.Total.Bins[38]);
        Assert.Equal(1, umum.Total.Bins[35]);
        Assert.Equal(2, umum.Twk.Bins[80 / 5]);
        var disabilitas = distribution.Categories[1];
        Assert.Equal((2, 1), (disabilitas.Results, disabilitas.ThresholdMet));
    }

    [Fact]
    public async Task Every_document_records_the_last_event_it_reflects()
    {
        await using var session = Store.QuerySession();
        var events = await session.Events.QueryAllRawEvents().ToListAsync();
        long LastOf(Func<object, bool> concerns) => events.Where(e => concerns(e.Data)).Max(e => e.Sequence);

        var a = (await session.LoadAsync<FormationAnalytics>(A))!;
        Assert.Equal(LastOf(d => CountedForFormation(d) == A), a.LastSequence);

        var distribution = (await session.LoadAsync<SkdDistribution>(FixedRound.RoundId))!;
        Assert.Equal(LastOf(d => d is SkdResultRecorded), distribution.LastSequence);

        var samarinda = (await session.LoadAsync<RoundRollup>(RoundRollup.IdFor(FixedRound.RoundId, "location", "Samarinda")))!;
        Assert.Equal(LastOf(d => CountedForFormation(d) == B), samarinda.LastSequence);

        var i2 = (await session.LoadAsync<DecisionTimes>(DecisionTimes.IdFor(FixedRound.RoundId, "I-2")))!;
        Assert.Equal(LastOf(d => d is NipAssigned n && n.FormationId == C), i2.LastSequence);
    }

    [Fact]
    public async Task The_fixed_round_s_analytics_documents_match_their_snapshot()
    {
        await using var session = Store.QuerySession();
        Snapshot.Match(new
        {
            formations = (await session.Query<FormationAnalytics>().ToListAsync()).OrderBy(f => f.Code, StringComparer.Ordinal),
            rollups = (await session.Query<RoundRollup>().ToListAsync()).OrderBy(r => r.Id, StringComparer.Ordinal),
            skd = await session.LoadAsync<SkdDistribution>(FixedRound.RoundId),
            decisionTimes = (await session.Query<DecisionTimes>().ToListAsync()).OrderBy(d => d.Id, StringComparer.Ordinal),
        });
    }

    [Fact]
    public async Task A_rebuild_from_the_events_gives_identical_documents()
    {
        var live = await FixedRoundDatabase.AnalyticsDocumentsAsync(fixture.ConnectionString);
        Assert.Equal(3 + 8 + 1 + 2, live.Count);

        using (var daemon = await Store.BuildProjectionDaemonAsync())
        {
            // The analytics projections run in one composite (docs/adr/0018): rebuilt together.
            await daemon.RebuildProjectionAsync(RoundReadModels.Name, CancellationToken.None);
        }

        Assert.Equal(live, await FixedRoundDatabase.AnalyticsDocumentsAsync(fixture.ConnectionString));
    }

    /// <summary>The formation an event moves a count of, for the events the formation read model counts.</summary>
    private static Guid? CountedForFormation(object data) => data switch
    {
        ApplicantRegistered or AdministrativeVerificationRecorded or AdministrativeResultReannounced or SkdResultRecorded
            or SkdCertificateReused or SkdCutOffApplied or FinalResultApplied or PlacedByOptimisation or WithdrewAfterPassing
            or NipAssigned => ((IApplicationEvent)data).FormationId,
        FormationOpened or SkdCutOffDecided or FinalResultDecided or VacancyFilledByOptimisation or PlaceVacatedByWithdrawal => ((IFormationEvent)data).FormationId,
        _ => null,
    };

    /// <summary>The summable counts of some documents, field by field, as one comparable value.</summary>
    private static Dictionary<string, long> Sum(IEnumerable<FunnelCounts> documents)
    {
        var sum = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var d in documents)
        {
            foreach (var p in typeof(FunnelCounts).GetProperties().Where(p => p.PropertyType == typeof(int)))
            {
                sum[p.Name] = sum.GetValueOrDefault(p.Name) + (int)p.GetValue(d)!;
            }

            foreach (var p in typeof(StageCounts).GetProperties())
            {
                sum["Male" + p.Name] = sum.GetValueOrDefault("Male" + p.Name) + (int)p.GetValue(d.Male)!;
                sum["Female" + p.Name] = sum.GetValueOrDefault("Female" + p.Name) + (int)p.GetValue(d.Female)!;
            }
        }

        return new Dictionary<string, long>(sum, StringComparer.Ordinal);
    }

    private static string Json(Dictionary<string, long> counts) => System.Text.Json.JsonSerializer.Serialize(counts.OrderBy(p => p.Key, StringComparer.Ordinal));

    private static (int, int, int, int, int, int) Stages(StageCounts s) => (s.Registered, s.Ms, s.SkdThresholdMet, s.AdmittedToSkb, s.FinalPass, s.NipIssued);

    private static List<(long, int)> Bins(DecisionTimes times, DecisionStage stage) =>
        times.Stages.Single(s => s.Stage == stage).Durations.Bins.Select(b => (b.FromMinutes, b.Count)).ToList();
}
