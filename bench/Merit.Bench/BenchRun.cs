using System.Diagnostics;
using System.Net.Http.Json;
using System.Runtime;
using System.Text;
using JasperFx.Events.Daemon;
using Marten;
using Merit.Audit;
using Merit.Recruitment;
using Merit.Recruitment.Files;
using Merit.Security;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Merit.Bench;

/// <summary>
/// One benchmark run (docs/adr/0015): a fresh database, the Host in process, a generated round through the product's own
/// paths — the services behind the import, decision and export endpoints, HTTP for single commands and analytics —
/// and the baselines on the same rows, into one <see cref="ResultTable"/>.
/// </summary>
public sealed partial class BenchRun(Scale scale, string server, TextWriter log)
{
    private readonly ProgressLog progress = new(log);

    /// <summary>Stops after the applicant import: for profiling the import path alone.</summary>
    public bool ImportOnly { get; init; }

    /// <summary>
    /// Pauses the async daemon for the applicant import, then times its catch-up: separates the import path's own
    /// cost from the read models' (docs/performance.md).
    /// </summary>
    public bool PauseDaemon { get; init; }

    /// <summary>Stops after the whole round (imports, decisions, exports): no baselines, HTTP, analytics, rebuild or audit.</summary>
    public bool RoundOnly { get; init; }

    /// <summary>With <see cref="RoundOnly"/>: the projection rebuilds (item 3) after the round, against the sequential read.</summary>
    public bool RebuildAfterRound { get; init; }

    /// <summary>
    /// With <see cref="RoundOnly"/>: the whole store sealed, then the audit verification (item 4) and the time to
    /// produce each kind of proof, on the round just recorded — the verifier's figures at the round's own size.
    /// </summary>
    public bool AuditAfterRound { get; init; }

    /// <summary>The projections item 3 rebuilds, instead of the scale's (every one, or the heaviest).</summary>
    public IReadOnlyList<string>? Rebuilt { get; init; }

    /// <summary>Only the single commands over HTTP (item 5), on their round of their own: for profiling the command path.</summary>
    public bool HttpOnly { get; init; }

    /// <summary>Leaves the run's database in place for EXPLAIN and pg_stat_statements afterwards; its name is logged.</summary>
    public bool KeepDatabase { get; init; }

    /// <summary>
    /// A database a run with <see cref="KeepDatabase"/> left: its round is not recorded again, only what follows it
    /// (<see cref="RebuildAfterRound"/> with the what-if, <see cref="WhatIfAfterRound"/>, <see cref="AuditAfterRound"/>),
    /// and the database is kept. A national round takes hours to record and seconds to name. The Host runs without its
    /// async daemon: the round's read models catching up beside would be measured too.
    /// </summary>
    public string? RecordedDatabase { get; init; }

    /// <summary>With <see cref="RoundOnly"/> or <see cref="RecordedDatabase"/>: the what-if of item 8 alone, without the rebuild set beside it.</summary>
    public bool WhatIfAfterRound { get; init; }

    private const string Actor = "bench-import";
    private const int Seed = 2024;

    public async Task<ResultTable> RunAsync(CancellationToken ct)
    {
        var database = RecordedDatabase ?? "merit_bench_" + Guid.NewGuid().ToString("N")[..12];
        var connectionString = new NpgsqlConnectionStringBuilder(server) { Database = database, MaxPoolSize = 100 }.ConnectionString;
        if (RecordedDatabase is null)
        {
            await ExecuteAsync(server, $"create database \"{database}\"", ct);
        }

        try
        {
            await using var phases = new Phases(log);
            var table = new ResultTable();
            BenchHost? host = null;
            await phases.RunAsync("host start", async () => host = await BenchHost.StartAsync(connectionString, ct, daemon: RecordedDatabase is null));
            await using (host!)
            {
                if (HttpOnly)
                {
                    using var admin = host!.ClientAs("bench-committee", Roles.Committee, Roles.Admin, Roles.Auditor);
                    await LatencyAsync(host, admin, phases, table, ct);
                }
                else if (RecordedDatabase is not null)
                {
                    await AfterRoundAsync(host!, new Baselines(connectionString), phases, table, ct);
                }
                else
                {
                    await RunRoundAsync(host!, new Baselines(connectionString), phases, table, ct);
                }
            }

            foreach (var (phase, peak) in phases.Peaks.Where(p => p.Key != "start"))
            {
                table.Add("7", $"peak working set: {phase}", peak.WorkingSet / 1048576.0, "MB");
            }

            return table;
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            if (KeepDatabase || RecordedDatabase is not null)
            {
                log.WriteLine($"database kept: {database}");
            }
            else
            {
                await ExecuteAsync(server, $"drop database if exists \"{database}\" with (force)", ct);
            }
        }
    }

    private async Task RunRoundAsync(BenchHost host, Baselines baselines, Phases phases, ResultTable table, CancellationToken ct)
    {
        var imports = host.Services.GetRequiredService<RecruitmentImports>();
        var decisions = host.Services.GetRequiredService<RoundWideDecisions>();
        var exports = host.Services.GetRequiredService<RecruitmentExports>();
        using var admin = host.ClientAs("bench-committee", Roles.Committee, Roles.Admin, Roles.Auditor);
        var code = $"CPNS-2024-BENCH-{scale.Name}".ToUpperInvariant();

        RoundFiles files = null!;
        await phases.RunAsync("generate", () => Task.Run(() => files = new RoundFiles("24", scale.Formations, scale.Applicants, Seed), ct));
        using var generated = files;
        log.WriteLine($"round {code}: {scale.Formations:N0} formations, {scale.Applicants:N0} applicants, {files.Ms:N0} MS, {files.SkdRows:N0} SKD results, {files.SkdAbsent:N0} absent");

        var round = await OpenRoundAsync(admin, code, ct);
        var whole = TimeSpan.Zero;
        whole += await phases.RunAsync("import", () => ImportAsync(imports.FormationsAsync, code, files.FormationsPath, ct));
        await AdvanceAsync(admin, round, ct, "Registration");

        var coordinator = host.Services.GetRequiredService<JasperFx.Events.Daemon.IProjectionCoordinator>();
        var applicantsLabel = PauseDaemon ? "import applicants (one event per new stream; async daemon paused)" : "import applicants (one event per new stream)";
        if (PauseDaemon)
        {
            await host.WaitForProjectionsAsync(TimeSpan.FromHours(1));
            await coordinator.PauseAsync();
        }

        var beforeApplicants = await baselines.MaxSequenceAsync(ct);
        var applicantEvents = 0;
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var applicants = await phases.RunAsync("import", async () => applicantEvents = await ImportAsync(imports.ApplicantsAsync, code, files.ApplicantsPath, ct));
        var applicantCpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        if (PauseDaemon)
        {
            cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            await coordinator.ResumeAsync();
            var caught = await phases.RunAsync("async projections catch-up", () => host.WaitForProjectionsAsync(TimeSpan.FromHours(2)));
            var caughtCpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
            table.Add("1", "import applicants, async daemon paused: then its catch-up", applicantEvents / caught.TotalSeconds, "events/s");
            table.Add("1", "import applicants, async daemon paused: catch-up process CPU per event", caughtCpu.TotalMilliseconds / applicantEvents, "ms");
        }

        whole += applicants;
        var afterApplicants = await baselines.MaxSequenceAsync(ct);
        List<(string Table, string Path, long Rows)> written = [];
        if (!RoundOnly && !ImportOnly)
        {
            await phases.RunAsync("baselines", async () => written = await WrittenRowsAsync(host, baselines, files, beforeApplicants, afterApplicants, ct));
        }

        // CPU of the whole process (import and the async daemon beside it) per event: steadier than wall time on shared cores.
        table.Add("1", "import applicants: process CPU per event", applicantCpu.TotalMilliseconds / applicantEvents, "ms");
        if (ImportOnly)
        {
            table.Add("1", applicantsLabel, applicantEvents / applicants.TotalSeconds, "events/s");
            return;
        }

        await AdvanceAsync(admin, round, ct, "AdministrativeSelection");
        var verificationEvents = 0;
        var verification = await phases.RunAsync("import", async () => verificationEvents = await ImportAsync(imports.VerificationAsync, code, files.VerificationPath, ct));
        whole += verification;
        await AdvanceAsync(admin, round, ct, "AdministrativeAppeal", "Skd");
        var skdEvents = 0;
        var skd = await phases.RunAsync("import", async () => skdEvents = await ImportAsync(imports.SkdAsync, code, files.SkdPath, ct));
        whole += skd;

        await AdvanceAsync(admin, round, ct, "Skb");
        RoundDecisionReport cutOff = null!;
        var cutOffTime = await phases.RunAsync("decisions", async () => cutOff = Succeeded(await decisions.SkdCutOffAsync(code, Actor, null, ct)));
        whole += cutOffTime;
        var cutOffPath = files.PathOf("skb-admission.csv");
        whole += await phases.RunAsync("exports", async () =>
        {
            await using var cutOffCsv = new StreamWriter(cutOffPath, append: false, new UTF8Encoding(false));
            await ExportAsync(exports, code, Merit.Recruitment.Files.PublishedList.SkbAdmission, cutOffCsv, ct);
        });
        RoundFiles.WriteSkbFor(cutOffPath, files.PathOf("skb.csv"), Seed + 1);

        var skbEvents = 0;
        var skb = await phases.RunAsync("import", async () => skbEvents = await ImportAsync(imports.SkbAsync, code, files.PathOf("skb.csv"), ct));
        whole += skb;
        await AdvanceAsync(admin, round, ct, "Integration");
        RoundDecisionReport final = null!;
        var finalTime = await phases.RunAsync("decisions", async () => final = Succeeded(await decisions.FinalAsync(code, Merit.PersonalData.PersonalDataReader.CommandLine(Actor, Merit.Security.Roles.Committee, "bench final"), null, ct)));
        whole += finalTime;
        whole += await phases.RunAsync("exports", () => ExportAsync(exports, code, Merit.Recruitment.Files.PublishedList.Final, TextWriter.Null, ct));

        // 1. Import throughput, against the baselines on the very rows the applicant import wrote.
        var applicantRate = applicantEvents / applicants.TotalSeconds;
        double? plainRate = null, eventTablesRate = null, bulkRate = null, writtenRate = null;
        if (!RoundOnly)
        {
            (plainRate, eventTablesRate, bulkRate) = await BaselineRatesAsync(baselines, phases, beforeApplicants, afterApplicants, ct);
            writtenRate = applicantEvents / (await phases.RunAsync("baselines", () => baselines.CopyWrittenRowsAsync(written, ct))).TotalSeconds;
        }

        table.Add("1", applicantsLabel, applicantRate, "events/s", plainRate, "a: COPY JSON into a plain table");
        if (!RoundOnly)
        {
            // The same figure against the other two baselines: one row per baseline, each with its ratio.
            table.Add("1", "import applicants", applicantRate, "events/s", eventTablesRate, "b: COPY into mt_streams/mt_events copies");
            table.Add("1", "import applicants", applicantRate, "events/s", bulkRate, "c: Marten BulkInsertEventsAsync");
            table.Add("1", "import applicants", applicantRate, "events/s", writtenRate, $"d: COPY of every row it wrote ({written.Sum(w => w.Rows):N0} rows, {written.Count} tables) into copies");
        }

        table.Add("1", "import verification (one event per existing stream)", verificationEvents / verification.TotalSeconds, "events/s", eventTablesRate, "b");
        table.Add("1", "import SKD results (one event per existing stream)", skdEvents / skd.TotalSeconds, "events/s", eventTablesRate, "b");
        table.Add("1", "import SKB results", skbEvents / skb.TotalSeconds, "events/s", eventTablesRate, "b");

        // 2. Decisions, and the whole round against the 15-minute target of a national round (docs/adr/0015).
        table.Add("2", $"SKD cut-off, {cutOff.Formations:N0} formations: wall time", cutOffTime.TotalSeconds, "s");
        table.Add("2", "SKD cut-off", cutOff.Events / cutOffTime.TotalSeconds, "events/s");
        table.Add("2", $"final ranking, {final.Formations:N0} formations: wall time", finalTime.TotalSeconds, "s");
        table.Add("2", "final ranking", final.Events / finalTime.TotalSeconds, "events/s");
        table.Add("2", "whole round: imports, both decisions, exports", whole.TotalSeconds, "s", 900, "target, national");
        if (RoundOnly)
        {
            await AfterRoundAsync(host, baselines, phases, table, round, ct);
            return;
        }

        // 5. Single commands over HTTP, on a round of their own.
        ReleaseBenchMemory();
        await LatencyAsync(host, admin, phases, table, ct);

        // 6. Analytics on the full round, once the asynchronous read models have caught up.
        var catchUp = await phases.RunAsync("async projections catch-up", () => host.WaitForProjectionsAsync(TimeSpan.FromHours(2)));
        table.Add("3", "async projections catch-up after the round", catchUp.TotalSeconds, "s");

        // The asynchronous read models must have seen every registration: the daemon may skip a sequence gap it
        // believes abandoned, and an import batch holds drawn sequence numbers while it is prepared.
        await using (var query = host.Store.QuerySession())
        {
            var seen = (await query.Query<Projections.Recruitment.FormationSummary>().Where(s => s.RoundId == round).ToListAsync(ct)).Sum(s => s.Registered);
            table.Add("3", "registrations seen by the async read model FormationSummary", seen, "applicants", scale.Applicants, "registered");
        }
        using (var analyst = host.ClientAs("bench-analyst", Roles.Analyst))
        {
            // Timed after a warm-up, as the commands are: the first calls of a fresh process run the report's code before
            // the tiered JIT has optimised it — a Host of its own on the medium round answered its calls 4–103 in a
            // median 9.7 ms, p99 54.7 ms, and later calls in 4.5–5.5 ms, p99 9.5–16 ms (docs/performance.md, item 6).
            // The warm-up's own p99 is reported beside.
            const int warmUp = 100;
            foreach (var report in new[] { "funnel", "fairness" })
            {
                var cold = new List<double>();
                var latencies = new List<double>();
                var errors = 0;
                await phases.RunAsync("analytics", async () =>
                {
                    for (var i = 0; i < warmUp + scale.AnalyticsQueries; i++)
                    {
                        var (ms, ok) = await TimedAsync(() => analyst.GetAsync(new Uri($"/analytics/rounds/{round}/{report}", UriKind.Relative), ct));
                        errors += ok ? 0 : 1;
                        (i < warmUp ? cold : latencies).Add(ms);
                    }
                });
                table.Add("6", $"analytics {report}: median", Percentile(latencies, 0.5), "ms", 50, "target p99");
                table.Add("6", $"analytics {report}: p99 ({errors} errors)", Percentile(latencies, 0.99), "ms", 50, "target p99");
                table.Add("6", $"analytics {report}: p99 of the {warmUp} warm-up calls", Percentile(cold, 0.99), "ms");
            }
        }

        // 9. Single commands beside the analysts' reports, the reports on the primary and then on its standby.
        await StandbyPhaseAsync(host, admin, phases, table, round, ct);

        // 3. Projection rebuild against a sequential read of the same events; 4. audit verification.
        var readRate = await RebuildPhaseAsync(host, baselines, phases, table, round, ct);

        await AuditPhaseAsync(host, phases, table, readRate, ct);
    }

    /// <summary>On <see cref="RecordedDatabase"/>: its one bench round, as a run with <see cref="RoundOnly"/> left it.</summary>
    private async Task AfterRoundAsync(BenchHost host, Baselines baselines, Phases phases, ResultTable table, CancellationToken ct)
    {
        IReadOnlyList<Recruitment.Round> rounds;
        await using (var query = host.Store.QuerySession())
        {
            rounds = await query.Query<Recruitment.Round>().Where(r => r.Code.StartsWith("CPNS-2024-BENCH-")).ToListAsync(ct);
        }

        var round = rounds.Count == 1 ? rounds[0] : throw new InvalidOperationException($"{RecordedDatabase} holds {rounds.Count} bench rounds, not one");
        log.WriteLine($"round {round.Code} recorded in {RecordedDatabase}");
        await AfterRoundAsync(host, baselines, phases, table, round.Id, ct);
    }

    /// <summary>What a round-only run measures once the round is recorded: the rebuild with the what-if (or the what-if alone), the audit.</summary>
    private async Task AfterRoundAsync(BenchHost host, Baselines baselines, Phases phases, ResultTable table, Guid round, CancellationToken ct)
    {
        double? sequentialRead = null;
        if (RebuildAfterRound)
        {
            sequentialRead = await RebuildPhaseAsync(host, baselines, phases, table, round, ct);
        }
        else if (WhatIfAfterRound)
        {
            await WhatIfPhaseAsync(host, phases, table, round, null, ct);
        }

        if (AuditAfterRound)
        {
            await SealPhaseAsync(host, phases, table, ct);
            await AuditPhaseAsync(host, phases, table, sequentialRead, ct);
            await ProofPhaseAsync(host, phases, table, ct);
        }
    }

    /// <summary>Item 4: every chain and seal verified (<see cref="AuditVerifier"/>), against the sequential read when it was timed.</summary>
    private static async Task AuditPhaseAsync(BenchHost host, Phases phases, ResultTable table, double? readRate, CancellationToken ct)
    {
        AuditReport audit = null!;
        var verifier = host.Services.GetRequiredService<AuditVerifier>();
        GC.Collect();
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        var verified = await phases.RunAsync("audit verification", async () => audit = await verifier.VerifyAsync(null, null, ct));
        if (!audit.Intact)
        {
            throw new InvalidOperationException($"audit verification failed: {audit.Summary}");
        }

        table.Add("4", $"audit verification, {audit.Events:N0} events, {audit.SealsChecked} seal(s)", audit.Events / verified.TotalSeconds, "events/s", readRate, "sequential read");
        table.Add("4", "audit verification: peak managed heap above the heap before", (phases.Peaks["audit verification"].Heap - heapBefore) / 1048576.0, "MB");
    }

    /// <summary>The bench's Host seals nothing on its own (BenchHost); here every event recorded so far is sealed, seal after seal.</summary>
    private static async Task SealPhaseAsync(BenchHost host, Phases phases, ResultTable table, CancellationToken ct)
    {
        var seals = host.Services.GetRequiredService<AuditSeals>();
        var count = 0;
        var elapsed = await phases.RunAsync("sealing", async () =>
        {
            while ((await seals.SealAsync(ct)) is { Seal: not null })
            {
                count++;
            }
        });
        var last = await seals.LastAsync(ct) ?? throw new InvalidOperationException("nothing was sealed");
        table.Add("4", $"sealing every event ({count} seal(s), {last.ToSequence:N0} events)", last.ToSequence / elapsed.TotalSeconds, "events/s");
    }

    /// <summary>
    /// The time to produce each kind of proof on the sealed round: an inclusion proof of the first, middle and last
    /// event (the first keeps the chunk hashes up to the seal, the others read at most one chunk of leaves), and the
    /// consistency proof between the first and the newest seal.
    /// </summary>
    private static async Task ProofPhaseAsync(BenchHost host, Phases phases, ResultTable table, CancellationToken ct)
    {
        var proofs = host.Services.GetRequiredService<AuditProofs>();
        var newest = (await host.Services.GetRequiredService<AuditSeals>().LastAsync(ct))!;
        foreach (var (name, sequence) in new[] { ("first", 1L), ("middle", newest.ToSequence / 2), ("last", newest.ToSequence) })
        {
            ProofOutcome<InclusionProof> proof = null!;
            var elapsed = await phases.RunAsync("proofs", async () => proof = await proofs.EventAsync(sequence, null, ct));
            if (proof.Proof is null)
            {
                throw new InvalidOperationException($"no inclusion proof of event {sequence}: {proof.Problem}");
            }

            table.Add("4", $"inclusion proof of the {name} event in a tree of {newest.TreeSize:N0}", elapsed.TotalSeconds, "s");
        }

        var consistency = await phases.RunAsync("proofs", async () =>
        {
            if ((await proofs.ConsistencyAsync(1, newest.Id, ct)).Proof is null)
            {
                throw new InvalidOperationException("no consistency proof between the first and the newest seal");
            }
        });
        table.Add("4", $"consistency proof, seal 1 to seal {newest.Id}", consistency.TotalSeconds, "s");
    }

    /// <summary>The baselines on the rows the applicant import wrote; the rows (the import's size in memory) are dropped on return.</summary>
    /// <summary>
    /// Every row the applicant import wrote, as it left them, for baseline (d): its events and their streams, and the
    /// documents beside them — the write model (inline), the sealed personal data, the round's registration claims.
    /// The round's database is fresh, so every row of those document tables is the import's.
    /// </summary>
    private static async Task<List<(string Table, string Path, long Rows)>> WrittenRowsAsync(BenchHost host, Baselines baselines, RoundFiles files, long before, long after, CancellationToken ct)
    {
        string TableOf(Type type) => host.Store.Options.FindOrResolveDocumentType(type).TableName.Name;
        var range = $"seq_id > {before} and seq_id <= {after}";
        var folder = Directory.CreateDirectory(files.PathOf("baseline-d")).FullName;
        return await baselines.ExportRowsAsync(
        [
            ("mt_events", $"where {range}"),
            ("mt_streams", $"where id in (select stream_id from {Merit.Projections.MeritStore.SchemaName}.mt_events where {range})"),
            (TableOf(typeof(Application)), ""),
            (TableOf(typeof(Merit.PersonalData.PersonRecord)), ""),
            (TableOf(typeof(Merit.PersonalData.RoundRegistrationClaim)), ""),
        ], folder, ct);
    }

    private static async Task<(double Plain, double EventTables, double Bulk)> BaselineRatesAsync(Baselines baselines, Phases phases, long before, long after, CancellationToken ct)
    {
        var rows = await baselines.ReadAsync(before, after, ct);
        var n = rows.Events.Values.Count;
        var plain = await phases.RunAsync("baselines", () => baselines.CopyPlainAsync(rows, ct));
        plain = await baselines.CopyPlainAsync(rows, ct) is var p && p < plain ? p : plain;
        var eventTables = await phases.RunAsync("baselines", () => baselines.CopyEventTablesAsync(rows, ct));
        var bulk = await phases.RunAsync("baselines", () => baselines.MartenBulkInsertAsync(rows, ct));
        return (n / plain.TotalSeconds, n / eventTables.TotalSeconds, n / bulk.TotalSeconds);
    }

    /// <summary>
    /// Before the Host's latencies are timed: the generated files and the baselines' rows (1.4 GB at medium) are the
    /// bench's, not the Host's, so they are collected and the heap compacted once, and the timed phases start from
    /// the heap a running Host would have: a Host's latencies should not depend on what the bench happens to hold.
    /// </summary>
    private static void ReleaseBenchMemory()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    }

    /// <summary>Item 3: every projection (or the heaviest) rebuilt, against one sequential read of the events; returns the read's rate.</summary>
    private async Task<double> RebuildPhaseAsync(BenchHost host, Baselines baselines, Phases phases, ResultTable table, Guid round, CancellationToken ct)
    {
        var (events, read) = await phases.RunAsync("sequential read", () => Task.CompletedTask) is var _ ? await baselines.ReadAllEventsAsync(ct) : default;
        var readRate = events / read.TotalSeconds;
        var rebuilt = await phases.RunAsync("projection rebuild", () => RebuildAllAsync(host.Store, table, events, readRate, ct));
        table.Add("3", $"rebuild of {(scale.RebuildEveryProjection ? "every projection" : "the heaviest projections")}, {events:N0} events", events / rebuilt.TotalSeconds, "events/s", readRate, "sequential read");
        await WhatIfPhaseAsync(host, phases, table, round, rebuilt, ct);
        return readRate;
    }

    /// <summary>Item 8: the round decided again under its own rule set (docs/adr/0042), beside the rebuild of the same run.</summary>
    private async Task WhatIfPhaseAsync(BenchHost host, Phases phases, ResultTable table, Guid round, TimeSpan? rebuilt, CancellationToken ct)
    {
        string document;
        await using (var query = host.Store.QuerySession())
        {
            document = Recruitment.RuleSetCatalog.Document((await query.LoadAsync<Recruitment.Round>(round, ct))!.RuleSetVersion)!;
        }

        GC.Collect();
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        Analytics.WhatIf.WhatIfStudied studied = null!;
        var studies = host.Services.GetRequiredService<Analytics.WhatIfStudies>();
        var elapsed = await phases.RunAsync("what-if", async () => studied = (await studies.RunAsync(round, document, "bench-analyst", Guid.NewGuid(), ct)).Studied
            ?? throw new InvalidOperationException("the what-if was refused"));
        var national = scale.Name == "national";
        table.Add("8", $"what-if under the round's own rule set, {studied.Outcome.Formations:N0} formations: wall time", elapsed.TotalSeconds, "s", rebuilt?.TotalSeconds, rebuilt is null ? null : "rebuild of item 3, same run");
        table.Add("8", "what-if: wall time against its target", elapsed.TotalSeconds, "s", national ? 300 : 30, national ? "target, national" : "target, medium");
        table.Add("8", "what-if: peak managed heap above the heap before", (phases.Peaks["what-if"].Heap - heapBefore) / 1048576.0, "MB");
        table.Add("8", "what-if: applicants whose outcome differs from the recorded one", studied.Outcome.Changes.Transitions.Sum(t => t.Applicants), "applicants", 0, "expected");
    }

    private async Task RebuildAllAsync(IDocumentStore store, ResultTable table, long events, double readRate, CancellationToken ct)
    {
        using var daemon = await store.BuildProjectionDaemonAsync();
        var all = ((DocumentStore)store).Options.Projections.All.Select(p => p.Name).Distinct().Order(StringComparer.Ordinal);
        foreach (var projection in Rebuilt is { } chosen ? all.Where(chosen.Contains) : scale.RebuildEveryProjection ? all : all.Where(Scale.HeaviestProjections.Contains))
        {
            var watch = Stopwatch.StartNew();
            await daemon.RebuildProjectionAsync(projection, TimeSpan.FromMinutes(30), ct);
            log.WriteLine($"  rebuilt {projection}: {watch.Elapsed.TotalSeconds:F1} s");
            table.Add("3", $"rebuild {projection}", events / watch.Elapsed.TotalSeconds, "events/s", readRate, "sequential read");
        }
    }

    /// <summary>Appeals (stage AdministrativeAppeal) and SKD results (stage Skd), one command per request, at 1, 16 and 64 concurrent clients.</summary>
    private async Task LatencyAsync(BenchHost host, HttpClient admin, Phases phases, ResultTable table, CancellationToken ct)
    {
        var imports = host.Services.GetRequiredService<RecruitmentImports>();
        var code = $"CPNS-2024-HTTP-{scale.Name}".ToUpperInvariant();
        int[] levels = [1, 16, 64];
        // Timed once the request path runs the JIT's final code: tiered compilation promotes a method only after it has
        // run a while and the JIT has been idle for a moment (the instrumented tier, then the optimized one). A fixed
        // 256-request warm-up times the Host half-compiled: its levels run at half the throughput of a longer run
        // (docs/performance.md, item 5). So the warm-up goes on in rounds, each followed by the JIT's idle second, until a
        // round compiles next to nothing (WarmUpAsync); at the highest level, so every client's connection and the Host's
        // database connections exist: warmed at 16, the 64-client level times their opening (53 against 180 requests/s at
        // small scale, commit a8296f1).
        var perKind = scale.MaxWarmUp + (levels.Length * scale.RequestsPerLevel);

        // The first half sit the SKD (MS); the second half are TMS and appeal.
        var (round, ids) = await CommandRoundAsync(imports, admin, code, 2 * perKind, perKind, ct);
        await MeasureAsync(host, phases, table, "appeal", ids.Skip(perKind).ToList(), levels, id =>
            ($"/applications/{id}/appeals", new { window = "Administrative", grounds = "ijazah sudah dilegalisir", includesNewDocuments = false }), ct);
        await AdvanceAsync(admin, round, ct, "Skd");
        var scores = new Random(Seed);
        await MeasureAsync(host, phases, table, "SKD result", ids.Take(perKind).ToList(), levels, id =>
            ($"/applications/{id}/skd-result", new { twk = 5 * scores.Next(6, 31), tiu = 5 * scores.Next(8, 36), tkp = scores.Next(110, 226) }), ct);
    }

    /// <summary>
    /// A round of 50 formations in stage AdministrativeAppeal whose applicants (registration numbers 25…) each take
    /// single commands: the first <paramref name="ms"/> verified MS, ready for their SKD result once the round is in
    /// stage Skd; the others TMS, ready to appeal. Returns the round and every application's id, in that order.
    /// </summary>
    private async Task<(Guid Round, List<Guid> Ids)> CommandRoundAsync(RecruitmentImports imports, HttpClient admin, string code, int applicants, int ms, CancellationToken ct)
    {
        var numbers = Enumerable.Range(0, applicants).Select(i => $"25{i:00000000}").ToList();
        var formations = new StringBuilder("formation_code,instansi_code,position,location,category,allocation,education_level\n");
        for (var f = 0; f < 50; f++)
        {
            formations.Append(System.Globalization.CultureInfo.InvariantCulture, $"H{f:000},INST{f % 7},Analis Kebijakan,Jakarta,umum,2,S1\n");
        }

        var round = await OpenRoundAsync(admin, code, ct);
        await ImportAsync(imports.FormationsAsync, code, Encoding.UTF8.GetBytes(formations.ToString()), ct);
        await AdvanceAsync(admin, round, ct, "Registration");
        await ImportAsync(imports.ApplicantsAsync, code, Csv("registration_number,formation_code,sex,birth_date,gpa", numbers.Select((r, i) => $"{r},H{i % 50:000},F,1996-0{1 + (i % 9)}-1{i % 10},3.{i % 100:00}")), ct);
        await AdvanceAsync(admin, round, ct, "AdministrativeSelection");
        await ImportAsync(imports.VerificationAsync, code, Csv("registration_number,result,reason", numbers.Select((r, i) => i < ms ? $"{r},MS,lengkap" : $"{r},TMS,ijazah tidak sesuai")), ct);
        await AdvanceAsync(admin, round, ct, "AdministrativeAppeal");
        return (round, numbers.Select(n => ApplicationDecisions.IdFor(round, n)).ToList());
    }

    private const int WarmUpRound = 256;

    /// <summary>A round that compiles fewer methods than this leaves the request path on its final code.</summary>
    private const int QuietJit = 25;

    private async Task MeasureAsync(BenchHost host, Phases phases, ResultTable table, string kind, List<Guid> ids, int[] levels, Func<Guid, (string Path, object Body)> request, CancellationToken ct)
    {
        var product = new List<Level>();
        var clients = Enumerable.Range(0, levels.Max()).Select(i => host.ClientAs($"bench-committee-{i}", Roles.Committee)).ToList();
        try
        {
            await WarmUpAsync(kind, clients, ids.Take(scale.MaxWarmUp).ToList(), request, ct);
            await host.WaitForProjectionsAsync(TimeSpan.FromMinutes(10)); // the first level must not pay for the warm-up's async projection
            product.AddRange(await LevelsAsync(phases, kind, clients, ids.Skip(scale.MaxWarmUp).ToList(), levels, request, ct));
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }

        // The floor on the same streams, after the product: their rows as the product left them, its last event's JSON.
        await using var floor = await CommandFloor.StartAsync(host.ConnectionString, ids, ct);
        var floorClients = Enumerable.Range(0, levels.Max()).Select(_ => new HttpClient { BaseAddress = floor.Address }).ToList();
        List<Level> floored;
        try
        {
            (string, object) ByHand(Guid id) => ($"/streams/{id}/events", request(id).Body);
            await WarmUpAsync($"{kind} floor", floorClients, ids.Take(scale.MaxWarmUp).ToList(), ByHand, ct);
            floored = await LevelsAsync(phases, $"{kind} floor", floorClients, ids.Skip(scale.MaxWarmUp).ToList(), levels, ByHand, ct);
        }
        finally
        {
            floorClients.ForEach(c => c.Dispose());
        }

        foreach (var (p, f) in product.Zip(floored))
        {
            var at = $"at {p.Clients} clients";
            table.Add("5", $"{kind} {at}: throughput ({p.Errors} errors)", p.Throughput, "req/s", f.Throughput, "floor");
            table.Add("5", $"{kind} {at}: median", p.Median, "ms", 5, "target");
            table.Add("5", $"{kind} {at}: p99", p.P99, "ms", 25, "target");
            table.Add("5", $"{kind} {at}: median, against the floor", p.Median, "ms", f.Median, "floor");

            // Less sensitive than latency to what else runs on the shared cores: the Host and the clients share this process.
            table.Add("5", $"{kind} {at}: CPU of this process per request", p.CpuMs, "ms", f.CpuMs, "floor");
            table.Add("5", $"{kind} {at}: methods the JIT compiled while timed", p.Compiled, "methods");
            table.Add("5", $"{kind} floor {at}: throughput ({f.Errors} errors)", f.Throughput, "req/s");
            table.Add("5", $"{kind} floor {at}: median", f.Median, "ms", 5, "target");
            table.Add("5", $"{kind} floor {at}: p99", f.P99, "ms", 25, "target");
        }
    }

    /// <summary>One concurrency level, timed.</summary>
    private sealed record Level(int Clients, double Throughput, double Median, double P99, int Errors, double CpuMs, long Compiled);

    private async Task<List<Level>> LevelsAsync(Phases phases, string kind, List<HttpClient> clients, List<Guid> ids, int[] levels, Func<Guid, (string Path, object Body)> request, CancellationToken ct)
    {
        var measured = new List<Level>();
        var next = 0;
        foreach (var level in levels)
        {
            var batch = ids.Skip(next).Take(scale.RequestsPerLevel).ToList();
            next += batch.Count;
            var latencies = new double[batch.Count];
            var errors = 0;
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var jitBefore = System.Runtime.JitInfo.GetCompiledMethodCount();
            var elapsed = await phases.RunAsync("http commands", () => FanOutAsync(clients, level, batch.Count, async (client, i) =>
            {
                var (path, body) = request(batch[i]);
                var (ms, ok) = await TimedAsync(() => client.PostAsJsonAsync(path, body, ct));
                latencies[i] = ms;
                if (!ok)
                {
                    Interlocked.Increment(ref errors);
                }
            }));
            var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
            var compiled = System.Runtime.JitInfo.GetCompiledMethodCount() - jitBefore;
            measured.Add(new Level(level, batch.Count / elapsed.TotalSeconds, Percentile(latencies, 0.5), Percentile(latencies, 0.99), errors, cpu.TotalMilliseconds / batch.Count, compiled));
            if (errors > 0)
            {
                log.WriteLine($"  {errors} {kind} requests at {level} clients failed");
            }
        }

        return measured;
    }

    /// <summary>Rounds of requests at the highest level, each followed by the JIT's idle second, until one compiles next to nothing.</summary>
    private async Task WarmUpAsync(string kind, List<HttpClient> clients, List<Guid> ids, Func<Guid, (string Path, object Body)> request, CancellationToken ct)
    {
        var sent = 0;
        while (sent < ids.Count)
        {
            var round = ids.Skip(sent).Take(WarmUpRound).ToList();
            var jitBefore = System.Runtime.JitInfo.GetCompiledMethodCount();
            await FanOutAsync(clients, clients.Count, round.Count, async (client, i) =>
            {
                var (path, body) = request(round[i]);
                using var response = await client.PostAsJsonAsync(path, body, ct);
            });

            await JitIdleAsync(ct);
            sent += round.Count;
            var compiled = System.Runtime.JitInfo.GetCompiledMethodCount() - jitBefore;
            log.WriteLine($"  {kind} warm-up: {sent} requests, {compiled} methods compiled in the last {round.Count}");
            if (compiled < QuietJit)
            {
                break;
            }
        }
    }

    /// <summary>Requests 0..<paramref name="count"/> spread over the first <paramref name="level"/> clients, each sending its share one after another.</summary>
    private static Task FanOutAsync(List<HttpClient> clients, int level, int count, Func<HttpClient, int, Task> send) =>
        Task.WhenAll(Enumerable.Range(0, level).Select(async c =>
        {
            for (var i = c; i < count; i += level)
            {
                await send(clients[c], i);
            }
        }));

    /// <summary>
    /// Waits (at most a minute) until the JIT has compiled nothing for a second. Tiered compilation promotes hot
    /// methods only once no new method has been compiled for a moment, which a busy level never allows: without this
    /// the first quiet level pays for the backlog (about 17,000 methods in the 1-client level, Roslyn's own from the
    /// Host's code generation among them; docs/performance.md, item 5).
    /// </summary>
    private static async Task JitIdleAsync(CancellationToken ct)
    {
        var last = System.Runtime.JitInfo.GetCompiledMethodCount();
        var idleSince = Stopwatch.StartNew();
        var waited = Stopwatch.StartNew();
        while (idleSince.Elapsed < TimeSpan.FromSeconds(1) && waited.Elapsed < TimeSpan.FromMinutes(1))
        {
            await Task.Delay(100, ct);
            var now = System.Runtime.JitInfo.GetCompiledMethodCount();
            if (now != last)
            {
                last = now;
                idleSince.Restart();
            }
        }
    }

    private static async Task<(double Ms, bool Ok)> TimedAsync(Func<Task<HttpResponseMessage>> send)
    {
        var start = Stopwatch.GetTimestamp();
        try
        {
            using var response = await send();
            await response.Content.LoadIntoBufferAsync();
            return (Stopwatch.GetElapsedTime(start).TotalMilliseconds, response.IsSuccessStatusCode);
        }
        catch (HttpRequestException)
        {
            return (Stopwatch.GetElapsedTime(start).TotalMilliseconds, false);
        }
    }

    private static double Percentile(IReadOnlyCollection<double> values, double fraction)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Length) - 1, 0, sorted.Length - 1)];
    }

    private async Task<int> ImportAsync(Func<string, Stream, string, IProgress<ImportProgress>?, CancellationToken, Task<ImportReport>> import, string code, byte[] file, CancellationToken ct)
    {
        using var stream = new MemoryStream(file);
        return await ImportAsync(import, code, stream, ct);
    }

    private Task<int> ImportAsync(Func<string, Stream, string, IProgress<ImportProgress>?, CancellationToken, Task<ImportReport>> import, string code, string path, CancellationToken ct) =>
        ImportAsync(import, code, File.OpenRead(path), ct);

    private async Task<int> ImportAsync(Func<string, Stream, string, IProgress<ImportProgress>?, CancellationToken, Task<ImportReport>> import, string code, Stream file, CancellationToken ct)
    {
        await using var stream = file;
        var report = await import(code, stream, Actor, progress, ct);
        return report.Succeeded
            ? report.Appended
            : throw new InvalidOperationException($"{report.Kind} import refused: {string.Join("; ", report.Errors.Take(5).Select(e => $"line {e.Line} {e.Column}: {e.Message}"))}");
    }

    /// <summary>The import's own progress (rows checked, then written), with the time since the run started: where an import spends its time.</summary>
    private sealed class ProgressLog(TextWriter log) : IProgress<ImportProgress>
    {
        private readonly Stopwatch watch = Stopwatch.StartNew();
        private string phase = "";

        public void Report(ImportProgress value)
        {
            if (value.Phase != phase || value.Done == value.Total)
            {
                phase = value.Phase;
                log.WriteLine($"  {watch.Elapsed.TotalSeconds,7:F1} s  {value.Phase} {value.Done:N0} of {value.Total:N0}");
            }
        }
    }

    private static async Task ExportAsync(Merit.Recruitment.Files.RecruitmentExports exports, string code, Merit.Recruitment.Files.PublishedList list, TextWriter writer, CancellationToken ct)
    {
        if (await exports.WriteAsync(code, list, writer, ct) is { } refusal)
        {
            throw new InvalidOperationException($"The {list} export was refused: {refusal.Message}");
        }
    }

    private static RoundDecisionReport Succeeded(RoundDecisionReport report) =>
        report.Succeeded ? report : throw new InvalidOperationException($"{report.Decision} refused: {string.Join("; ", report.Refusals.Take(5))}");

    private static async Task<Guid> OpenRoundAsync(HttpClient client, string code, CancellationToken ct)
    {
        using var response = await client.PostAsJsonAsync("/rounds", new { code, name = code, ruleSetVersion = "CPNS-2024" }, ct);
        await EnsureAsync(response, ct);
        return RoundDecisions.IdFor(code);
    }

    private static async Task AdvanceAsync(HttpClient client, Guid round, CancellationToken ct, params string[] stages)
    {
        foreach (var stage in stages)
        {
            using var response = await client.PostAsJsonAsync($"/rounds/{round}/stage", new { to = stage }, ct);
            await EnsureAsync(response, ct);
        }
    }

    private static async Task EnsureAsync(HttpResponseMessage response, CancellationToken ct)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
        }
    }

    private static byte[] Csv(string header, IEnumerable<string> lines) => Encoding.UTF8.GetBytes(header + "\n" + string.Concat(lines.Select(l => l + "\n")));

    private static async Task ExecuteAsync(string connectionString, string sql, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }
}
