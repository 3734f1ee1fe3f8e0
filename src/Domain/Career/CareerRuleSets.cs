using System.Collections.Frozen;
using Merit.Deciding;

namespace Merit.Career;

/// <summary>A career rule set: a versioned document of rules in force from <see cref="EffectiveFrom"/> until the next version of its kind.</summary>
public interface ICareerRuleSet
{
    string Version { get; }

    DateOnly EffectiveFrom { get; }

    IReadOnlyList<string> Sources { get; }
}

/// <summary>
/// One regime of promotion (kenaikan pangkat) rules as data, R28–R32. The regime in force for a promotion is the
/// one whose <see cref="EffectiveFrom"/> is the latest on or before the promotion's TMT; every promotion decision
/// names its <see cref="Version"/>.
/// </summary>
/// <param name="AllowedTmtMonths">Months whose 1st is an allowed promotion TMT (R32): 4 and 10 before 1 Oct 2025, all twelve from then.</param>
/// <param name="SuperiorRankRule">Whether a regular promotion may not exceed the direct superior's rank (R28; revoked 20 May 2025).</param>
/// <param name="AcceptablePredicates">The SKP predicates that count as "at least baik".</param>
/// <param name="EducationCeilings">The highest rank regular promotion reaches with each education (R28).</param>
/// <param name="ServiceExams">Crossings that need a passed ujian dinas, unless exempt (R30).</param>
/// <param name="FunctionalLevels">Per JF level: the rank band and the credit points a promotion within it needs (R29).</param>
public sealed record PromotionRuleSet(
    string Version,
    DateOnly EffectiveFrom,
    IReadOnlyList<string> Sources,
    IReadOnlyList<int> AllowedTmtMonths,
    bool SuperiorRankRule,
    RouteRules Regular,
    RouteRules Functional,
    IReadOnlyList<Predicate> AcceptablePredicates,
    IReadOnlyDictionary<Education, Rank> EducationCeilings,
    IReadOnlyList<ServiceExamCrossing> ServiceExams,
    IReadOnlyDictionary<FunctionalLevel, FunctionalBand> FunctionalLevels) : ICareerRuleSet
{
    /// <summary>Whether <paramref name="date"/> is an allowed TMT under this regime (R32): the 1st of an allowed month.</summary>
    public bool AllowsTmt(DateOnly date) => date.Day == 1 && AllowedTmtMonths.Contains(date.Month);

    public Rank CeilingFor(Education education) => EducationCeilings[education];
}

/// <summary>Minimum years in the current rank and the number of past SKP years that must be at least baik.</summary>
public sealed record RouteRules(int YearsInRank, int PredicateYears);

/// <summary>A promotion from <see cref="From"/> to <see cref="To"/> needs ujian dinas <see cref="Level"/>.</summary>
public sealed record ServiceExamCrossing(Rank From, Rank To, ServiceExamLevel Level);

/// <summary>The ranks a JF level spans (configurable, brief 3.4 and 8.5) and the credit points (angka kredit) for a promotion within it.</summary>
public sealed record FunctionalBand(Rank Lowest, Rank Highest, decimal CreditPoints);

/// <summary>Appointment rules (R19): CPNS probation, latsar, and the entry rank of each education.</summary>
public sealed record AppointmentRuleSet(
    string Version,
    DateOnly EffectiveFrom,
    IReadOnlyList<string> Sources,
    int ProbationYears,
    int LatsarWorkingDays,
    int LatsarLessonHours,
    IReadOnlyDictionary<Education, Rank> EntryRanks) : ICareerRuleSet;

/// <summary>The career rule sets Merit ships, read from the JSON documents beside this file (<see cref="RuleDocuments"/>).</summary>
public static class CareerRuleSets
{
    public static CareerCatalog<PromotionRuleSet> Promotion { get; } = new("promotion-");

    public static CareerCatalog<AppointmentRuleSet> Appointment { get; } = new("appointment-");

    public static CareerCatalog<JptRuleSet> Jpt { get; } = new("jpt-");

    public static CareerCatalog<TalentRuleSet> Talent { get; } = new("talent-");

    public static CareerCatalog<SkpRuleSet> Skp { get; } = new("skp-");

    /// <summary>Every career rule set, for listing with their sources.</summary>
    public static IEnumerable<ICareerRuleSet> All =>
        Promotion.RuleSets.Cast<ICareerRuleSet>().Concat(Appointment.RuleSets).Concat(Jpt.RuleSets).Concat(Talent.RuleSets).Concat(Skp.RuleSets);
}

/// <summary>The versions of one kind of career rule set, ordered by the date each took effect.</summary>
public sealed class CareerCatalog<T>
    where T : class, ICareerRuleSet
{
    private readonly Lazy<(FrozenDictionary<string, T> ByVersion, T[] ByDate)> all;

    internal CareerCatalog(string resourcePrefix) => all = new(() => Load(resourcePrefix));

    /// <summary>Oldest first.</summary>
    public IReadOnlyList<T> RuleSets => all.Value.ByDate;

    public T? Find(string version) => all.Value.ByVersion.GetValueOrDefault(version);

    /// <exception cref="KeyNotFoundException">No such version.</exception>
    public T Get(string version) => Find(version) ?? throw new KeyNotFoundException($"No career rule set '{version}'.");

    /// <summary>The version in force on <paramref name="date"/>, or null before the first took effect.</summary>
    public T? InForceOn(DateOnly date) => all.Value.ByDate.LastOrDefault(r => r.EffectiveFrom <= date);

    private static (FrozenDictionary<string, T>, T[]) Load(string prefix)
    {
        var sets = RuleDocuments.Load<T>("Career", prefix);
        return (sets.ToFrozenDictionary(s => s.Version, StringComparer.Ordinal), sets.OrderBy(s => s.EffectiveFrom).ToArray());
    }
}
