using Merit.Analytics.WhatIf;
using Microsoft.Extensions.Options;

namespace Merit.Analytics;

/// <summary>Counts of one side as published: a suppressed count is null.</summary>
public sealed record CountsShown(
    int? Registered,
    int? Ms,
    int? SkdScored,
    int? ThresholdMet,
    int? AdmittedToSkb,
    int? FinalPass,
    int? ReferredToPanselnas,
    int? PlacedByOptimisation,
    int? Withdrawn,
    int? Selected,
    int? AdmittedWithoutSkbResult);

/// <summary>One group (or the total, key empty) as decided and under the variant; <see cref="Suppressed"/> names the hidden cells (<c>actual.ms</c>, <c>variant.selected</c>, <c>newlySelected</c>...).</summary>
public sealed record WhatIfRow(string Key, CountsShown Actual, CountsShown Variant, int? NewlySelected, int? NoLongerSelected, IReadOnlyList<string> Suppressed);

public sealed record WhatIfTable(string By, IReadOnlyList<WhatIfRow> Rows, WhatIfRow Total);

public sealed record TransitionShown(string From, string To, int? Applicants);

/// <summary>A group's rate at a step on one side, compared with that side's highest published group (<see cref="SelectionRates"/>).</summary>
public sealed record WhatIfFairnessGroup(
    string Group,
    int? Entered,
    int? Passed,
    double? Rate,
    double? RateLower,
    double? RateUpper,
    double? RatioToHighest,
    double? RatioLower,
    double? RatioUpper,
    double? FisherP,
    bool? BelowFourFifths,
    IReadOnlyList<string> Suppressed);

/// <summary>One step (<see cref="Stage"/> out of <see cref="From"/>) on one side (<c>actual</c> or <c>variant</c>).</summary>
public sealed record WhatIfFairnessStage(string Side, string Stage, string From, string? Reference, IReadOnlyList<WhatIfFairnessGroup> Groups);

public sealed record WhatIfFairness(string Attribute, double Threshold, double Confidence, IReadOnlyList<WhatIfFairnessStage> Stages);

/// <summary>The remarks' counts of people, suppressed like any other.</summary>
public sealed record RemarksShown(int? AdmittedWithoutSkbResult, int PlacementsNotPossible, int WithdrawalsNotApplicable, int? TiesWithoutRecordedSeniority);

/// <summary>A what-if as published: who asked what and when, the tables of both sides, the transitions and fairness, small cells suppressed.</summary>
public sealed record WhatIfReport(
    Guid WhatIfId,
    string RoundCode,
    string RoundRuleSetVersion,
    string VariantVersion,
    string VariantSha256,
    string AskedBy,
    DateTimeOffset AskedAt,
    long ThroughSequence,
    string OutcomeSha256,
    int Formations,
    int MinimumCellSize,
    IReadOnlyList<WhatIfTable> Tables,
    IReadOnlyList<TransitionShown> Transitions,
    IReadOnlyList<WhatIfFairness> Fairness,
    RemarksShown Remarks);

/// <summary>One formation as published: places are shown, counts of people suppressed, a cut-off score hidden among fewer than the minimum who sat the SKD.</summary>
public sealed record WhatIfFormationShown(
    string FormationCode,
    string Instansi,
    string Position,
    string Location,
    string Category,
    int Allocation,
    int? ActualQuota,
    int? ActualCutOffTotal,
    int ActualVacant,
    int? VariantQuota,
    int? VariantCutOffTotal,
    int VariantVacant,
    CountsShown Actual,
    CountsShown Variant,
    int? NewlySelected,
    int? NoLongerSelected,
    IReadOnlyList<string> Suppressed);

public sealed record WhatIfFormationPage(Guid WhatIfId, int MinimumCellSize, int Total, int Offset, int Limit, IReadOnlyList<WhatIfFormationShown> Rows);

/// <summary>
/// Shapes a recorded what-if for publication with the analytics' own small-cell suppression (<see cref="SmallCells"/>,
/// docs/adr/0008): primary, complementary within each table whose rows add up to its total, and derived values
/// (rates, intervals, ratios, p-values, cut-off scores) hidden with their source.
/// </summary>
public sealed class WhatIfReports(IOptions<AnalyticsOptions> options)
{
    public const double Confidence = 0.95;

    public static readonly IReadOnlyList<string> Attributes = ["sex", "category", "location"];

    private static readonly (string Stage, string From)[] Steps =
        [("thresholdMet", "skdScored"), ("admittedToSkb", "thresholdMet"), ("finalPass", "admittedToSkb"), ("selected", "registered")];

    private static readonly string[] Sides = ["actual", "variant"];

    private SmallCells Cells => new(options.Value.MinimumCellSize);

    public WhatIfReport Report(WhatIfStudied studied)
    {
        ArgumentNullException.ThrowIfNull(studied);
        var outcome = studied.Outcome;
        var tables = OutcomeSummary.Dimensions.Select(d => Table(d, outcome.Actual.Dimension(d), outcome.Variant.Dimension(d), outcome.Changes.Dimension(d), outcome.Actual.Total, outcome.Variant.Total, outcome.Changes)).ToList();
        var cells = Cells;
        var transitions = cells.Table(outcome.Changes.Transitions.Select(t => (IReadOnlyDictionary<string, long>)new Dictionary<string, long> { ["applicants"] = t.Applicants }), ["applicants"]);
        transitions.Complement(outcome.Changes.Transitions.Count, "applicants");
        var r = outcome.Remarks;
        return new WhatIfReport(
            studied.WhatIfId, studied.RoundCode, studied.RoundRuleSetVersion, studied.VariantVersion, studied.VariantSha256, studied.AskedBy, studied.AskedAt,
            studied.ThroughSequence, studied.OutcomeSha256, outcome.Formations, cells.Minimum, tables,
            outcome.Changes.Transitions.Select((t, i) => new TransitionShown(t.From.ToString(), t.To.ToString(), transitions.Value(i, "applicants"))).ToList(),
            Attributes.Select(a => Fairness(a, outcome)).ToList(),
            new RemarksShown(Shown(cells, r.AdmittedWithoutSkbResult), checked((int)r.PlacementsNotPossible), checked((int)r.WithdrawalsNotApplicable), Shown(cells, r.TiesWithoutRecordedSeniority)));
    }

    public WhatIfFormationPage Formations(Guid whatIfId, IReadOnlyList<FormationComparison> rows, int total, int offset, int limit)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var minimum = options.Value.MinimumCellSize;
        var table = Cells.Table(rows.Select(r => Row(r.Actual.Counts, r.Variant.Counts, r.NewlySelected, r.NoLongerSelected)), People);
        var shown = rows.Select((r, i) =>
        {
            // A cut-off score is one applicant's score: shown only among enough who sat the SKD (as the cut-off table).
            var hideActual = r.Actual.Counts.SkdScored < minimum;
            var hideVariant = r.Variant.Counts.SkdScored < minimum;
            if (hideActual)
            {
                table.Suppress(i, "actual.cutOffTotal");
            }

            if (hideVariant)
            {
                table.Suppress(i, "variant.cutOffTotal");
            }

            return new WhatIfFormationShown(
                r.FormationCode, r.Instansi, r.Position, r.Location, r.Category, r.Allocation,
                r.Actual.Quota, hideActual ? null : r.Actual.CutOffTotal, r.Actual.Vacant,
                r.Variant.Quota, hideVariant ? null : r.Variant.CutOffTotal, r.Variant.Vacant,
                Counts(table, i, "actual"), Counts(table, i, "variant"), table.Value(i, "newlySelected"), table.Value(i, "noLongerSelected"), table.Suppressed(i));
        }).ToList();
        return new WhatIfFormationPage(whatIfId, minimum, total, offset, limit, shown);
    }

    private static readonly string[] People =
        [.. Sides.SelectMany(s => OutcomeCounts.Names.Select(n => $"{s}.{n}")), "newlySelected", "noLongerSelected"];

    private WhatIfTable Table(string by, IReadOnlyList<GroupCounts> actual, IReadOnlyList<GroupCounts> variant, IReadOnlyList<SelectionChange> changes, OutcomeCounts actualTotal, OutcomeCounts variantTotal, OutcomeChanges all)
    {
        var rows = actual.Select((g, i) => Row(g.Counts, variant[i].Counts, changes[i].NewlySelected, changes[i].NoLongerSelected))
            .Append(Row(actualTotal, variantTotal, all.NewlySelected, all.NoLongerSelected))
            .ToList();
        var table = Cells.Table(rows, People);
        table.Complement(actual.Count, People);
        WhatIfRow Shown(int i, string key) => new(key, Counts(table, i, "actual"), Counts(table, i, "variant"), table.Value(i, "newlySelected"), table.Value(i, "noLongerSelected"), table.Suppressed(i));
        return new WhatIfTable(by, actual.Select((g, i) => Shown(i, g.Key)).ToList(), Shown(actual.Count, ""));
    }

    private WhatIfFairness Fairness(string attribute, WhatIfOutcome outcome)
    {
        var stages = new List<WhatIfFairnessStage>();
        foreach (var side in Sides)
        {
            var groups = (side == "actual" ? outcome.Actual : outcome.Variant).Dimension(attribute);
            string[] columns = [.. Steps.SelectMany(s => new[] { s.Stage, s.From }).Distinct()];
            var table = Cells.Table(groups.Select(g => g.Counts.ByName()), columns);
            table.Complement(groups.Count, columns);
            foreach (var (stage, from) in Steps)
            {
                // Only published groups are compared: a hidden group must not be the reference others are measured by.
                var published = groups.Select((g, i) => (g, i)).Where(x => !table.IsSuppressed(x.i, stage) && !table.IsSuppressed(x.i, from)).ToList();
                var compared = SelectionRates.Compare(published.Select(x => new GroupRate(x.g.Key, table.Raw(x.i, from), table.Raw(x.i, stage))).ToList(), Confidence);
                var byGroup = compared.ToDictionary(c => c.Group, StringComparer.Ordinal);
                var reference = compared.Where(c => c.RatioToHighest == 1.0 && c.FisherP is null && c.Rate is not null).Select(c => c.Group).FirstOrDefault();
                stages.Add(new WhatIfFairnessStage(side, stage, from, reference, groups.Select((g, i) =>
                {
                    if (!byGroup.TryGetValue(g.Key, out var c))
                    {
                        return new WhatIfFairnessGroup(g.Key, table.Value(i, from), table.Value(i, stage), null, null, null, null, null, null, null, null,
                            ["entered", "passed", "rate", "rateLower", "rateUpper", "ratioToHighest", "ratioLower", "ratioUpper", "fisherP", "belowFourFifths"]);
                    }

                    return new WhatIfFairnessGroup(g.Key, (int)c.Entered, (int)c.Passed, c.Rate, c.RateLower, c.RateUpper, c.RatioToHighest, c.RatioLower, c.RatioUpper, c.FisherP, c.BelowFourFifths, []);
                }).ToList()));
            }
        }

        return new WhatIfFairness(attribute, SelectionRates.FourFifths, Confidence, stages);
    }

    private static Dictionary<string, long> Row(OutcomeCounts actual, OutcomeCounts variant, long newly, long noLonger)
    {
        var row = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (name, value) in actual.ByName())
        {
            row["actual." + name] = value;
        }

        foreach (var (name, value) in variant.ByName())
        {
            row["variant." + name] = value;
        }

        row["newlySelected"] = newly;
        row["noLongerSelected"] = noLonger;
        return row;
    }

    private static CountsShown Counts(CellTable t, int i, string side) => new(
        t.Value(i, side + ".registered"), t.Value(i, side + ".ms"), t.Value(i, side + ".skdScored"), t.Value(i, side + ".thresholdMet"),
        t.Value(i, side + ".admittedToSkb"), t.Value(i, side + ".finalPass"), t.Value(i, side + ".referredToPanselnas"),
        t.Value(i, side + ".placedByOptimisation"), t.Value(i, side + ".withdrawn"), t.Value(i, side + ".selected"), t.Value(i, side + ".admittedWithoutSkbResult"));

    private static int? Shown(SmallCells cells, long count) => cells.Hides(count) ? null : checked((int)count);
}
