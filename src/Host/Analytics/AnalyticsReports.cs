using Merit.Projections.Analytics;
using Merit.Recruitment;
using Microsoft.Extensions.Options;

namespace Merit.Analytics;

/// <summary>What every analytics answer says about itself: the round, the filter, the suppression threshold and how fresh it is.</summary>
public sealed record ReportContext(Guid RoundId, string RoundCode, AnalyticsFilter Filter, int MinimumCellSize, Freshness Freshness);

/// <summary>One row of the funnel: counts of applicants reaching each step, the step-to-step rates, and the optimisation effect.</summary>
/// <param name="Key">The group (instansi code, category code, position or location); empty for the total.</param>
/// <param name="MsRate">MS / registered; each rate is the step's count over the previous step's.</param>
/// <param name="VacantAfterFinal">Places left vacant by the final result (formations with a final result).</param>
/// <param name="VacantNow">Places vacant after optimisation and withdrawals.</param>
/// <param name="PlacedElsewhere">Applicants of these formations placed in another formation by optimisation.</param>
/// <param name="Withdrawals">Passers who withdrew (APS).</param>
/// <param name="Suppressed">Names of the values suppressed as small cells.</param>
public sealed record FunnelRow(
    string Key,
    int Formations,
    int Allocation,
    int? Registered,
    int? Ms,
    int? SkdThresholdMet,
    int? AdmittedToSkb,
    int? FinalPass,
    int? NipIssued,
    double? MsRate,
    double? SkdThresholdMetRate,
    double? AdmittedToSkbRate,
    double? FinalPassRate,
    double? NipIssuedRate,
    int? VacantAfterFinal,
    int? FilledByOptimisation,
    int? VacatedByWithdrawal,
    int? VacantNow,
    int? PlacedElsewhere,
    int? Withdrawals,
    IReadOnlyList<string> Suppressed);

/// <summary>The funnel of a round, grouped by <see cref="By"/>, with the total of everything the filter selects.</summary>
public sealed record FunnelTable(ReportContext Context, string By, IReadOnlyList<string> Stages, IReadOnlyList<FunnelRow> Rows, FunnelRow Total);

/// <summary>One group's pass rate at one step, and its ratio to the group with the highest rate.</summary>
/// <param name="Entered">Applicants of the group who reached the step before.</param>
/// <param name="Passed">Of them, those who passed this step.</param>
/// <param name="BelowFourFifths">True when <see cref="RatioToHighest"/> is under the threshold (four-fifths rule of thumb).</param>
public sealed record FairnessGroup(string Group, int? Entered, int? Passed, double? Rate, double? RatioToHighest, bool? BelowFourFifths, IReadOnlyList<string> Suppressed);

/// <summary>A step: <see cref="Stage"/> passed out of <see cref="From"/>; <c>selection</c> is final pass out of registered.</summary>
public sealed record FairnessStage(string Stage, string From, string? HighestGroup, IReadOnlyList<FairnessGroup> Groups);

/// <summary>Pass rates by <see cref="Attribute"/> (sex, category or location) at each step, with the selection-rate ratios.</summary>
public sealed record FairnessTable(ReportContext Context, string Attribute, double Threshold, IReadOnlyList<FairnessStage> Stages);

/// <summary>Time to decision at one stage: how many decisions and their median and 90th percentile, in hours.</summary>
/// <param name="Instansi">The instansi code; empty for all selected instansi together.</param>
/// <param name="Subject">What a decision is about: <c>applicant</c> (counts of people, protected) or <c>formation</c>.</param>
/// <param name="From">Where the clock starts: the opening of the round stage, or <c>appeal filed</c>.</param>
public sealed record DecisionTimeRow(string Instansi, string Stage, string Subject, string From, int? Decisions, double? MedianHours, double? P90Hours, IReadOnlyList<string> Suppressed);

public sealed record DecisionTimesTable(ReportContext Context, IReadOnlyList<DecisionTimeRow> Rows, IReadOnlyList<DecisionTimeRow> AllInstansi);

public sealed record HistogramBin(int From, int To, int? Count);

/// <summary>One score's histogram (TWK, TIU, TKP or total).</summary>
public sealed record ScoreDistribution(string Score, int BinWidth, IReadOnlyList<HistogramBin> Bins, IReadOnlyList<string> Suppressed);

public sealed record CategoryDistribution(string Category, int? Results, int? ThresholdMet, int? CertificatesReused, IReadOnlyList<ScoreDistribution> Scores, IReadOnlyList<string> Suppressed);

public sealed record SkdDistributionTable(ReportContext Context, IReadOnlyList<CategoryDistribution> Categories);

/// <summary>The SKD cut-off a formation actually reached, and the places its cut-off and final result gave by tie.</summary>
/// <param name="CutOffTotal">The lowest SKD total admitted to the SKB; suppressed when fewer than the minimum cell size sat the SKD.</param>
public sealed record CutOffRow(
    string FormationCode,
    string Instansi,
    string Position,
    string Location,
    string Category,
    int Allocation,
    int Quota,
    int? SkdParticipants,
    int? AdmittedToSkb,
    int? AdmittedOnTie,
    int? CutOffTotal,
    int? Passed,
    int? PassedOnTieBreak,
    int? ReferredToPanselnas,
    IReadOnlyList<string> Suppressed);

public sealed record CutOffTable(ReportContext Context, int TotalFormations, int Offset, int Limit, IReadOnlyList<CutOffRow> Rows);

/// <summary>Places decided by a tie: admitted to the SKB on a tie at the boundary, passed on a tie-break, referred to Panselnas.</summary>
public sealed record TieBreakRow(string Key, int CutOffsDecided, int FinalsDecided, int? AdmittedToSkb, int? AdmittedOnTie, int? FinalPass, int? PassedOnTieBreak, int? ReferredToPanselnas, IReadOnlyList<string> Suppressed);

public sealed record TieBreakTable(ReportContext Context, string By, IReadOnlyList<TieBreakRow> Rows, TieBreakRow Total);

/// <summary>
/// The analytics tables: the read models summed for the filter, then shaped and protected by small-cell
/// suppression. Every table goes through here, whether it leaves as JSON, CSV or a dashboard chart.
/// </summary>
public sealed class AnalyticsReports(AnalyticsQueries queries, FreshnessReader freshness, IOptions<AnalyticsOptions> options)
{
    public const double FourFifths = 0.8;

    private static readonly (string Stage, string From)[] FairnessSteps =
    [
        ("ms", "registered"), ("skdThresholdMet", "ms"), ("admittedToSkb", "skdThresholdMet"), ("finalPass", "admittedToSkb"),
        ("nipIssued", "finalPass"), ("selection", "registered"),
    ];

    private SmallCells Cells => new(options.Value.MinimumCellSize);

    public async Task<ReportContext?> ContextAsync(Guid roundId, AnalyticsFilter filter, CancellationToken ct) =>
        await queries.RoundAsync(roundId, ct) is { } round
            ? new ReportContext(round.Id, round.Code, filter, options.Value.MinimumCellSize, await freshness.ReadAsync(ct))
            : null;

    public async Task<FunnelTable> FunnelAsync(ReportContext context, Dimension by, CancellationToken ct)
    {
        var groups = await queries.TotalsAsync(context.RoundId, context.Filter, by, ct);
        var total = Sum(groups);
        var table = Cells.Table(groups.Append(total).Select(g => g.Counts), FunnelPeople);
        table.Complement(groups.Count, FunnelPeople);

        table.Derive("vacantAfterFinal", "passed", "finalPass")
            .Derive("vacantNow", "passed", "finalPass", "filledByOptimisation", "vacatedByWithdrawal");
        var rows = groups.Select((g, i) => FunnelRowOf(table, i, g.Key)).ToList();
        return new FunnelTable(context, Name(by), AnalyticsQueries.Stages, rows, FunnelRowOf(table, groups.Count, ""));
    }

    public async Task<FairnessTable> FairnessAsync(ReportContext context, string attribute, CancellationToken ct)
    {
        IReadOnlyList<GroupTotals> groups = attribute switch
        {
            "category" => await queries.TotalsAsync(context.RoundId, context.Filter, Dimension.Category, ct),
            "location" => await queries.TotalsAsync(context.RoundId, context.Filter, Dimension.Location, ct),
            _ => BySex(Sum(await queries.TotalsAsync(context.RoundId, context.Filter, Dimension.All, ct))),
        };

        // The groups add up to the funnel's total, published beside this table.
        var table = Cells.Table(groups.Select(g => g.Counts), AnalyticsQueries.Stages);
        table.Complement(groups.Count, [.. AnalyticsQueries.Stages]);
        var stages = new List<FairnessStage>();
        foreach (var (stage, from) in FairnessSteps)
        {
            var numerator = stage == "selection" ? "finalPass" : stage;
            var rates = groups.Select((g, i) => table.Rate(i, numerator, from)).ToList();
            var highest = rates.Select((r, i) => (Rate: r, Index: i)).Where(x => x.Rate is not null).OrderByDescending(x => x.Rate).ThenBy(x => x.Index).FirstOrDefault();
            var top = highest.Rate is { } h && h > 0 ? h : (double?)null;
            var rows = groups.Select((g, i) =>
            {
                double? ratio = rates[i] is { } rate && top is { } best ? Math.Round(rate / best, 4) : null;
                var suppressed = new List<string>();
                if (table.IsSuppressed(i, from))
                {
                    suppressed.Add("entered");
                }

                if (table.IsSuppressed(i, numerator))
                {
                    suppressed.Add("passed");
                }

                if (suppressed.Count > 0)
                {
                    suppressed.AddRange(["rate", "ratioToHighest", "belowFourFifths"]);
                }

                return new FairnessGroup(g.Key, table.Value(i, from), table.Value(i, numerator), rates[i], ratio, ratio is { } r ? r < FourFifths : null, suppressed);
            }).ToList();
            stages.Add(new FairnessStage(stage, from, top is null ? null : groups[highest.Index].Key, rows));
        }

        return new FairnessTable(context, attribute, FourFifths, stages);
    }

    public async Task<DecisionTimesTable> DecisionTimesAsync(ReportContext context, CancellationToken ct)
    {
        var documents = await queries.DecisionTimesAsync(context.RoundId, context.Filter.Instansi, ct);
        var cells = Cells;
        var rows = new List<DecisionTimeRow>();
        var merged = new SortedDictionary<DecisionStage, DurationHistogram>();
        foreach (var stage in Enum.GetValues<DecisionStage>())
        {
            var perInstansi = documents
                .Select(d => (d.InstansiCode, Durations: d.Stages.Find(s => s.Stage == stage)?.Durations))
                .Where(x => x.Durations is { Count: > 0 })
                .ToList();
            if (perInstansi.Count == 0)
            {
                continue;
            }

            var all = new DurationHistogram();
            foreach (var (_, durations) in perInstansi)
            {
                foreach (var bin in durations!.Bins)
                {
                    all.Add(bin.FromMinutes, bin.Count);
                }
            }

            merged[stage] = all;
            var applicant = IsAboutApplicants(stage);
            var table = cells.Table(perInstansi.Select(x => (IReadOnlyDictionary<string, long>)new Dictionary<string, long> { ["decisions"] = applicant ? x.Durations!.Count : 0 }), ["decisions"]);
            table.Complement(perInstansi.Count, "decisions");
            for (var i = 0; i < perInstansi.Count; i++)
            {
                rows.Add(TimeRow(perInstansi[i].InstansiCode, stage, perInstansi[i].Durations!, applicant && table.IsSuppressed(i, "decisions")));
            }
        }

        var allRows = merged.Select(m => TimeRow("", m.Key, m.Value, IsAboutApplicants(m.Key) && cells.Hides(m.Value.Count))).ToList();
        return new DecisionTimesTable(context, rows.OrderBy(r => r.Instansi, StringComparer.Ordinal).ThenBy(r => Enum.Parse<DecisionStage>(r.Stage, ignoreCase: true)).ToList(), allRows);
    }

    public async Task<SkdDistributionTable> SkdDistributionAsync(ReportContext context, CancellationToken ct)
    {
        var document = await queries.SkdDistributionAsync(context.RoundId, ct);
        var cells = Cells;
        var categories = new List<CategoryDistribution>();
        foreach (var scores in document?.Categories ?? [])
        {
            var code = scores.Category.Code();
            if (context.Filter.Category is { } wanted && wanted != code)
            {
                continue;
            }

            var counts = cells.Table([new Dictionary<string, long> { ["results"] = scores.Results, ["thresholdMet"] = scores.ThresholdMet, ["certificatesReused"] = scores.CertificatesReused }], ["results", "thresholdMet", "certificatesReused"]);
            var histograms = new[] { ("TWK", scores.Twk), ("TIU", scores.Tiu), ("TKP", scores.Tkp), ("total", scores.Total) }
                .Select(h => Histogram(cells, h.Item1, h.Item2))
                .ToList();
            categories.Add(new CategoryDistribution(code, counts.Value(0, "results"), counts.Value(0, "thresholdMet"), counts.Value(0, "certificatesReused"), histograms, counts.Suppressed(0)));
        }

        return new SkdDistributionTable(context, categories);
    }

    public async Task<CutOffTable> CutOffsAsync(ReportContext context, int offset, int limit, CancellationToken ct)
    {
        var (page, total) = await queries.CutOffsAsync(context.RoundId, context.Filter, offset, limit, ct);
        string[] people = ["skdParticipants", "admittedToSkb", "admittedOnTie", "passed", "passedOnTieBreak", "referredToPanselnas"];
        var table = Cells.Table(
            page.Select(f => (IReadOnlyDictionary<string, long>)new Dictionary<string, long>
            {
                ["skdParticipants"] = f.SkdParticipants,
                ["admittedToSkb"] = f.Male.AdmittedToSkb + f.Female.AdmittedToSkb,
                ["admittedOnTie"] = f.AdmittedOnTie,
                ["passed"] = f.Passed,
                ["passedOnTieBreak"] = f.PassedOnTieBreak,
                ["referredToPanselnas"] = f.ReferredToPanselnas,
            }),
            people);
        var rows = page.Select((f, i) =>
        {
            // The score reached is one applicant's score: shown only when it hides among enough who sat the SKD.
            var hideScore = f.SkdParticipants < options.Value.MinimumCellSize;
            if (hideScore)
            {
                table.Suppress(i, "cutOffTotal");
            }

            return new CutOffRow(
                f.Code, f.InstansiCode, f.Position, f.Location, f.Category.Code(), f.Allocation, f.Quota,
                table.Value(i, "skdParticipants"), table.Value(i, "admittedToSkb"), table.Value(i, "admittedOnTie"),
                hideScore ? null : f.CutOffTotal,
                f.FinalsDecided > 0 ? table.Value(i, "passed") : null,
                f.FinalsDecided > 0 ? table.Value(i, "passedOnTieBreak") : null,
                f.FinalsDecided > 0 ? table.Value(i, "referredToPanselnas") : null,
                table.Suppressed(i));
        }).ToList();
        return new CutOffTable(context, total, offset, limit, rows);
    }

    public async Task<TieBreakTable> TieBreaksAsync(ReportContext context, Dimension by, CancellationToken ct)
    {
        var groups = await queries.TotalsAsync(context.RoundId, context.Filter, by, ct);
        var total = Sum(groups);
        string[] columns = ["admittedToSkb", "admittedOnTie", "finalPass", "passedOnTieBreak", "referredToPanselnas"];
        var table = Cells.Table(groups.Append(total).Select(g => g.Counts), columns);
        table.Complement(groups.Count, columns);

        TieBreakRow Row(int i, string key) => new(
            key, (int)table.Raw(i, "cutOffsDecided"), (int)table.Raw(i, "finalsDecided"),
            table.Value(i, "admittedToSkb"), table.Value(i, "admittedOnTie"), table.Value(i, "finalPass"),
            table.Value(i, "passedOnTieBreak"), table.Value(i, "referredToPanselnas"),
            table.Suppressed(i).Where(columns.Contains).ToList());
        return new TieBreakTable(context, Name(by), groups.Select((g, i) => Row(i, g.Key)).ToList(), Row(groups.Count, ""));
    }

    public static string Name(Dimension by) => by.ToString().ToLowerInvariant();

    private static FunnelRow FunnelRowOf(CellTable t, int i, string key)
    {
        var row = new FunnelRow(
            key,
            (int)t.Raw(i, "formations"),
            (int)t.Raw(i, "allocation"),
            t.Value(i, "registered"),
            t.Value(i, "ms"),
            t.Value(i, "skdThresholdMet"),
            t.Value(i, "admittedToSkb"),
            t.Value(i, "finalPass"),
            t.Value(i, "nipIssued"),
            t.Rate(i, "ms", "registered", "msRate"),
            t.Rate(i, "skdThresholdMet", "ms", "skdThresholdMetRate"),
            t.Rate(i, "admittedToSkb", "skdThresholdMet", "admittedToSkbRate"),
            t.Rate(i, "finalPass", "admittedToSkb", "finalPassRate"),
            t.Rate(i, "nipIssued", "finalPass", "nipIssuedRate"),
            t.Value(i, "vacantAfterFinal"),
            t.Value(i, "filledByOptimisation"),
            t.Value(i, "vacatedByWithdrawal"),
            t.Value(i, "vacantNow"),
            t.Value(i, "placedElsewhere"),
            t.Value(i, "withdrawals"),
            []);
        return row with { Suppressed = t.Suppressed(i).Where(FunnelColumns.Contains).ToList() };
    }

    private static readonly HashSet<string> FunnelColumns = new(StringComparer.Ordinal)
    {
        "registered", "ms", "skdThresholdMet", "admittedToSkb", "finalPass", "nipIssued",
        "msRate", "skdThresholdMetRate", "admittedToSkbRate", "finalPassRate", "nipIssuedRate",
        "vacantAfterFinal", "filledByOptimisation", "vacatedByWithdrawal", "vacantNow", "placedElsewhere", "withdrawals",
    };

    /// <summary>The funnel's counts of people; formations, allocation and vacancies count places.</summary>
    private static readonly string[] FunnelPeople =
        [.. AnalyticsQueries.Stages, "passed", "filledByOptimisation", "vacatedByWithdrawal", "placedElsewhere", "withdrawals"];

    private static GroupTotals Sum(IReadOnlyList<GroupTotals> groups)
    {
        var sum = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (name, value) in groups.SelectMany(g => g.Counts))
        {
            sum[name] = sum.GetValueOrDefault(name) + value;
        }

        return new GroupTotals("", sum);
    }

    private static List<GroupTotals> BySex(GroupTotals total) =>
    [
        new("F", AnalyticsQueries.Stages.ToDictionary(s => s, s => total.Counts.GetValueOrDefault("female" + Pascal(s)), StringComparer.Ordinal)),
        new("M", AnalyticsQueries.Stages.ToDictionary(s => s, s => total.Counts.GetValueOrDefault("male" + Pascal(s)), StringComparer.Ordinal)),
    ];

    private static string Pascal(string camel) => char.ToUpperInvariant(camel[0]) + camel[1..];

    private static bool IsAboutApplicants(DecisionStage stage) => stage is not (DecisionStage.SkdCutOff or DecisionStage.FinalResult);

    private static DecisionTimeRow TimeRow(string instansi, DecisionStage stage, DurationHistogram durations, bool suppressed) => new(
        instansi,
        StageName(stage),
        IsAboutApplicants(stage) ? "applicant" : "formation",
        stage switch
        {
            DecisionStage.AdministrativeAppeal or DecisionStage.FinalAppeal => "appeal filed",
            DecisionStage.AdministrativeVerification => "AdministrativeSelection opened",
            DecisionStage.SkdResult => "Skd opened",
            DecisionStage.SkdCutOff or DecisionStage.SkbResult => "Skb opened",
            DecisionStage.FinalResult => "Integration opened",
            DecisionStage.Optimisation => "Optimisation opened",
            _ => "Appointment opened",
        },
        suppressed ? null : durations.Count,
        suppressed ? null : Hours(durations.Percentile(0.5)),
        suppressed ? null : Hours(durations.Percentile(0.9)),
        suppressed ? ["decisions", "medianHours", "p90Hours"] : []);

    public static string StageName(DecisionStage stage) => char.ToLowerInvariant(stage.ToString()[0]) + stage.ToString()[1..];

    private static double? Hours(long? minutes) => minutes is { } m ? Math.Round(m / 60.0, 2) : null;

    private static ScoreDistribution Histogram(SmallCells cells, string score, ScoreHistogram histogram)
    {
        var table = cells.Table(histogram.Bins.Select(b => (IReadOnlyDictionary<string, long>)new Dictionary<string, long> { ["count"] = b }), ["count"]);
        table.Complement(histogram.Bins.Length, "count");
        var bins = histogram.Bins.Select((_, i) => new HistogramBin(i * histogram.Width, ((i + 1) * histogram.Width) - 1, table.Value(i, "count"))).ToList();
        var suppressed = bins.Where(b => b.Count is null).Select(b => $"{b.From}-{b.To}").ToList();
        return new ScoreDistribution(score, histogram.Width, bins, suppressed);
    }
}
