using System.Globalization;
using Merit.Deciding;

namespace Merit.Career;

/// <summary>One condition of a promotion, met or not, with the rule that sets it and what was found.</summary>
/// <param name="Code">Stable code, e.g. <c>years-in-rank</c>.</param>
/// <param name="Rule">The rule of the brief, e.g. R28.</param>
/// <param name="Detail">What was found, in English.</param>
public sealed record PromotionCheck(string Code, string Rule, bool Met, string Detail)
{
    /// <summary>
    /// The detail's English template, the key of its translations (docs/adr/0050), with <see cref="Values"/>; null on
    /// a check recorded before the template was kept, whose <see cref="Detail"/> is said as it was written.
    /// </summary>
    public string? Template { get; init; }

    /// <summary>The template's holes' values, formatted invariantly as <see cref="Detail"/> shows them.</summary>
    public IReadOnlyList<string>? Values { get; init; }

    /// <summary>A check whose detail is kept as its sentence: the English text, and the template and values it is said from in any language.</summary>
    public static PromotionCheck Of(string code, string rule, bool met, Wording detail)
    {
        ArgumentNullException.ThrowIfNull(detail);
        return new(code, rule, met, detail.English)
        {
            Template = detail.Template,
            Values = detail.Arguments.Select(a => a is Wording nested ? nested.English : (string)a).ToList(),
        };
    }

    /// <summary>The detail as a sentence to say in the reader's language; the recorded English where no template was kept.</summary>
    public Wording Sentence() => Template is not null && Values is not null ? new Wording(Template, [.. Values]) : Wording.Literal(Detail);
}

/// <summary>
/// Whether a civil servant may be promoted on a TMT under a regime, and every reason: each condition is listed,
/// met or not, so a refusal names all that is missing at once.
/// </summary>
public sealed record PromotionAssessment(
    Guid ServantId,
    string InstansiCode,
    DateOnly Tmt,
    string RuleSetVersion,
    PromotionRoute Route,
    Rank From,
    Rank? To,
    IReadOnlyList<PromotionCheck> Checks)
{
    public bool Eligible => Checks.All(c => c.Met);

    public IEnumerable<PromotionCheck> Unmet => Checks.Where(c => !c.Met);
}

/// <summary>The regime in force for a TMT, or why there is none or the date is not allowed (R32).</summary>
public sealed record RegimeLookup(PromotionRuleSet? Rules, Refusal? Refusal);

/// <summary>
/// Promotion eligibility (kenaikan pangkat) as a pure function of the career record, the TMT and the regime:
/// R28 regular, R29 functional, R30 ujian dinas, R31 discipline, R32 allowed dates, R46 blocks.
/// </summary>
public static class PromotionEligibility
{
    /// <summary>JF holders are promoted by the functional route (R29); everyone else by the regular route (R28).</summary>
    public static PromotionRoute RouteOf(CareerRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return record.Position is { Kind: PositionKind.Fungsional, FunctionalLevel: not null } ? PromotionRoute.Functional : PromotionRoute.Regular;
    }

    /// <summary>The regime whose effective date is the latest on or before <paramref name="tmt"/>, refused when the TMT is not one of its allowed dates (R32).</summary>
    public static RegimeLookup RegimeFor(DateOnly tmt)
    {
        if (CareerRuleSets.Promotion.InForceOn(tmt) is not { } rules)
        {
            return new RegimeLookup(null, new Refusal(RefusalKind.Invalid, "promotion.no-regime", $"No promotion regime is in force on {Iso(tmt)}.", "tmt"));
        }

        if (!rules.AllowsTmt(tmt))
        {
            return new RegimeLookup(rules, new Refusal(
                RefusalKind.Rule,
                "promotion.tmt-not-allowed",
                $"{Iso(tmt)} is not a promotion TMT under {rules.Version}: the 1st of {MonthList(rules)} (R32).",
                "tmt"));
        }

        return new RegimeLookup(rules, null);
    }

    /// <summary>
    /// The first allowed TMT on or after <paramref name="from"/>: the 1st of a month that the regime in force on
    /// that date allows (R32), or, with <paramref name="regime"/>, under that regime alone.
    /// </summary>
    public static DateOnly? NextAllowedTmt(DateOnly from, PromotionRuleSet? regime = null)
    {
        var candidate = from.Day == 1 ? from : new DateOnly(from.Year, from.Month, 1).AddMonths(1);
        for (var i = 0; i < 24; i++, candidate = candidate.AddMonths(1))
        {
            if ((regime ?? CareerRuleSets.Promotion.InForceOn(candidate)) is { } rules && rules.AllowsTmt(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>The earliest TMT at which the time-in-rank condition of the civil servant's route is met (R28, R29, R32).</summary>
    public static DateOnly? EarliestTmt(CareerRecord record, PromotionRuleSet? regime = null)
    {
        ArgumentNullException.ThrowIfNull(record);
        var years = RouteOf(record) == PromotionRoute.Functional
            ? (regime ?? CareerRuleSets.Promotion.RuleSets[^1]).Functional.YearsInRank
            : (regime ?? CareerRuleSets.Promotion.RuleSets[^1]).Regular.YearsInRank;
        return NextAllowedTmt(record.RankSince.AddYears(years), regime);
    }

    public static PromotionAssessment Assess(CareerRecord record, DateOnly tmt, PromotionRuleSet rules)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(rules);
        var route = RouteOf(record);
        var routeRules = route == PromotionRoute.Functional ? rules.Functional : rules.Regular;
        var routeRule = route == PromotionRoute.Functional ? "R29" : "R28";
        var to = record.Rank.Next;
        var checks = new List<PromotionCheck>
        {
            PromotionCheck.Of("status", routeRule, record.Status == ServantStatus.Pns, record.Status == ServantStatus.Pns ? Wording.Of("PNS") : Wording.Of($"status {record.Status}: only a PNS is promoted")),
            PromotionCheck.Of("tmt", "R32", rules.AllowsTmt(tmt), rules.AllowedTmtMonths.Count == 12
                ? Wording.Of($"TMT {Iso(tmt)} under {rules.Version}: the 1st of any month")
                : Wording.Of($"TMT {Iso(tmt)} under {rules.Version}: the 1st of {MonthList(rules)}")),
        };

        var inRankUntil = record.RankSince.AddYears(routeRules.YearsInRank);
        checks.Add(PromotionCheck.Of("years-in-rank", routeRule, inRankUntil <= tmt, Wording.Of($"{record.Rank} since {Iso(record.RankSince)}: {routeRules.YearsInRank} years reached on {Iso(inRankUntil)}")));
        checks.Add(Predicates(record, tmt, routeRules.PredicateYears, rules, routeRule));

        if (to is not { } target)
        {
            checks.Add(PromotionCheck.Of("next-rank", routeRule, false, Wording.Of($"{record.Rank} is the highest rank")));
            return new PromotionAssessment(record.Id, record.InstansiCode, tmt, rules.Version, route, record.Rank, null, checks);
        }

        if (route == PromotionRoute.Regular)
        {
            checks.Add(EducationCeiling(record, tmt, target, rules));
            checks.Add(SuperiorRank(record, target, rules));
        }
        else
        {
            var level = record.Position!.FunctionalLevel!.Value;
            var band = rules.FunctionalLevels[level];
            checks.Add(PromotionCheck.Of("jf-band", "R29", target >= band.Lowest && target <= band.Highest, target <= band.Highest
                ? Wording.Of($"JF {level} spans {band.Lowest}–{band.Highest}; {target} is within it")
                : Wording.Of($"JF {level} spans {band.Lowest}–{band.Highest}; {target} needs a higher JF level (kenaikan jenjang)")));
            var points = record.CreditPoints?.Total ?? 0m;
            checks.Add(PromotionCheck.Of("credit-points", "R29", points >= band.CreditPoints, Wording.Of($"angka kredit {points} of the {band.CreditPoints} required for JF {level}")));
        }

        checks.Add(ServiceExam(record, tmt, target, rules));
        var sentence = record.Sentences.FirstOrDefault(s => s.ActiveOn(tmt));
        checks.Add(PromotionCheck.Of("discipline", "R31", sentence is null, sentence is null
            ? Wording.Of("no disciplinary sentence in force on the TMT")
            : Wording.Of($"serving a {sentence.Level} disciplinary sentence ({sentence.DecreeNumber}) {Iso(sentence.Start)}–{Iso(sentence.Until)}")));
        checks.Add(PromotionCheck.Of("block", "R46", !record.IsBlocked, record.IsBlocked ? Wording.Of($"data/services blocked by BKN ({string.Join(", ", record.Blocks)})") : Wording.Of("no BKN block")));
        return new PromotionAssessment(record.Id, record.InstansiCode, tmt, rules.Version, route, record.Rank, target, checks);
    }

    /// <summary>The highest education held on <paramref name="date"/>: the one with the highest promotion ceiling.</summary>
    public static Education? HighestEducation(CareerRecord record, DateOnly date, PromotionRuleSet rules)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(rules);
        return record.EducationsOn(date).Select(e => (Education?)e.Education).MaxBy(e => rules.CeilingFor(e!.Value).Step);
    }

    private static PromotionCheck Predicates(CareerRecord record, DateOnly tmt, int years, PromotionRuleSet rules, string rule)
    {
        var found = Enumerable.Range(1, years).Select(back => tmt.Year - back).Select(y => (Year: y, Predicate: record.PredicateOf(y))).ToList();
        var met = found.All(f => f.Predicate is { } p && rules.AcceptablePredicates.Contains(p));
        var detail = string.Join(", ", found.Select(f => string.Create(CultureInfo.InvariantCulture, $"SKP {f.Year}: {f.Predicate?.ToString() ?? "none recorded"}")));
        return PromotionCheck.Of("predicates", rule, met, Wording.Of($"{detail}; {years} years at least {string.Join(" or ", rules.AcceptablePredicates)} needed"));
    }

    private static PromotionCheck EducationCeiling(CareerRecord record, DateOnly tmt, Rank target, PromotionRuleSet rules)
    {
        if (HighestEducation(record, tmt, rules) is not { } education)
        {
            return PromotionCheck.Of("education-ceiling", "R28", false, Wording.Of("no education recorded"));
        }

        var ceiling = rules.CeilingFor(education);
        return PromotionCheck.Of("education-ceiling", "R28", target <= ceiling, Wording.Of($"{education} reaches {ceiling} by regular promotion; the target is {target}"));
    }

    private static PromotionCheck SuperiorRank(CareerRecord record, Rank target, PromotionRuleSet rules)
    {
        if (!rules.SuperiorRankRule)
        {
            return PromotionCheck.Of("superior-rank", "R28", true, Wording.Of($"not applied under {rules.Version}: revoked by Peraturan BKN 2/2025 from 20 May 2025"));
        }

        return record.Position?.SuperiorRank is { } superior
            ? PromotionCheck.Of("superior-rank", "R28", target <= superior, Wording.Of($"the direct superior's rank is {superior}; the target is {target} (in force before 20 May 2025)"))
            : PromotionCheck.Of("superior-rank", "R28", false, Wording.Of("the direct superior's rank is not recorded; it may not be exceeded before 20 May 2025"));
    }

    private static PromotionCheck ServiceExam(CareerRecord record, DateOnly tmt, Rank target, PromotionRuleSet rules)
    {
        if (rules.ServiceExams.FirstOrDefault(c => c.From == record.Rank && c.To == target) is not { } crossing)
        {
            return PromotionCheck.Of("service-exam", "R30", true, Wording.Of($"{record.Rank} → {target} crosses no golongan that needs an ujian dinas"));
        }

        var passed = record.ServiceExams.FirstOrDefault(e => e.Level == crossing.Level && e.On <= tmt);
        return PromotionCheck.Of("service-exam", "R30", passed is not null, passed is null
            ? Wording.Of($"{record.Rank} → {target} needs ujian dinas tingkat {crossing.Level}, not passed")
            : passed.ExemptionReason is { } reason
                ? Wording.Of($"exempt from ujian dinas tingkat {crossing.Level}: {reason}")
                : Wording.Of($"ujian dinas tingkat {crossing.Level} passed on {Iso(passed.On)}"));
    }

    internal static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string MonthList(PromotionRuleSet rules) => rules.AllowedTmtMonths.Count == 12
        ? "any month"
        : string.Join(" or ", rules.AllowedTmtMonths.Select(m => CultureInfo.InvariantCulture.DateTimeFormat.GetMonthName(m)));
}
