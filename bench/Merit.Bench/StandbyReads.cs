using System.Diagnostics;
using Merit.Analytics;
using Merit.Infrastructure;
using Merit.Recruitment.Files;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Merit.Bench;

/// <summary>
/// Item 9: single commands at 16 clients while analysts run reports on the full round, the reports read once on the
/// primary and once on its streaming standby (docs/adr/0053), in the same run, with the standby's lag meanwhile.
/// </summary>
public sealed partial class BenchRun
{
    /// <summary>The standby of <c>server</c> (a server-level connection string), for item 9; without it item 9 is not run.</summary>
    public string? Standby { get; init; }

    /// <summary>Analysts running reports back to back, each on a connection pool of the Host's report services.</summary>
    private const int Analysts = 2;

    private const int LoadClients = 16;

    /// <summary>How long the reports run alone, counted, before the commands start beside them.</summary>
    private static readonly TimeSpan ReportsAlone = TimeSpan.FromSeconds(3);

    private async Task StandbyPhaseAsync(BenchHost host, HttpClient admin, Phases phases, ResultTable table, Guid analysedRound, CancellationToken ct)
    {
        if (Standby is null)
        {
            return;
        }

        var standby = new NpgsqlConnectionStringBuilder(Standby) { Database = new NpgsqlConnectionStringBuilder(host.ConnectionString).Database, MaxPoolSize = 20 }.ConnectionString;
        var imports = host.Services.GetRequiredService<RecruitmentImports>();
        var perVariant = scale.RequestsPerLevel;
        var warmUp = Math.Min(scale.MaxWarmUp, WarmUpRound);
        var (round, ids) = await CommandRoundAsync(imports, admin, $"CPNS-2024-STANDBY-{scale.Name}".ToUpperInvariant(), warmUp + (2 * perVariant), warmUp + (2 * perVariant), ct);
        await AdvanceAsync(admin, round, ct, "Skd");
        var scores = new Random(Seed + 9);
        (string, object) Skd(Guid id) => ($"/applications/{id}/skd-result", new { twk = 5 * scores.Next(6, 31), tiu = 5 * scores.Next(8, 36), tkp = scores.Next(110, 226) });

        var clients = Enumerable.Range(0, LoadClients).Select(i => host.ClientAs($"bench-standby-{i}", Security.Roles.Committee)).ToList();
        await using var onPrimary = new ReadReplica(host.Store, null);
        await using var onStandby = new ReadReplica(host.Store, standby);
        try
        {
            await WarmUpAsync("SKD result beside reports", clients, ids.Take(warmUp).ToList(), Skd, ct);

            // The reports' own code and both pools warmed too, so the variant timed first does not pay for them.
            foreach (var reads in new[] { onPrimary, onStandby })
            {
                var reports = Reports(host, reads);
                for (var i = 0; i < 3 * Analysts; i++)
                {
                    await ReportsAsync(reports, analysedRound, i, ct);
                }
            }

            await JitIdleAsync(ct);
            await host.WaitForProjectionsAsync(TimeSpan.FromMinutes(10));
            var variants = new List<(string Where, Level Commands, double Alone, double Reports, int ReportErrors, Lag Lag)>();
            foreach (var (where, reads, batch) in new[] { ("primary", onPrimary, ids.Skip(warmUp).Take(perVariant)), ("standby", onStandby, ids.Skip(warmUp + perVariant)) })
            {
                variants.Add(await UnderReportsAsync(host, phases, where, reads, analysedRound, clients, batch.ToList(), Skd, ct));
            }

            var (_, primaryCommands, primaryAlone, primaryReports, primaryErrors, primaryLag) = variants[0];
            var (_, standbyCommands, standbyAlone, standbyReports, standbyErrors, standbyLag) = variants[1];
            var at = $"{LoadClients} clients";
            table.Add("9", $"SKD result, {at}, reports on the standby: throughput ({standbyCommands.Errors} errors)", standbyCommands.Throughput, "req/s", primaryCommands.Throughput, "reports on the primary");
            table.Add("9", $"SKD result, {at}, reports on the primary: throughput ({primaryCommands.Errors} errors)", primaryCommands.Throughput, "req/s");
            table.Add("9", $"SKD result, {at}, reports on the standby: p99", standbyCommands.P99, "ms", primaryCommands.P99, "reports on the primary");
            table.Add("9", $"reports alone, {Analysts} analysts, on the standby", standbyAlone, "reports/s", primaryAlone, "on the primary");
            table.Add("9", $"reports alone, {Analysts} analysts, on the primary", primaryAlone, "reports/s");
            table.Add("9", $"reports beside the commands, {Analysts} analysts, on the standby ({standbyErrors} errors)", standbyReports, "reports/s", primaryReports, "on the primary");
            table.Add("9", $"reports beside the commands, {Analysts} analysts, on the primary ({primaryErrors} errors)", primaryReports, "reports/s");
            table.Add("9", "standby replay lag while the reports ran on it: max", standbyLag.MaxMilliseconds, "ms", primaryLag.MaxMilliseconds, "reports on the primary");
            table.Add("9", "standby WAL not yet replayed while the reports ran on it: max", standbyLag.MaxBytes / 1024.0, "kB", primaryLag.MaxBytes / 1024.0, "reports on the primary");
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }

    /// <summary>The standby's lag as the primary sees it (pg_stat_replication), sampled every 50 ms: the largest of each.</summary>
    private sealed record Lag(double MaxMilliseconds, long MaxBytes);

    /// <summary>One level of SKD results while the analysts run reports through <paramref name="reads"/>, and the standby's lag meanwhile.</summary>
    private async Task<(string Where, Level Commands, double Alone, double Reports, int ReportErrors, Lag Lag)> UnderReportsAsync(
        BenchHost host, Phases phases, string where, ReadReplica reads, Guid analysedRound, List<HttpClient> clients, List<Guid> batch, Func<Guid, (string Path, object Body)> request, CancellationToken ct)
    {
        var reports = Reports(host, reads);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var answered = 0;
        var errors = 0;
        var load = Enumerable.Range(0, Analysts).Select(a => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await ReportsAsync(reports, analysedRound, a, stop.Token);
                    Interlocked.Increment(ref answered);
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                }
                catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
                {
                    Interlocked.Increment(ref errors);
                    log.WriteLine($"  a report on the {where} failed: {e.Message}");
                }
            }
        })).ToList();
        var sampling = SampleLagAsync(host.ConnectionString, stop.Token);

        await Task.Delay(TimeSpan.FromSeconds(1), ct); // the reports under way before anything is counted
        var alone = answered;
        await Task.Delay(ReportsAlone, ct);
        var aloneRate = (answered - alone) / ReportsAlone.TotalSeconds;
        var watch = Stopwatch.StartNew();
        var answeredBefore = answered;
        var commands = (await LevelsAsync(phases, $"SKD result, reports on the {where}", clients, batch, [LoadClients], request, ct))[0];
        var reportRate = (answered - answeredBefore) / watch.Elapsed.TotalSeconds;
        await stop.CancelAsync();
        await Task.WhenAll(load);
        var lag = await sampling;
        log.WriteLine($"  reports on the {where}: {aloneRate:F1} reports/s alone; {commands.Throughput:F0} SKD results/s at {LoadClients} clients beside {reportRate:F1} reports/s; standby lag at most {lag.MaxMilliseconds:F1} ms, {lag.MaxBytes:N0} bytes");
        return (where, commands, aloneRate, reportRate, errors, lag);
    }

    /// <summary>The Host's report services, reading through <paramref name="reads"/>.</summary>
    private static AnalyticsReports Reports(BenchHost host, ReadReplica reads) =>
        new(new AnalyticsQueries(reads), new FreshnessReader(host.Store, reads), host.Services.GetRequiredService<IOptions<AnalyticsOptions>>());

    /// <summary>What an analyst reads of the round, in turn: the funnel by instansi and for one category (summed over the formations), the fairness table, every cut-off.</summary>
    private static async Task ReportsAsync(AnalyticsReports reports, Guid round, int analyst, CancellationToken ct)
    {
        var all = AnalyticsEndpoints.Filter(null, null, null, null);
        var context = await reports.ContextAsync(round, analyst % 2 == 0 ? all : AnalyticsEndpoints.Filter(null, "umum", null, null), ct)
            ?? throw new InvalidOperationException($"no analytics for round {round}");
        _ = await reports.FunnelAsync(context, Dimension.Instansi, ct);
        _ = await reports.FairnessAsync(context, "sex", ct);
        _ = AnalyticsCsv.CutOffs(await reports.CutOffsAsync(context with { Filter = all }, 0, int.MaxValue, ct));
    }

    private static async Task<Lag> SampleLagAsync(string primary, CancellationToken stop)
    {
        double maxMs = 0;
        long maxBytes = 0;
        await using var connection = new NpgsqlConnection(primary);
        await connection.OpenAsync(CancellationToken.None);
        await using var command = new NpgsqlCommand(
            "select coalesce(max(extract(epoch from replay_lag) * 1000), 0)::float8, coalesce(max(pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)), 0)::int8 from pg_stat_replication",
            connection);
        while (!stop.IsCancellationRequested)
        {
            await using (var reader = await command.ExecuteReaderAsync(CancellationToken.None))
            {
                await reader.ReadAsync(CancellationToken.None);
                maxMs = Math.Max(maxMs, reader.GetDouble(0));
                maxBytes = Math.Max(maxBytes, reader.GetInt64(1));
            }

            try
            {
                await Task.Delay(50, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return new Lag(maxMs, maxBytes);
    }
}
