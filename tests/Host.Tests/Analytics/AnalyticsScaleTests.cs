using System.Diagnostics;
using System.Globalization;
using Marten;
using Merit.Analytics;
using Merit.Projections;
using Merit.Projections.Analytics;
using Merit.Recruitment;
using Merit.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Merit.Tests.Analytics;

/// <summary>
/// The per-formation read model summed at query time, at the shape of a national round: formations spread over
/// 600 instansi, 500 locations and 2,000 positions. The sums must be exact; the latencies are written to
/// TestResults/analytics-latency.txt. 20,000 formations by default; set MERIT_ANALYTICS_SCALE_FORMATIONS=250000
/// to measure a national round (docs/adr/0008).
/// </summary>
public sealed class AnalyticsScaleTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly Guid RoundId = RoundDecisions.IdFor("CPNS-2024-SCALE");
    private readonly TestDatabase database = new();
    private readonly int count = int.TryParse(Environment.GetEnvironmentVariable("MERIT_ANALYTICS_SCALE_FORMATIONS"), CultureInfo.InvariantCulture, out var n) ? n : 20_000;
    private DocumentStore store = null!;
    private List<FormationAnalytics> formations = [];

    public async Task InitializeAsync()
    {
        await database.InitializeAsync();
        store = DocumentStore.For(o => o.Configure(database.ConnectionString, TimeProvider.System));
        var random = new Random(250);
        var categories = Enum.GetValues<FormationCategory>();
        formations = Enumerable.Range(0, count).Select(i =>
        {
            var registered = random.Next(0, 400);
            StageCounts Counts(int r)
            {
                var ms = r * random.Next(70, 100) / 100;
                var met = ms * random.Next(20, 60) / 100;
                var admitted = Math.Min(met, random.Next(0, 10));
                var pass = Math.Min(admitted, random.Next(0, 4));
                return new StageCounts { Registered = r, Ms = ms, SkdThresholdMet = met, AdmittedToSkb = admitted, FinalPass = pass, NipIssued = pass };
            }

            return new FormationAnalytics
            {
                Id = Guid.NewGuid(),
                RoundId = RoundId,
                Code = $"F{i:000000}",
                InstansiCode = $"I{i % 600:000}",
                Position = $"Jabatan {i % 2000}",
                Location = $"Lokasi {i % 500}",
                Category = categories[i % categories.Length],
                Allocation = 1 + random.Next(5),
                Male = Counts(registered / 2),
                Female = Counts(registered - (registered / 2)),
                Formations = 1,
                FinalsDecided = 1,
                Passed = random.Next(0, 3),
                CutOffsDecided = 1,
                AdmittedOnTie = random.Next(0, 2),
                LastSequence = i,
            };
        }).ToList();
        foreach (var f in formations)
        {
            f.VacantAfterFinal = f.VacantNow = Math.Max(0, f.Allocation - f.Passed);
        }

        await store.BulkInsertDocumentsAsync(formations);
        await store.BulkInsertDocumentsAsync(Rollups(formations));
        await using var connection = new Npgsql.NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var analyze = new Npgsql.NpgsqlCommand($"analyze {MeritStore.SchemaName}.mt_doc_{AnalyticsProjections.FormationTable}", connection);
        await analyze.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync()
    {
        store.Dispose();
        await database.DisposeAsync();
    }

    [Fact]
    public async Task Summing_the_formations_of_a_national_round_is_exact_and_its_latency_is_recorded()
    {
        var queries = new AnalyticsQueries(new Merit.Infrastructure.ReadReplica(store, null));
        var none = AnalyticsEndpoints.Filter(null, null, null, null);
        var lines = new List<string> { $"{count} formations, {formations.Sum(f => f.Male.Registered + f.Female.Registered)} applicants; mean of 3 runs after a warm-up" };
        async Task<IReadOnlyList<GroupTotals>> Timed(string label, Func<Task<IReadOnlyList<GroupTotals>>> query)
        {
            await query();
            var watch = Stopwatch.StartNew();
            const int runs = 3;
            IReadOnlyList<GroupTotals> result = [];
            for (var i = 0; i < runs; i++)
            {
                result = await query();
            }

            lines.Add(string.Create(CultureInfo.InvariantCulture, $"{label}: {watch.Elapsed.TotalMilliseconds / runs:0} ms ({result.Count} groups)"));
            return result;
        }

        var ct = CancellationToken.None;
        var all = await Timed("rollups, whole round", () => queries.TotalsAsync(RoundId, none, Dimension.All, ct));
        var byInstansi = await Timed("rollups, by instansi", () => queries.TotalsAsync(RoundId, none, Dimension.Instansi, ct));
        var byPosition = await Timed("rollups, by position", () => queries.TotalsAsync(RoundId, none, Dimension.Position, ct));
        await Timed("rollups, by location", () => queries.TotalsAsync(RoundId, none, Dimension.Location, ct));
        var summedAll = await Timed("formations summed, whole round", () => queries.SumFormationsAsync(RoundId, none, Dimension.All, ct));
        var summedInstansi = await Timed("formations summed, by instansi", () => queries.SumFormationsAsync(RoundId, none, Dimension.Instansi, ct));
        var oneInstansi = await Timed("filter one instansi, by category", () => queries.TotalsAsync(RoundId, AnalyticsEndpoints.Filter("I007", null, null, null), Dimension.Category, ct));
        await Timed("filter one location, by instansi", () => queries.TotalsAsync(RoundId, AnalyticsEndpoints.Filter(null, null, "Lokasi 42", null), Dimension.Instansi, ct));
        await Timed("filter one category, by location", () => queries.TotalsAsync(RoundId, AnalyticsEndpoints.Filter(null, "disabilitas", null, null), Dimension.Location, ct));

        Assert.Equal(Flat(summedAll), Flat(all));
        Assert.Equal(Flat(summedInstansi), Flat(byInstansi));

        Assert.Equal(formations.Sum(f => f.Male.Registered + f.Female.Registered), all.Single().Counts["registered"]);
        Assert.Equal(formations.Sum(f => f.Female.AdmittedToSkb), all.Single().Counts["femaleAdmittedToSkb"]);
        Assert.Equal(formations.Sum(f => Math.Max(0, f.Allocation - f.Passed)), all.Single().Counts["vacantAfterFinal"]);
        Assert.Equal(Math.Min(600, count), byInstansi.Count);
        Assert.Equal(Math.Min(2000, count), byPosition.Count);
        Assert.Equal(formations.Where(f => f.InstansiCode == "I007").Sum(f => f.Male.FinalPass), oneInstansi.Sum(g => g.Counts["maleFinalPass"]));

        foreach (var line in lines)
        {
            output.WriteLine(line);
        }

        var file = Path.Combine(RepositoryRoot(), "TestResults", "analytics-latency.txt");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await File.WriteAllLinesAsync(file, lines);
    }

    private static string Flat(IReadOnlyList<GroupTotals> groups) =>
        string.Join("\n", groups.Select(g => g.Key + ":" + string.Join(",", g.Counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key}={c.Value}"))));

    /// <summary>The rollups the projection would keep for these formations: their sums per dimension value.</summary>
    private static List<RoundRollup> Rollups(List<FormationAnalytics> formations)
    {
        var rollups = new Dictionary<string, RoundRollup>(StringComparer.Ordinal);
        foreach (var f in formations)
        {
            foreach (var (dimension, key) in new[] { (RoundRollup.All, ""), ("instansi", f.InstansiCode), ("category", f.Category.ToString()), ("position", f.Position), ("location", f.Location) })
            {
                var id = RoundRollup.IdFor(f.RoundId, dimension, key);
                if (!rollups.TryGetValue(id, out var r))
                {
                    rollups[id] = r = new RoundRollup { Id = id, RoundId = f.RoundId, Dimension = dimension, Key = key };
                }

                foreach (var p in typeof(FunnelCounts).GetProperties().Where(p => p.PropertyType == typeof(int)))
                {
                    p.SetValue(r, (int)p.GetValue(r)! + (int)p.GetValue(f)!);
                }

                foreach (var p in typeof(StageCounts).GetProperties())
                {
                    p.SetValue(r.Male, (int)p.GetValue(r.Male)! + (int)p.GetValue(f.Male)!);
                    p.SetValue(r.Female, (int)p.GetValue(r.Female)! + (int)p.GetValue(f.Female)!);
                }
            }
        }

        return [.. rollups.Values];
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Merit.sln")))
        {
            directory = directory.Parent;
        }

        return directory!.FullName;
    }
}
