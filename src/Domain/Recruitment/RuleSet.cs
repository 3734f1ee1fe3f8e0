using System.Collections.Frozen;
using Merit.Deciding;

namespace Merit.Recruitment;

/// <summary>
/// The rules of one selection year as data (brief section 2, R08–R18): the SKD blueprint, the thresholds per
/// formation category, quotas, weights, appeal windows. A new year is a new document, never an edit; every
/// decision event names the <see cref="Version"/> it applied, so a replay can tell which rules were in force.
/// </summary>
public sealed record RuleSet(
    string Version,
    SelectionKind Kind,
    int Year,
    IReadOnlyList<string> Sources,
    SkdBlueprint Skd,
    IReadOnlyDictionary<string, Threshold> Thresholds,
    int SkbQuotaMultiplier,
    FinalWeights FinalWeights,
    SkbComponentLimits? SkbComponents,
    AppealRules Appeal,
    int WithdrawalBanYears,
    AgeLimits AgeLimits,
    CertificateReuse? CertificateReuse = null,
    IReadOnlyList<RoundStage>? Stages = null,
    EmployeeNumber EmployeeNumber = EmployeeNumber.Nip)
{
    /// <summary>The zone every date and window of a round under this rule set is read in, unless the round names its own.</summary>
    public RoundTimeZone TimeZone { get; init; } = RoundTimeZone.WIB;

    /// <summary>The windows the rule set's year announced (the 2024 calendar, brief 2.2); null where none is known.</summary>
    public RoundCalendar? Calendar { get; init; }

    /// <summary>Education levels ranked for "meets the formation's requirement" (brief 2.3, 3.1); null: exact match only.</summary>
    public EducationRanks? Education { get; init; }

    /// <summary>Optimalisasi (R17): the sub-codes of the placements (brief 2.8); null where the rule set has no optimisation.</summary>
    public OptimisationCodes? Optimisation { get; init; }

    /// <summary>The threshold that applies to a formation category, or null when this rule set has none for it.</summary>
    public Threshold? ThresholdFor(FormationCategory category) =>
        Thresholds.TryGetValue(category.Code(), out var threshold) ? threshold : null;

    /// <summary>The share (percent) of IKN-placement formations reserved for putra/putri Kalimantan (R43); null where none applies.</summary>
    public int? IknKalimantanSharePercent { get; init; }

    /// <summary>
    /// The stages a round under this rule set passes through, in order (R05): every stage unless the rule set lists
    /// its own, as PPPK does, whose one competence test (in stage Skd) has no SKB after it.
    /// </summary>
    public IReadOnlyList<RoundStage> StageOrder => Stages ?? Enum.GetValues<RoundStage>();

    public bool HasStage(RoundStage stage) => StageOrder.Contains(stage);

    /// <summary>Every component code the thresholds and the ranking order name exists in the blueprint; null when so.</summary>
    public string? Inconsistency()
    {
        var codes = Skd.Subtests.Select(s => s.Code).ToHashSet(StringComparer.Ordinal);
        var named = Thresholds.Values.SelectMany(t => t.SubtestMinimums.Keys).Concat(Skd.CutOffOrder);
        if (named.SelectMany(n => n.Split('+')).FirstOrDefault(code => !codes.Contains(code)) is { } unknown)
        {
            return $"names the component {unknown}, which its blueprint lacks";
        }

        if (Skd.CertificateBonus is { } bonus && !codes.Contains(bonus.Component))
        {
            return $"gives a certificate bonus on {bonus.Component}, which its blueprint lacks";
        }

        if (Calendar?.Registration is { } registration && registration.Opens > registration.Closes)
        {
            return "has a registration window that closes before it opens";
        }

        var order = StageOrder;
        if (order.Count == 0 || order[0] != RoundStage.Announcement || order[^1] != RoundStage.Closed || order.Zip(order.Skip(1)).Any(p => p.First >= p.Second))
        {
            return "lists its stages out of order, or without Announcement first and Closed last";
        }

        return null;
    }
}

/// <summary>The number an appointed passer receives: NIP for a PNS candidate, NI PPPK for a PPPK (brief 5.1, 5.2).</summary>
public enum EmployeeNumber
{
    /// <summary>Nomor Induk Pegawai (R22, R23).</summary>
    Nip,
    /// <summary>Nomor Induk PPPK (R26), issued instead of the NIP.</summary>
    NiPppk,
}

/// <summary>CPNS (civil servant candidates) or PPPK (government employees on contract).</summary>
public enum SelectionKind
{
    Cpns,
    Pppk,
}

/// <summary>
/// The round's computer-based test: for CPNS the SKD (Seleksi Kompetensi Dasar), for PPPK the competence test —
/// its components (subtests), their question counts and maxima (R08), the order of the components that break a
/// tie after the total (a group written <c>A+B</c>), and the certificate bonus where one exists (R21).
/// </summary>
public sealed record SkdBlueprint(IReadOnlyList<Subtest> Subtests, IReadOnlyList<string> CutOffOrder, CertificateBonus? CertificateBonus = null, string Name = "SKD")
{
    public int Maximum => Subtests.Sum(s => s.Maximum);

    public Subtest this[string code] => Subtests.Single(s => s.Code == code);
}

/// <summary>
/// One subtest: TWK and TIU score 5 per correct answer (step 5); TKP 1–5 per answered item (step 1).
/// <see cref="Column"/> names it in a results file (default: the code in lower case).
/// </summary>
public sealed record Subtest(string Code, string Name, int Questions, int Maximum, int Step, string? Column = null)
{
    public string FileColumn => Column ?? Code.ToLowerInvariant();
}

/// <summary>
/// Nilai tambahan sertifikat kompetensi (R21, PermenPANRB 6/2024): points added to the total, at most
/// <see cref="MaximumShare"/> of the maximum of <see cref="Component"/>; <see cref="Column"/> names it in a results file.
/// </summary>
public sealed record CertificateBonus(string Component, decimal MaximumShare, string Column)
{
    /// <summary>The cap in whole points, rounded down so that it never exceeds the share.</summary>
    public int Cap(SkdBlueprint blueprint)
    {
        ArgumentNullException.ThrowIfNull(blueprint);
        return (int)decimal.Floor(MaximumShare * blueprint[Component].Maximum);
    }
}

/// <summary>Nilai ambang batas: minimum per subtest and, for the special categories, a minimum total (R09–R11).</summary>
public sealed record Threshold(IReadOnlyDictionary<string, int> SubtestMinimums, int? TotalMinimum = null);

/// <summary>
/// Integration weights: final = SKD weight × (SKD/max × 100) + SKB weight × SKB (R14). With
/// <see cref="ScaleSkdTo100"/> false the test total enters as it is, so a PPPK round (weights 1 and 0) ranks by
/// its competence total.
/// </summary>
public sealed record FinalWeights(decimal Skd, decimal Skb, bool ScaleSkdTo100 = true);

/// <summary>Limits on SKB component weights (brief 2.7, conflict 8.2): configurable per rule set.</summary>
public sealed record SkbComponentLimits(decimal CatMinimumWeight, decimal AdditionalMaximumWeight, decimal InterviewMaximumWeight);

/// <summary>
/// Sanggah (R07): one appeal per window, filed within <see cref="WindowDays"/> calendar days from the day the window
/// opens, closing at the end of its last day in the round's zone; the instansi answers by the end of the window's last
/// day plus <see cref="AdministrativeAnswerDays"/> (administrative window) or <see cref="FinalAnswerDays"/> (final
/// window); an accepted appeal is re-announced by the end of the <see cref="ReannouncementDays"/>th day after the close.
/// </summary>
public sealed record AppealRules(int WindowDays, int ReannouncementDays, int AdministrativeAnswerDays = 0, int FinalAnswerDays = 0)
{
    public int AnswerDays(AppealWindow window) => window == AppealWindow.Administrative ? AdministrativeAnswerDays : FinalAnswerDays;
}

/// <summary>
/// Age at application (R06): <see cref="Minimum"/> to <see cref="Maximum"/> years, up to <see cref="ExtendedMaximum"/>
/// for formations whose position kind is one of <see cref="ExtendedFor"/> (the professions Keppres 17/2019 names).
/// </summary>
public sealed record AgeLimits(int Minimum, int Maximum, int ExtendedMaximum, IReadOnlyList<string>? ExtendedFor = null)
{
    /// <summary>The position kinds the rule set knows: those with the extended maximum.</summary>
    public IReadOnlyList<string> PositionKinds => ExtendedFor ?? [];

    /// <summary>The oldest age accepted for a formation of <paramref name="positionKind"/> (null: a position with no kind).</summary>
    public int MaximumFor(string? positionKind) =>
        positionKind is not null && PositionKinds.Contains(positionKind, StringComparer.Ordinal) ? ExtendedMaximum : Maximum;
}

/// <summary>A window of whole calendar days, both ends included, read in the round's zone.</summary>
public sealed record DateWindow(DateOnly Opens, DateOnly Closes)
{
    public bool Contains(DateOnly day) => day >= Opens && day <= Closes;

    public override string ToString() => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Opens:yyyy-MM-dd} to {Closes:yyyy-MM-dd}");
}

/// <summary>The dates a rule set's year announced: the registration window (pendaftaran).</summary>
public sealed record RoundCalendar(DateWindow? Registration);

/// <summary>
/// Jenjang pendidikan ranked: an applicant meets a formation's requirement with a level ranked at least as high
/// (S1 and D-IV share a rank, brief 3.1). A level absent from <see cref="Levels"/> meets only itself.
/// </summary>
public sealed record EducationRanks(IReadOnlyDictionary<string, int> Levels)
{
    public bool Meets(EducationLevel held, EducationLevel required) =>
        held == required
        || (Levels.TryGetValue(held.ToString(), out var h) && Levels.TryGetValue(required.ToString(), out var r) && h >= r);
}

/// <summary>
/// The sub-codes of an optimisation placement (P/L-2, brief 2.8): for an umum place filled from the same location
/// (U-1) or another (U-3); for a khusus place filled from the same khusus category (E-1), from another category at
/// the same location (E-2), or from another category and location (E-3).
/// </summary>
public sealed record OptimisationCodes(string UmumSameLocation, string UmumOtherLocation, string KhususSameCategory, string KhususOtherCategorySameLocation, string KhususOtherCategoryOtherLocation);

/// <summary>Reuse of a previous round's SKD certificate (R12).</summary>
public sealed record CertificateReuse(string FromRuleSet, bool RequiresSameEducationLevel);

/// <summary>The rule sets Merit ships, read from the JSON documents beside this file (<see cref="RuleDocuments"/>).</summary>
public static class RuleSetCatalog
{
    private const string Context = "Recruitment";

    private static readonly Lazy<FrozenDictionary<string, RuleSet>> All =
        new(() => RuleDocuments.Load(Context, "", Parse).ToFrozenDictionary(s => s.Version, StringComparer.Ordinal));

    public static IReadOnlyCollection<RuleSet> RuleSets => All.Value.Values;

    public static RuleSet? Find(string version) => All.Value.GetValueOrDefault(version);

    public static RuleSet Get(string version) =>
        Find(version) ?? throw new KeyNotFoundException($"No rule set '{version}'.");

    /// <summary>The JSON document a shipped rule set was read from, as shipped; null when there is no such version.</summary>
    public static string? Document(string version) =>
        RuleDocuments.Shipped(Context).Where(d => Parse(d.Text, d.Name).Version == version).Select(d => d.Text).FirstOrDefault();

    /// <summary>
    /// A rule-set document read as the shipped ones are (same JSON shape, same consistency check), e.g. a variant an
    /// analyst derived for a what-if; <see cref="InvalidDataException"/> when it is not one.
    /// </summary>
    public static RuleSet Parse(string json, string origin = "document")
    {
        var set = RuleDocuments.Read<RuleSet>(json, origin);

        // Deserialization leaves a missing member null, whatever the record declares.
        if (set.Version is null || set.Skd?.Subtests is null || set.Skd.CutOffOrder is null || set.Thresholds is null
            || set.FinalWeights is null || set.Appeal is null || set.AgeLimits is null || set.Sources is null)
        {
            throw new InvalidDataException($"Rule set {origin} lacks version, sources, skd, thresholds, finalWeights, appeal or ageLimits.");
        }

        if (set.Inconsistency() is { } inconsistency)
        {
            throw new InvalidDataException($"Rule set {set.Version} {inconsistency}.");
        }

        return set;
    }
}
