using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Marten;
using Merit.Analytics;
using Merit.Projections.Analytics;
using Merit.Tests.Recruitment;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xunit;

namespace Merit.Tests.Analytics;

/// <summary>
/// The analytics endpoints over a generated round: totals equal an independent count of the round, funnel counts
/// never grow down the stages, groups add up to totals, small cells are suppressed, CSV says the same as JSON.
/// </summary>
[Collection(AnalyticsRoundGroup.Name)]
public class AnalyticsApiTests(AnalyticsRound round)
{
    private static readonly string[] Stages = ["registered", "ms", "skdThresholdMet", "admittedToSkb", "finalPass", "nipIssued"];
    private static readonly string[] Dimensions = ["instansi", "category", "position", "location", "all"];

    private readonly HttpClient client = round.CreateClient();

    private Task<JsonObject> GetAsync(string path) => client.GetFromJsonAsync<JsonObject>($"/analytics/rounds/{round.RoundId}/{path}")!;

    [Fact]
    public async Task The_funnel_total_equals_an_independent_count_of_the_generated_round()
    {
        var g = round.Generated;
        var total = (await GetAsync("funnel?by=all"))["total"]!;

        Assert.Equal(1500, (int)total["registered"]!);
        Assert.Equal(g.Applicants.Count(a => a.Ms) + round.AppealsAccepted.Count, (int)total["ms"]!);
        var category = g.Formations.ToDictionary(f => f.Code, f => f.Category, StringComparer.Ordinal);
        Assert.Equal(g.Applicants.Count(a => a.Skd is { } s && GeneratedRound.MeetsThreshold(category[a.Formation], s)), (int)total["skdThresholdMet"]!);
        Assert.Equal(g.Admitted().Count(), (int)total["admittedToSkb"]!);
        Assert.Equal(g.Applicants.Count(round.IsPasser), (int)total["finalPass"]!);
        Assert.Equal(round.Appointed.Count, (int)total["nipIssued"]!);

        // One withdrawal and one placement by optimisation: counts of one person, suppressed.
        Assert.NotNull(round.PlacedByOptimisation);
        Assert.Null(total["withdrawals"]);
        Assert.Null(total["placedElsewhere"]);
        Assert.Null(total["filledByOptimisation"]);
        Assert.Null(total["vacantNow"]);
        Assert.Equal(["filledByOptimisation", "placedElsewhere", "vacantNow", "vacatedByWithdrawal", "withdrawals"], total["suppressed"]!.AsArray().Select(n => (string)n!));
        Assert.Equal(g.Formations.Sum(f => f.Allocation), (int)total["allocation"]!);
        Assert.Equal(Math.Round((double)(int)total["ms"]! / 1500, 4), (double)total["msRate"]!);
    }

    [Fact]
    public async Task Every_formation_document_s_funnel_never_grows_down_the_stages_for_either_sex()
    {
        await using var session = round.Store.QuerySession();
        var formations = await session.Query<FormationAnalytics>().Where(f => f.RoundId == round.RoundId).ToListAsync();
        Assert.Equal(40, formations.Count);
        foreach (var f in formations)
        {
            foreach (var s in new[] { f.Male, f.Female })
            {
                int[] stages = [s.Registered, s.Ms, s.SkdThresholdMet, s.AdmittedToSkb, s.FinalPass, s.NipIssued];
                Assert.True(stages.Zip(stages.Skip(1)).All(p => p.First >= p.Second), $"{f.Code}: {string.Join(",", stages)}");
            }

            Assert.Equal(f.Passed, f.Male.FinalPass + f.Female.FinalPass);
            Assert.True(f.Passed <= f.Allocation && f.VacantNow >= 0, f.Code);
            Assert.Equal(0, f.Unattributed);
        }

        var generated = round.Generated;
        Assert.Equal(generated.Applicants.Count(a => a.Sex == "F"), formations.Sum(f => f.Female.Registered));
        Assert.Equal(generated.Applicants.Count(a => a.Sex == "M"), formations.Sum(f => f.Male.Registered));
    }

    [Fact]
    public async Task The_rollups_equal_the_sums_of_the_formations_for_every_dimension()
    {
        var queries = round.Services.GetRequiredService<AnalyticsQueries>();
        var none = AnalyticsEndpoints.Filter(null, null, null, null);
        foreach (var by in Enum.GetValues<Dimension>())
        {
            var rollups = await queries.RollupsAsync(round.RoundId, by, CancellationToken.None);
            var sums = await queries.SumFormationsAsync(round.RoundId, none, by, CancellationToken.None);
            Assert.Equal(sums.Select(g => g.Key), rollups.Select(g => g.Key));
            for (var i = 0; i < sums.Count; i++)
            {
                Assert.Equal(sums[i].Counts.OrderBy(c => c.Key, StringComparer.Ordinal), rollups[i].Counts.OrderBy(c => c.Key, StringComparer.Ordinal));
            }
        }
    }

    [Fact]
    public async Task Registrations_per_instansi_and_sex_equal_an_independent_count()
    {
        var g = round.Generated;
        var instansiOf = g.Formations.ToDictionary(f => f.Code, f => f.Instansi, StringComparer.Ordinal);
        var funnel = await GetAsync("funnel?by=instansi");
        foreach (var row in funnel["rows"]!.AsArray())
        {
            var expected = g.Applicants.Count(a => instansiOf[a.Formation] == (string)row!["key"]!);
            Assert.Equal(expected, (int)row!["registered"]!);
        }

        var bySex = await GetAsync("fairness?attribute=sex");
        var ms = bySex["stages"]!.AsArray().Single(s => (string)s!["stage"]! == "ms")!["groups"]!.AsArray();
        Assert.Equal(g.Applicants.Count(a => a.Sex == "F"), (int)ms.Single(x => (string)x!["group"]! == "F")!["entered"]!);
        Assert.Equal(g.Applicants.Count(a => a.Sex == "M"), (int)ms.Single(x => (string)x!["group"]! == "M")!["entered"]!);
    }

    [Fact]
    public async Task Funnel_counts_never_increase_down_the_stages_and_groups_add_up_to_the_total()
    {
        foreach (var by in Dimensions)
        {
            var funnel = await GetAsync($"funnel?by={by}");
            var rows = funnel["rows"]!.AsArray().Select(r => r!.AsObject()).Append(funnel["total"]!.AsObject()).ToList();
            foreach (var row in rows)
            {
                var shown = Stages.Select(s => (int?)row[s]).Where(v => v is not null).Select(v => v!.Value).ToList();
                Assert.True(shown.Zip(shown.Skip(1)).All(p => p.First >= p.Second), $"{by} {row["key"]}: {string.Join(",", shown)}");
            }

            var groups = funnel["rows"]!.AsArray();
            foreach (var stage in Stages)
            {
                var values = groups.Select(r => (int?)r![stage]).ToList();
                var total = (int)funnel["total"]![stage]!;
                if (values.All(v => v is not null))
                {
                    Assert.Equal(total, values.Sum(v => v!.Value));
                }
                else
                {
                    // A hidden count never stands alone in its column (complementary suppression).
                    Assert.True(values.Count(v => v is null) >= 2 || !values.Any(v => v is > 0), $"{by} {stage}");
                    Assert.True(values.Sum(v => v ?? 0) < total, $"{by} {stage}");
                }
            }
        }

        foreach (var attribute in new[] { "sex", "category", "location" })
        {
            var fairness = await GetAsync($"fairness?attribute={attribute}");
            var total = (await GetAsync("funnel?by=all"))["total"]!;
            foreach (var stage in fairness["stages"]!.AsArray().Where(s => (string)s!["stage"]! != "selection"))
            {
                var passed = stage!["groups"]!.AsArray().Select(x => (int?)x!["passed"]).ToList();
                if (passed.All(v => v is not null))
                {
                    Assert.Equal((int)total[(string)stage["stage"]!]!, passed.Sum(v => v!.Value));
                }
            }
        }
    }

    [Fact]
    public async Task Fairness_ratios_are_each_rate_over_the_highest_and_flag_under_four_fifths()
    {
        foreach (var attribute in new[] { "sex", "category", "location" })
        {
            var fairness = await GetAsync($"fairness?attribute={attribute}");
            Assert.Equal(0.8, (double)fairness["threshold"]!);
            foreach (var stage in fairness["stages"]!.AsArray())
            {
                var groups = stage!["groups"]!.AsArray().Select(x => x!.AsObject()).Where(x => x["rate"] is not null).ToList();
                if (groups.Count == 0 || groups.Max(x => (double)x["rate"]!) == 0)
                {
                    continue;
                }

                var best = groups.Max(x => (double)x["rate"]!);
                Assert.Equal(best, groups.Single(x => (string)x["group"]! == (string)stage["highestGroup"]!)["rate"]!.GetValue<double>());
                foreach (var group in groups)
                {
                    var ratio = (double)group["ratioToHighest"]!;
                    Assert.Equal(Math.Round((double)group["rate"]! / best, 4), ratio, 3);
                    Assert.Equal(ratio < 0.8, (bool)group["belowFourFifths"]!);
                }

                Assert.Equal((double)(int)groups[0]["passed"]! / (int)groups[0]["entered"]!, (double)groups[0]["rate"]!, 3);
            }
        }
    }

    [Fact]
    public async Task Counts_of_people_under_five_are_null_and_flagged_everywhere_and_rates_from_them_too()
    {
        var checkedCells = 0;
        foreach (var path in new[] { "funnel?by=position", "funnel?by=location", "funnel?by=instansi", "tie-breaks?by=location", "cut-offs?limit=1000" })
        {
            var rows = (await GetAsync(path))["rows"]!.AsArray().Select(r => r!.AsObject());
            foreach (var row in rows)
            {
                var suppressed = row["suppressed"]!.AsArray().Select(n => (string)n!).ToHashSet(StringComparer.Ordinal);
                foreach (var name in suppressed)
                {
                    Assert.Null(row[name]);
                }

                foreach (var (name, value) in row.Where(p => p.Value is JsonValue v && v.TryGetValue<int>(out _)))
                {
                    if (name.EndsWith("Rate", StringComparison.Ordinal) || name is "formations" or "allocation" or "quota" or "cutOffsDecided" or "finalsDecided" or "cutOffTotal" or "vacantAfterFinal" or "vacantNow")
                    {
                        continue;
                    }

                    var count = (int)value!;
                    Assert.True(count == 0 || count >= 5, $"{path} {row["key"] ?? row["formationCode"]}: {name} = {count}");
                    checkedCells++;
                }

                if (suppressed.Contains("registered"))
                {
                    Assert.Null(row["msRate"]);
                    Assert.Contains("msRate", suppressed);
                }
            }
        }

        Assert.True(checkedCells > 100);
    }

    [Fact]
    public async Task The_minimum_cell_size_comes_from_configuration_and_changes_what_is_hidden()
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration["Merit:Analytics:MinimumCellSize"] = "7";
        builder.AddAnalytics();
        await using (var provider = builder.Services.BuildServiceProvider())
        {
            Assert.Equal(7, provider.GetRequiredService<IOptions<AnalyticsOptions>>().Value.MinimumCellSize);
        }

        Assert.Equal(5, round.Services.GetRequiredService<IOptions<AnalyticsOptions>>().Value.MinimumCellSize);
        var strict = new AnalyticsReports(
            round.Services.GetRequiredService<AnalyticsQueries>(),
            round.Services.GetRequiredService<FreshnessReader>(),
            Options.Create(new AnalyticsOptions { MinimumCellSize = 2000 }));
        var context = (await strict.ContextAsync(round.RoundId, AnalyticsEndpoints.Filter(null, null, null, null), CancellationToken.None))!;
        var funnel = await strict.FunnelAsync(context, Dimension.All, CancellationToken.None);
        Assert.Null(funnel.Total.Registered);
        Assert.Null(funnel.Total.MsRate);
        Assert.Contains("registered", funnel.Total.Suppressed);
        Assert.Equal(2000, funnel.Context.MinimumCellSize);
    }

    [Fact]
    public async Task Time_to_decision_has_medians_and_90th_percentiles_per_instansi_from_the_window_opening()
    {
        var table = await GetAsync("time-to-decision");
        var all = table["allInstansi"]!.AsArray().Select(r => r!.AsObject()).ToDictionary(r => (string)r["stage"]!);
        Assert.Equal(1500, (int)all["administrativeVerification"]["decisions"]!);

        // The first instansi verified 3 hours after the window opened, each next one 3 hours later: 17 instansi.
        var verification = table["rows"]!.AsArray().Select(r => r!.AsObject()).Where(r => (string)r["stage"]! == "administrativeVerification").ToList();
        Assert.Equal(17, verification.Count);
        Assert.Equal(3.0, (double)verification[0]["medianHours"]!, 1);
        Assert.Equal(51.0, (double)verification[^1]["p90Hours"]!, 1);
        Assert.True((double)all["administrativeVerification"]["p90Hours"]! >= (double)all["administrativeVerification"]["medianHours"]!);

        // Appeals from filing to answer: 20, 24 and 28 hours; three decisions are under five, so they are hidden.
        Assert.Null(all["administrativeAppeal"]["decisions"]);
        Assert.Equal("formation", (string)all["skdCutOff"]["subject"]!);
        Assert.Equal(40, (int)all["skdCutOff"]["decisions"]!);
        Assert.Equal(7.0, (double)all["skdCutOff"]["medianHours"]!, 1);
    }

    [Fact]
    public async Task SKD_histograms_add_up_to_the_results_of_each_category()
    {
        var table = await GetAsync("skd-distribution");
        var categories = table["categories"]!.AsArray();
        var g = round.Generated;
        var category = g.Formations.ToDictionary(f => f.Code, f => f.Category, StringComparer.Ordinal);
        Assert.Equal(g.Applicants.Where(a => a.Skd is not null).Select(a => category[a.Formation]).Distinct().Count(), categories.Count);
        var umum = categories.Single(c => (string)c!["category"]! == "umum")!;
        Assert.Equal(g.Applicants.Count(a => a.Skd is not null && category[a.Formation] == "umum"), (int)umum["results"]!);
        foreach (var score in umum["scores"]!.AsArray())
        {
            var bins = score!["bins"]!.AsArray().Select(b => (int?)b!["count"]).ToList();
            Assert.True(bins.Sum(b => b ?? 0) <= (int)umum["results"]!);
            Assert.True(bins.Count(b => b is null) != 1);
        }
    }

    [Fact]
    public async Task Cut_offs_list_each_decided_formation_with_the_score_reached()
    {
        var table = await GetAsync("cut-offs?limit=10&offset=5");
        Assert.Equal(40, (int)table["totalFormations"]!);
        var rows = table["rows"]!.AsArray();
        Assert.Equal(10, rows.Count);
        Assert.Equal("F0005", (string)rows[0]!["formationCode"]!);
        var g = round.Generated;
        foreach (var row in rows)
        {
            var code = (string)row!["formationCode"]!;
            var admitted = g.Applicants.Where(a => a.Formation == code && g.Admitted().Contains(a.RegistrationNumber)).ToList();
            var sat = g.Applicants.Count(a => a.Formation == code && a.Skd is not null);
            if (sat >= 5 && admitted.Count > 0)
            {
                Assert.Equal(admitted.Min(a => a.Total), (int)row["cutOffTotal"]!);
            }
            else
            {
                Assert.Null(row["cutOffTotal"]);
            }
        }

        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync($"/analytics/rounds/{round.RoundId}/cut-offs?limit=5000")).StatusCode);
    }

    [Fact]
    public async Task Filters_narrow_every_table_and_bad_filters_are_refused()
    {
        var g = round.Generated;
        var instansi = g.Formations[0].Instansi;
        var codes = g.Formations.Where(f => f.Instansi == instansi).Select(f => f.Code).ToHashSet(StringComparer.Ordinal);
        var funnel = await GetAsync($"funnel?by=category&instansi={instansi}");
        Assert.Equal(g.Applicants.Count(a => codes.Contains(a.Formation)), (int)funnel["total"]!["registered"]!);
        Assert.Equal(instansi, (string)funnel["context"]!["filter"]!["instansi"]!);

        var disabilitas = await GetAsync("funnel?by=all&category=disabilitas");
        Assert.Equal(g.Formations.Count(f => f.Category == "disabilitas"), (int)disabilitas["total"]!["formations"]!);

        var location = g.Formations[3].Location;
        var atLocation = await GetAsync($"funnel?by=all&location={Uri.EscapeDataString(location)}");
        Assert.Equal(g.Formations.Count(f => f.Location == location), (int)atLocation["total"]!["formations"]!);

        var times = await GetAsync($"time-to-decision?instansi={instansi}");
        Assert.All(times["rows"]!.AsArray(), r => Assert.Equal(instansi, (string)r!["instansi"]!));

        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync($"/analytics/rounds/{round.RoundId}/funnel?by=nik")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync($"/analytics/rounds/{round.RoundId}/funnel?category=khusus")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync($"/analytics/rounds/{round.RoundId}/fairness?attribute=age")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/analytics/rounds/{Guid.NewGuid()}/funnel")).StatusCode);
    }

    [Fact]
    public async Task Each_table_exports_as_csv_with_the_same_numbers_and_the_lag_in_headers()
    {
        // The collection shares the round: another class may have just appended (the dashboard test records a what-if).
        await round.WaitForProjectionsAsync();
        var json = await GetAsync("funnel?by=instansi");
        var response = await client.GetAsync($"/analytics/rounds/{round.RoundId}/funnel.csv?by=instansi");
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("0", response.Headers.GetValues("X-Merit-Analytics-Events-Behind").Single());
        var lines = (await response.Content.ReadAsStringAsync()).TrimEnd('\n').Split('\n');
        Assert.StartsWith("row,instansi,formations,allocation,registered,ms,", lines[0], StringComparison.Ordinal);
        var total = lines[^1].Split(',');
        Assert.Equal("total", total[0]);
        Assert.Equal((string)json["total"]!["registered"]!.ToString(), total[4]);
        Assert.Equal(json["rows"]!.AsArray().Count + 2, lines.Length);

        foreach (var table in new[] { "fairness", "time-to-decision", "skd-distribution", "cut-offs", "tie-breaks" })
        {
            var csv = await client.GetAsync($"/analytics/rounds/{round.RoundId}/{table}.csv");
            Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
            Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
            Assert.True((await csv.Content.ReadAsStringAsync()).Split('\n').Length > 2, table);
        }
    }

    [Fact]
    public async Task Each_answer_says_how_far_behind_the_newest_event_it_is()
    {
        await round.WaitForProjectionsAsync();
        var freshness = (await GetAsync("funnel"))["context"]!["freshness"]!;
        Assert.Equal(0, (long)freshness["eventsBehind"]!);
        Assert.Equal((long)freshness["newestEventSequence"]!, (long)freshness["projectedThroughSequence"]!);
        Assert.Equal(4, freshness["projections"]!.AsArray().Count);
        Assert.True((long)freshness["newestEventSequence"]! > 4_000);
        Assert.Equal(0.0, (double)freshness["secondsBehind"]!);
    }
}
