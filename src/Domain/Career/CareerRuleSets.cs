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

/// <summary>
/// The rules of JPT open selection as data (PermenPANRB 15/2019, PP 11/2017 jo 17/2020, R34–R38).
/// </summary>
public sealed record JptRuleSet(
    string Version,
    DateOnly EffectiveFrom,
    IReadOnlyList<string> Sources,
    PanselRules Pansel,
    RegistrationRules Registration,
    int ShortlistSize,
    IReadOnlyDictionary<JptLevel, JptLevelRequirements> Levels,
    IReadOnlyList<JptStage> Stages,
    decimal ScoreMaximum) : ICareerRuleSet;

/// <summary>R34: an odd number of members in [min, max], internal members at most a share, each holding one of the posts named for the level filled.</summary>
public sealed record PanselRules(int MinimumMembers, int MaximumMembers, bool OddSize, decimal InternalMaximumShare, IReadOnlyDictionary<JptLevel, IReadOnlyList<Post>> InternalPosts);

/// <summary>R35: the minimum applicants per vacancy and the extensions allowed when fewer apply.</summary>
public sealed record RegistrationRules(int MinimumApplicants, int MaximumExtensions, int ExtensionDays);

/// <summary>R36: the eligibility table of one level (brief 3.5).</summary>
public sealed record JptLevelRequirements(IReadOnlyList<Education> Educations, int ExperienceYears, IReadOnlyList<Post> QualifyingPosts, int YearsInPost, int MaximumAge);

/// <summary>A scored stage of the selection and its weight in the total.</summary>
public sealed record JptStage(string Code, string Name, decimal Weight);

/// <summary>Talent management rules (PermenPANRB 3/2020, R39, R40): the default 9-box matrix and the track-record screen.</summary>
public sealed record TalentRuleSet(
    string Version,
    DateOnly EffectiveFrom,
    IReadOnlyList<string> Sources,
    IReadOnlyDictionary<PerformanceLevel, IReadOnlyDictionary<PotentialLevel, int>> Matrix,
    IReadOnlyList<int> SuccessionBoxes,
    TrackRecordRules TrackRecord) : ICareerRuleSet
{
    public TalentMatrix DefaultMatrix => new(Matrix, SuccessionBoxes);
}

/// <summary>R40: a candidate fails with a sentence of these levels or an ethics violation in the last <see cref="Years"/> years.</summary>
public sealed record TrackRecordRules(int Years, IReadOnlyList<DisciplineLevel> FailingLevels, bool EthicsViolationsFail);

/// <summary>One bound on a share (or count) of the employees whose predicate is one of <see cref="Predicates"/>.</summary>
public sealed record DistributionBound(IReadOnlyList<Predicate> Predicates, decimal? MinimumShare = null, decimal? MaximumShare = null, int? MinimumCount = null);

/// <summary>The SKP rules (PermenPANRB 6/2022): the distribution of employee predicates each organisation predicate allows (R33).</summary>
public sealed record SkpRuleSet(string Version, DateOnly EffectiveFrom, IReadOnlyList<string> Sources, IReadOnlyDictionary<OrganisationPredicate, IReadOnlyList<DistributionBound>> Distributions) : ICareerRuleSet;

/// <summary>The weights of the four dimensions of the IP ASN (brief 1.6); they sum to 1.</summary>
public sealed record IpAsnWeights(decimal Qualification, decimal Competence, decimal Performance, decimal Discipline)
{
    public decimal Sum => Qualification + Competence + Performance + Discipline;
}

/// <summary>Competence as the career record evidences it: a latsar pass, ujian dinas passed (up to a count), credit points on record.</summary>
public sealed record IpAsnCompetence(decimal LatsarPassed, decimal PerServiceExam, int ServiceExamsCounted, decimal CreditPoints);

/// <summary>Discipline: the sub-score with no sentence, and per level of the worst sentence within the look-back.</summary>
public sealed record IpAsnDiscipline(decimal None, decimal Light, decimal Medium, decimal Heavy, int LookbackYears);

/// <summary>An IP ASN band from its lower bound on (R03).</summary>
public sealed record IpAsnBand(string Label, decimal From);

/// <summary>
/// Indeks Profesionalitas ASN as a versioned scoring policy (brief 1.6, R03): the dimension weights, the 0–100 sub-score
/// tables read from the career record (qualification by education, competence, the SKP predicate, discipline) and the bands.
/// </summary>
public sealed record IpAsnRuleSet(
    string Version,
    DateOnly EffectiveFrom,
    IReadOnlyList<string> Sources,
    IpAsnWeights Weights,
    IReadOnlyDictionary<string, decimal> Qualification,
    IpAsnCompetence Competence,
    IReadOnlyDictionary<string, decimal> Performance,
    IpAsnDiscipline Discipline,
    IReadOnlyList<IpAsnBand> Bands) : ICareerRuleSet
{
    /// <summary>R03: the band of a total (≥91 Sangat Tinggi … ≤60 Sangat Rendah).</summary>
    public IpAsnBand BandOf(decimal total) => Bands.Where(b => b.From <= total).MaxBy(b => b.From) ?? Bands.MinBy(b => b.From)!;

    public static CareerCatalog<IpAsnRuleSet> Catalog { get; } = new("ip-asn-");
}

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
