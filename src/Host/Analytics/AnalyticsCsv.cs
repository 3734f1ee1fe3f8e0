using Merit.Exports;

namespace Merit.Analytics;

/// <summary>
/// The analytics tables as CSV, written by the one export encoding (<see cref="Csv"/>): invariant numbers, a
/// suppressed value empty with its name in the last column <c>suppressed</c> (names separated by ';').
/// </summary>
public static class AnalyticsCsv
{
    public static string Funnel(FunnelTable t) => Write(
        [Col<FunnelRow>("row", r => ReferenceEquals(r, t.Total) ? "total" : "group"), Col<FunnelRow>(t.By, r => r.Key),
         Col<FunnelRow>("formations", r => r.Formations), Col<FunnelRow>("allocation", r => r.Allocation),
         Col<FunnelRow>("registered", r => r.Registered), Col<FunnelRow>("ms", r => r.Ms), Col<FunnelRow>("skd_threshold_met", r => r.SkdThresholdMet),
         Col<FunnelRow>("admitted_to_skb", r => r.AdmittedToSkb), Col<FunnelRow>("final_pass", r => r.FinalPass), Col<FunnelRow>("nip_issued", r => r.NipIssued),
         Col<FunnelRow>("ms_rate", r => r.MsRate), Col<FunnelRow>("skd_threshold_met_rate", r => r.SkdThresholdMetRate),
         Col<FunnelRow>("admitted_to_skb_rate", r => r.AdmittedToSkbRate), Col<FunnelRow>("final_pass_rate", r => r.FinalPassRate),
         Col<FunnelRow>("nip_issued_rate", r => r.NipIssuedRate), Col<FunnelRow>("vacant_after_final", r => r.VacantAfterFinal),
         Col<FunnelRow>("filled_by_optimisation", r => r.FilledByOptimisation), Col<FunnelRow>("vacated_by_withdrawal", r => r.VacatedByWithdrawal),
         Col<FunnelRow>("vacant_now", r => r.VacantNow), Col<FunnelRow>("placed_elsewhere", r => r.PlacedElsewhere), Col<FunnelRow>("withdrawals", r => r.Withdrawals),
         Col<FunnelRow>("suppressed", r => r.Suppressed)],
        [.. t.Rows, t.Total]);

    public static string Fairness(FairnessTable t) => Write(
        [Col<(FairnessStage S, FairnessGroup G)>("stage", x => x.S.Stage), Col<(FairnessStage S, FairnessGroup G)>("from", x => x.S.From),
         Col<(FairnessStage S, FairnessGroup G)>(t.Attribute, x => x.G.Group), Col<(FairnessStage S, FairnessGroup G)>("entered", x => x.G.Entered),
         Col<(FairnessStage S, FairnessGroup G)>("passed", x => x.G.Passed), Col<(FairnessStage S, FairnessGroup G)>("rate", x => x.G.Rate),
         Col<(FairnessStage S, FairnessGroup G)>("ratio_to_highest", x => x.G.RatioToHighest),
         Col<(FairnessStage S, FairnessGroup G)>("below_four_fifths", x => x.G.BelowFourFifths),
         Col<(FairnessStage S, FairnessGroup G)>("suppressed", x => x.G.Suppressed)],
        t.Stages.SelectMany(s => s.Groups.Select(g => (s, g))).ToList());

    public static string DecisionTimes(DecisionTimesTable t) => Write(
        [Col<DecisionTimeRow>("scope", r => r.Instansi.Length == 0 ? "all" : "instansi"), Col<DecisionTimeRow>("instansi", r => r.Instansi),
         Col<DecisionTimeRow>("stage", r => r.Stage), Col<DecisionTimeRow>("subject", r => r.Subject), Col<DecisionTimeRow>("from", r => r.From),
         Col<DecisionTimeRow>("decisions", r => r.Decisions), Col<DecisionTimeRow>("median_hours", r => r.MedianHours),
         Col<DecisionTimeRow>("p90_hours", r => r.P90Hours), Col<DecisionTimeRow>("suppressed", r => r.Suppressed)],
        [.. t.Rows, .. t.AllInstansi]);

    public static string SkdDistribution(SkdDistributionTable t) => Write(
        [Col<(string Category, string Score, HistogramBin Bin)>("category", x => x.Category), Col<(string Category, string Score, HistogramBin Bin)>("score", x => x.Score),
         Col<(string Category, string Score, HistogramBin Bin)>("from", x => x.Bin.From), Col<(string Category, string Score, HistogramBin Bin)>("to", x => x.Bin.To),
         Col<(string Category, string Score, HistogramBin Bin)>("count", x => x.Bin.Count),
         Col<(string Category, string Score, HistogramBin Bin)>("suppressed", x => x.Bin.Count is null ? "count" : "")],
        t.Categories.SelectMany(c => c.Scores.SelectMany(s => s.Bins.Select(b => (c.Category, s.Score, b)))).ToList());

    public static string CutOffs(CutOffTable t) => Write(
        [Col<CutOffRow>("formation_code", r => r.FormationCode), Col<CutOffRow>("instansi", r => r.Instansi), Col<CutOffRow>("position", r => r.Position),
         Col<CutOffRow>("location", r => r.Location), Col<CutOffRow>("category", r => r.Category), Col<CutOffRow>("allocation", r => r.Allocation),
         Col<CutOffRow>("quota", r => r.Quota), Col<CutOffRow>("skd_participants", r => r.SkdParticipants), Col<CutOffRow>("admitted_to_skb", r => r.AdmittedToSkb),
         Col<CutOffRow>("admitted_on_tie", r => r.AdmittedOnTie), Col<CutOffRow>("cut_off_total", r => r.CutOffTotal), Col<CutOffRow>("passed", r => r.Passed),
         Col<CutOffRow>("passed_on_tie_break", r => r.PassedOnTieBreak), Col<CutOffRow>("referred_to_panselnas", r => r.ReferredToPanselnas),
         Col<CutOffRow>("suppressed", r => r.Suppressed)],
        t.Rows);

    public static string TieBreaks(TieBreakTable t) => Write(
        [Col<TieBreakRow>("row", r => ReferenceEquals(r, t.Total) ? "total" : "group"), Col<TieBreakRow>(t.By, r => r.Key),
         Col<TieBreakRow>("cut_offs_decided", r => r.CutOffsDecided), Col<TieBreakRow>("finals_decided", r => r.FinalsDecided),
         Col<TieBreakRow>("admitted_to_skb", r => r.AdmittedToSkb), Col<TieBreakRow>("admitted_on_tie", r => r.AdmittedOnTie),
         Col<TieBreakRow>("final_pass", r => r.FinalPass), Col<TieBreakRow>("passed_on_tie_break", r => r.PassedOnTieBreak),
         Col<TieBreakRow>("referred_to_panselnas", r => r.ReferredToPanselnas), Col<TieBreakRow>("suppressed", r => r.Suppressed)],
        [.. t.Rows, t.Total]);

    internal static (string Header, Func<T, object?> Value) Col<T>(string header, Func<T, object?> value) => (header, value);

    internal static string Write<T>(IReadOnlyList<(string Header, Func<T, object?> Value)> columns, IReadOnlyList<T> rows) => Csv.Table(columns, rows);
}
