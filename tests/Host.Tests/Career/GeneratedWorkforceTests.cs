using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Marten;
using Merit.Career;
using Merit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit;
using Xunit.Abstractions;

namespace Merit.Tests.Career;

/// <summary>
/// A generated workforce of 50,000 civil servants imported through the product's own bulk path (CSV over HTTP),
/// and promotion periods on both sides of 20 May 2025 and 1 Oct 2025 computed against PostgreSQL, checked against
/// an independent computation of the regulation.
/// </summary>
[RunsLong]
public partial class GeneratedWorkforceTests(MeritApp app, ITestOutputHelper output) : IClassFixture<MeritApp>
{
    private const int Servants = 50_000;

    private readonly CareerApi api = new(app.CreateClient());

    [Fact]
    public async Task A_workforce_of_50000_imports_once_and_each_promotion_period_lists_exactly_the_independently_computed_eligible()
    {
        var workforce = new GeneratedWorkforce(Servants, seed: 2025);
        var csv = workforce.Csv();
        var clock = Stopwatch.StartNew();
        var report = await api.ImportWorkforceAsync(csv);
        output.WriteLine($"import of {Servants} rows: {clock.Elapsed.TotalSeconds:F1} s");
        Assert.Equal((Servants, Servants), ((int)report["rows"]!, (int)report["appended"]!));

        // Idempotent: the same file again appends nothing.
        clock.Restart();
        var again = await api.ImportWorkforceAsync(csv);
        output.WriteLine($"re-import: {clock.Elapsed.TotalSeconds:F1} s");
        Assert.Equal((0, Servants), ((int)again["appended"]!, (int)again["unchanged"]!));

        var ids = app.Services.GetRequiredService<CivilServantIds>();
        var byId = workforce.Rows.ToDictionary(r => ids.For(r.Nip));
        var periods = new[] { ("2025-04-01", "KP-2002"), ("2025-11-01", "KP-2025-10") };
        var eligibleCounts = new List<int>();
        foreach (var (tmt, regime) in periods)
        {
            clock.Restart();
            var period = await api.GetAsync($"/promotion-periods/{tmt}");
            output.WriteLine($"period {tmt}: {clock.Elapsed.TotalSeconds:F1} s, {(int)period["eligibleCount"]!} eligible under {(string)period["ruleSetVersion"]!}");
            Assert.Equal((Servants, regime), ((int)period["assessed"]!, (string)period["ruleSetVersion"]!));

            var expected = workforce.Eligible(DateOnly.ParseExact(tmt, "yyyy-MM-dd", CultureInfo.InvariantCulture))
                .Select(r => $"{ids.For(r.Nip)} {r.Rank}").Order(StringComparer.Ordinal).ToList();
            var actual = period["eligible"]!.AsArray()
                .Select(e => (Id: (Guid)e!["servantId"]!, From: (string)e["from"]!))
                .Select(e => $"{e.Id} {e.From}").Order(StringComparer.Ordinal).ToList();
            var missing = expected.Except(actual).Take(5).Select(e => byId[Guid.Parse(e[..36])]);
            var extra = actual.Except(expected).Take(5).Select(e => byId[Guid.Parse(e[..36])]);
            Assert.True(expected.SequenceEqual(actual), $"{tmt}: {expected.Count} expected, {actual.Count} listed; missing e.g. {string.Join(" | ", missing)}; extra e.g. {string.Join(" | ", extra)}");
            eligibleCounts.Add(actual.Count);

            // The superior's-rank rule excludes some civil servants in April 2025 and nobody after 20 May 2025.
            var superior = period["notMetByCondition"]!["superior-rank"];
            Assert.True(regime == "KP-2002" ? (int)superior! > 0 : superior is null);
        }

        Assert.All(eligibleCounts, c => Assert.InRange(c, Servants / 20, Servants / 2));

        // One instansi's period is that instansi's share of the whole.
        var instansi = workforce.Rows[0].Instansi;
        var one = await api.GetAsync($"/promotion-periods/2025-11-01?instansiCode={instansi}");
        Assert.Equal(workforce.Rows.Count(r => r.Instansi == instansi), (int)one["assessed"]!);
        Assert.Equal(workforce.Eligible(new DateOnly(2025, 11, 1)).Count(r => r.Instansi == instansi), (int)one["eligibleCount"]!);

        // No NIP, which embeds a birth date, reaches the event table: every 18-digit run in every event's text is
        // looked up among all the workforce's NIPs (one streamed scan, not a LIKE per NIP).
        var nips = workforce.Rows.Select(r => r.Nip).ToHashSet(StringComparer.Ordinal);
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select data::text from merit.mt_events", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var (scanned, found) = (0, new List<string>());
        while (await reader.ReadAsync())
        {
            scanned++;
            found.AddRange(EighteenDigits().Matches(reader.GetString(0)).Select(m => m.Value).Where(nips.Contains));
        }

        Assert.True(scanned >= Servants, $"{scanned} events scanned");
        Assert.Empty(found);
        await using var session = app.Store.QuerySession();
        Assert.Equal(Servants, await session.Events.QueryRawEventDataOnly<WorkforceRecordImported>().CountAsync());
    }

    [GeneratedRegex(@"(?<![0-9])[0-9]{18}(?![0-9])")]
    private static partial Regex EighteenDigits();
}
