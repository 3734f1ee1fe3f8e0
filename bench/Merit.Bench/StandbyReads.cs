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
/// primary and once on its streaming standby (docs/adr/0054), in the same run, with the standby's lag meanwhile.
/// </summary>
public sealed partial class BenchRun
{
    /// <summary>The standby of <c>server</c> (a server-level connection string), for item 9; without it item 9 is not run.</summary>
    public string? Standby { get; init; }

    /// <summary>Analysts running reports back to back, each on a connection pool of the Host's report services.</summary>
    private const int Analysts = 2;

    private const int LoadClients = 16;

    /// <summary>Each server's turns: primary, standby, primary, standby.</summary>
    private const int Passes = 2;

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
        var applicants = warmUp + (2 * Passes * perVariant);
        var (round, ids) = await CommandRoundAsync(imports, admin, $"CPNS-2024-STANDBY-{scale.Name}".ToUpperInvariant(), applicants, applicants, ct);
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
            // The two servers in turn, twice: drift in what else runs on the shared cores falls on both alike.
            var runs = new List<StandbyRun>();
            var next = warmUp;
            for (var pass = 0; pass < Passes; pass++)
            {
                foreach (var (where, reads) in new[] { ("primary", onPrimary), ("standby", onStandby) })
                {
                    runs.Add(await UnderReportsAsync(host, phases, where, reads, analysedRound, clients, ids.Skip(next).Take(perVariant).ToList(), Skd, ct));
                    next += perVariant;
                }
            }

            var p = StandbyRun.Mean(runs.Where(r => r.Where == "primary").ToList());
            var s = StandbyRun.Mean(runs.Where(r => r.Where == "standby").ToList());
            var at = $"{LoadClients} clients, mean of {Passes} passes";
            table.Add("9", $"SKD result, {at}, reports on the standby: throughput ({s.Errors} errors)", s.Throughput, "req/s", p.Throughput, "reports on the primary");
            table.Add("9", $"SKD result, {at}, reports on the primary: throughput ({p.Errors} errors)", p.Throughput, "req/s");
            table.Add("9", $"SKD result, {at}, reports on the standby: p99", s.P99, "ms", p.P99, "reports on the primary");
            table.Add("9", $"reports alone, {Analysts} analysts, on the standby", s.Alone, "reports/s", p.Alone, "on the primary");
            table.Add("9", $"reports alone, {Analysts} analysts, on the primary", p.Alone, "reports/s");
            table.Add("9", $"reports beside the commands, {Analysts} analysts, on the standby ({s.ReportErrors} errors)", s.Reports, "reports/s", p.Reports, "on the primary");
            table.Add("9", $"reports beside the commands, {Analysts} analysts, on the primary ({p.ReportErrors} errors)", p.Reports, "reports/s");
            table.Add("9", "standby replay lag while the reports ran on it: max", s.LagMilliseconds, "ms", p.LagMilliseconds, "reports on the primary");
            table.Add("9", "standby WAL not yet replayed while the reports ran on it: max", s.LagBytes / 1024.0, "kB", p.LagBytes / 1024.0, "reports on the primary");
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }

    /// <summary>The standby's lag as the primary sees it (pg_stat_replication), sampled every 50 ms: the largest of each.</summary>
    private sealed record Lag(double MaxMilliseconds, long MaxBytes);

    /// <summary>One pass on one server: the commands' level, the reports alone and beside them, the standby's lag.</summary>
    private sealed record StandbyRun(string Where, double Throughput, double P99, int Errors, double Alone, double Reports, int ReportErrors, double LagMilliseconds, long LagBytes)
    {
        /// <summary>The passes of one server: rates and p99 averaged, errors summed, the largest lag.</summary>
        public static StandbyRun Mean(List<StandbyRun> runs) => new(
            runs[0].Where, runs.Average(r => r.Throughput), runs.Average(r => r.P99), runs.Sum(r => r.Errors), runs.Average(r => r.Alone),
            runs.Average(r => r.Reports), runs.Sum(r => r.ReportErrors), runs.Max(r => r.LagMilliseconds), runs.Max(r => r.LagBytes));
    }

    /// <summary>One level of SKD results while the analysts run reports through <paramref name="reads"/>, and the standby's lag meanwhile.</summary>
    private async Task<StandbyRun> UnderReportsAsync(
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
        return new StandbyRun(where, commands.Throughput, commands.P99, commands.Errors, aloneRate, reportRate, errors, lag.MaxMilliseconds, lag.MaxBytes);
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
