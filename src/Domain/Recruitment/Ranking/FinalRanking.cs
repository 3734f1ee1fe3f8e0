using System.Globalization;
using static System.FormattableString;

namespace Merit.Recruitment.Ranking;

/// <summary>
/// The announced result codes (brief 2.8): every applicant of a formation ends with one, whatever stage they reached.
/// </summary>
public enum FinalStatus
{
    /// <summary>P/L: passed, within the formation's allocation.</summary>
    PL,
    /// <summary>Tidak lulus: ranked and not passed, or below the SKD threshold.</summary>
    TL,
    /// <summary>Tidak hadir: recorded absent from the SKD or the SKB.</summary>
    TH,
    /// <summary>Diskualifikasi: disqualified.</summary>
    DIS,
    /// <summary>Mengundurkan diri: withdrew after passing.</summary>
    APS,
    /// <summary>Tidak memenuhi syarat: not qualified in the administrative selection (after appeals).</summary>
    TMS,
    /// <summary>P: met the SKD threshold but ranked beyond the SKB quota (R13).</summary>
    P,
    /// <summary>P/L-2: passed by optimisation into another formation (R17), with its sub-code.</summary>
    PL2,
}

public static class FinalStatusCodes
{
    /// <summary>The code as announced: P/L, P/L-2, TL, TH, TMS, P, APS, DIS.</summary>
    public static string Code(this FinalStatus status) => status switch
    {
        FinalStatus.PL => "P/L",
        FinalStatus.PL2 => "P/L-2",
        _ => status.ToString(),
    };
}

/// <summary>
/// An SKB participant of one formation as the integration needs it. <see cref="SkbScore"/> (0–100, at most two
/// decimals) is null when the applicant was absent (TH). <see cref="PresetStatus"/> is TH, DIS or APS when
/// already known, otherwise null. The birth date only breaks the last tie (older first) and never leaves this
/// function; it is null when the applicant's personal data was erased (docs/adr/0014). <see cref="Shortfalls"/> is
/// set for a test taker below the threshold where there is no SKB to filter them first (PPPK, R20): listed TL, unranked.
/// </summary>
public sealed record FinalCandidate(Guid ApplicationId, string RegistrationNumber, SkdScore Skd, decimal? SkbScore, decimal? Gpa, DateOnly? BirthDate, FinalStatus? PresetStatus, IReadOnlyList<string>? Shortfalls = null);

/// <summary>
/// One applicant's line in the final list; <see cref="FinalScore"/> (3 decimals, display only) and <see cref="Rank"/> are
/// null for those not ranked (TH, DIS, TMS, P, and TL below the threshold); <see cref="SkdTotal"/> is null for those
/// without an SKD score (TMS, TH at the SKD). <see cref="TiedAcrossLastPlace"/>: tied on every criterion across the
/// last place, referred to Panselnas.
/// </summary>
public sealed record FinalEntry(Guid ApplicationId, string RegistrationNumber, int? SkdTotal, decimal? SkbScore, decimal? FinalScore, int? Rank, FinalStatus Status, string Reason, bool TiedAcrossLastPlace = false);

/// <summary>
/// The final result of one formation. <see cref="UnresolvedTieAtBoundary"/>: applicants tied on every criterion
/// across the last place were not passed and are referred to Panselnas, so <see cref="Passed"/> is then below
/// the allocation.
/// </summary>
public sealed record FinalResult(int Allocation, int Passed, bool UnresolvedTieAtBoundary, IReadOnlyList<FinalEntry> Entries);

/// <summary>
/// Integrasi nilai and the final ranking per formation (R14–R16, brief 2.7, PermenPANRB 6/2024 Pasal 45(4)):
/// exact final score, then SKD total, then TKP, TIU, TWK, then IPK, then the older applicant; the top allocation
/// pass (P/L), the other ranked applicants are TL.
/// </summary>
public static class FinalRanking
{
    public const string ReferredToPanselnas = "tied on every criterion across the last place; referred to Panselnas";

    public static FinalResult Decide(IReadOnlyList<FinalCandidate> candidates, int allocation, RuleSet rules)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentOutOfRangeException.ThrowIfNegative(allocation);
        CompetitionRanking.RequireDistinct(candidates, c => c.ApplicationId, c => c.RegistrationNumber, nameof(candidates));
        foreach (var candidate in candidates)
        {
            Validate(candidate, nameof(candidates));
        }

        var tieBreaks = TieBreaks(rules);
        var hasSkb = rules.HasStage(RoundStage.Skb);
        bool Ranked(FinalCandidate c) => c.PresetStatus is null && c.Shortfalls is null && (c.SkbScore is not null || !hasSkb);
        var groups = CompetitionRanking.Rank(
            candidates.Where(Ranked).Select(c => Score(c, rules)),
            (a, b) => Compare(tieBreaks, a, b),
            s => s.Candidate.RegistrationNumber);

        var entries = new List<FinalEntry>(candidates.Count);
        var unresolved = false;
        for (var g = 0; g < groups.Count; g++)
        {
            var group = groups[g];
            var straddles = group.Rank <= allocation && group.LastPosition > allocation;
            unresolved |= straddles;
            var passes = group.LastPosition <= allocation;
            foreach (var scored in group.Members)
            {
                var details = passes || straddles
                    ? Invariant($"rank {group.Rank} of allocation {allocation}, final {Display(scored.Rounded)}")
                    : Invariant($"rank {group.Rank} beyond allocation {allocation}, final {Display(scored.Rounded)}");
                var trace = Trace(tieBreaks, scored, group, g > 0 ? groups[g - 1] : null, g + 1 < groups.Count ? groups[g + 1] : null);
                var reason = straddles
                    ? $"{ReferredToPanselnas} ({string.Join("; ", trace.Prepend(details))})"
                    : (passes ? "passed: " : "not passed: ") + details + (trace.Count == 0 ? "" : $" ({string.Join("; ", trace)})");
                entries.Add(new FinalEntry(
                    scored.Candidate.ApplicationId,
                    scored.Candidate.RegistrationNumber,
                    scored.Candidate.Skd.Total,
                    scored.Candidate.SkbScore,
                    scored.Rounded,
                    group.Rank,
                    passes ? FinalStatus.PL : FinalStatus.TL,
                    reason,
                    straddles));
            }
        }

        foreach (var candidate in candidates.Where(c => !Ranked(c)).OrderBy(c => c.RegistrationNumber, StringComparer.Ordinal))
        {
            var status = candidate.PresetStatus ?? (candidate.Shortfalls is null ? FinalStatus.TH : FinalStatus.TL);
            var reason = status switch
            {
                FinalStatus.TH => "absent from SKB (TH)",
                FinalStatus.TL => $"not passed: below threshold ({string.Join(", ", candidate.Shortfalls!)}, rule set {rules.Version})",
                FinalStatus.DIS => "disqualified (DIS)",
                _ => "withdrew (APS)",
            };
            entries.Add(new FinalEntry(candidate.ApplicationId, candidate.RegistrationNumber, candidate.Skd.Total, candidate.SkbScore, null, null, status, reason));
        }

        return new FinalResult(allocation, entries.Count(e => e.Status == FinalStatus.PL), unresolved, entries);
    }

    private static void Validate(FinalCandidate candidate, string paramName)
    {
        if (candidate.PresetStatus is FinalStatus.PL or FinalStatus.TL)
        {
            throw new ArgumentException($"Application {candidate.RegistrationNumber}: P/L and TL are decided by the ranking, not preset; a preset status is TH, DIS or APS.", paramName);
        }

        if (candidate.SkbScore is { } skb && (skb < 0m || skb > 100m || decimal.Round(skb, 2) != skb))
        {
            throw new ArgumentOutOfRangeException(paramName, skb, $"Application {candidate.RegistrationNumber}: an SKB score is 0 to 100 with at most two decimals.");
        }
    }

    /// <summary>A ranked candidate with its exact scaled final (for comparison) and rounded final (for display).</summary>
    private sealed record Scored(FinalCandidate Candidate, decimal Scaled, decimal Rounded);

    private static Scored Score(FinalCandidate candidate, RuleSet rules)
    {
        // Without an SKB (PPPK) its weight is 0 and the score absent.
        var scaled = FinalScore.Scaled(candidate.Skd.Total, candidate.SkbScore ?? 0m, rules);
        return new Scored(candidate, scaled, FinalScore.Rounded(scaled, rules));
    }

    /// <summary>
    /// One tie-break criterion of R15: <see cref="Compare"/> is negative when the first ranks higher;
    /// <see cref="Explain"/> says how it separates two applicants, from the first one's side, without personal data.
    /// </summary>
    private sealed record TieBreak(Comparison<FinalCandidate> Compare, Func<FinalCandidate, FinalCandidate, string> Explain);

    /// <summary>R15 in order. The subtests follow the rule set's cut-off order (TKP, TIU, TWK), the same order Pasal 45(4) names.</summary>
    private static List<TieBreak> TieBreaks(RuleSet rules)
    {
        var tieBreaks = new List<TieBreak>
        {
            new((a, b) => b.Skd.Total.CompareTo(a.Skd.Total), (a, b) => Versus($"{rules.Skd.Name} total", a.Skd.Total, b.Skd.Total)),
        };
        foreach (var code in rules.Skd.CutOffOrder)
        {
            tieBreaks.Add(new((a, b) => b.Skd[code].CompareTo(a.Skd[code]), (a, b) => Versus(code, a.Skd[code], b.Skd[code])));
        }

        // IPK, or the certificate average for SMA graduates; none ranks lowest.
        tieBreaks.Add(new(
            (a, b) => Nullable.Compare(b.Gpa, a.Gpa),
            (a, b) => $"GPA {Gpa(a.Gpa)} {(Nullable.Compare(a.Gpa, b.Gpa) > 0 ? ">" : "<")} {Gpa(b.Gpa)}"));

        // Older first: the earlier birth date ranks higher. The explanation never shows the date. An erased birth
        // date cannot claim seniority: it ranks after every known one, and two erased ones stay tied (docs/adr/0014).
        tieBreaks.Add(new(
            (a, b) => (a.BirthDate ?? DateOnly.MaxValue).CompareTo(b.BirthDate ?? DateOnly.MaxValue),
            (a, b) => (a.BirthDate, b.BirthDate) switch
            {
                (null, _) => "birth date erased, after a known one",
                (_, null) => "known birth date, before an erased one",
                var (x, y) => x < y ? "older applicant" : "younger applicant",
            }));
        return tieBreaks;
    }

    /// <summary>R14 then R15: the exact final score, then the tie-breaks; negative when <paramref name="a"/> ranks higher.</summary>
    private static int Compare(List<TieBreak> tieBreaks, Scored a, Scored b)
    {
        var byFinal = b.Scaled.CompareTo(a.Scaled);
        if (byFinal != 0)
        {
            return byFinal;
        }

        foreach (var tieBreak in tieBreaks)
        {
            var comparison = tieBreak.Compare(a.Candidate, b.Candidate);
            if (comparison != 0)
            {
                return comparison;
            }
        }

        return 0;
    }

    /// <summary>
    /// The tie-break trace an auditor needs: against the neighbouring group above and below, when its final score
    /// is exactly equal, the first criterion that separated them; and who shares every criterion.
    /// </summary>
    private static List<string> Trace(List<TieBreak> tieBreaks, Scored scored, RankGroup<Scored> group, RankGroup<Scored>? above, RankGroup<Scored>? below)
    {
        var trace = new List<string>();
        foreach (var neighbour in new[] { above?.Members[^1], below?.Members[0] })
        {
            if (neighbour is not null && neighbour.Scaled == scored.Scaled)
            {
                var separating = tieBreaks.First(t => t.Compare(scored.Candidate, neighbour.Candidate) != 0);
                trace.Add($"tie on final broken by {separating.Explain(scored.Candidate, neighbour.Candidate)} with {neighbour.Candidate.RegistrationNumber}");
            }
        }

        if (group.Members.Count > 1)
        {
            var others = group.Members.Where(m => !ReferenceEquals(m, scored)).Select(m => m.Candidate.RegistrationNumber);
            trace.Add($"tied on every criterion with {string.Join(", ", others)}");
        }

        return trace;
    }

    private static string Versus(string label, int a, int b) => Invariant($"{label} {a} {(a > b ? ">" : "<")} {b}");

    private static string Display(decimal rounded) => rounded.ToString("0.000", CultureInfo.InvariantCulture);

    private static string Gpa(decimal? gpa) => gpa?.ToString(CultureInfo.InvariantCulture) ?? "none";
}
