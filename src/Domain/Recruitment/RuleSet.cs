using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Serialization;

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
    SkbComponentLimits SkbComponents,
    AppealRules Appeal,
    int WithdrawalBanYears,
    AgeLimits AgeLimits,
    CertificateReuse? CertificateReuse = null)
{
    /// <summary>The threshold that applies to a formation category, or null when this rule set has none for it.</summary>
    public Threshold? ThresholdFor(FormationCategory category) =>
        Thresholds.TryGetValue(category.Code(), out var threshold) ? threshold : null;

    /// <summary>The share (percent) of IKN-placement formations reserved for putra/putri Kalimantan (R43); null where none applies.</summary>
    public int? IknKalimantanSharePercent { get; init; }
}

/// <summary>CPNS (civil servant candidates) or PPPK (government employees on contract).</summary>
public enum SelectionKind
{
    Cpns,
    Pppk,
}

/// <summary>SKD: Seleksi Kompetensi Dasar — the subtests, their question counts and maxima (R08).</summary>
public sealed record SkdBlueprint(IReadOnlyList<Subtest> Subtests, IReadOnlyList<string> CutOffOrder)
{
    public int Maximum => Subtests.Sum(s => s.Maximum);

    public Subtest this[string code] => Subtests.Single(s => s.Code == code);
}

/// <summary>One subtest: TWK and TIU score 5 per correct answer (step 5); TKP 1–5 per answered item (step 1).</summary>
public sealed record Subtest(string Code, string Name, int Questions, int Maximum, int Step);

/// <summary>Nilai ambang batas: minimum per subtest and, for the special categories, a minimum total (R09–R11).</summary>
public sealed record Threshold(IReadOnlyDictionary<string, int> SubtestMinimums, int? TotalMinimum = null);

/// <summary>Integration weights: final = SKD weight × (SKD/max × 100) + SKB weight × SKB (R14).</summary>
public sealed record FinalWeights(decimal Skd, decimal Skb);

/// <summary>Limits on SKB component weights (brief 2.7, conflict 8.2): configurable per rule set.</summary>
public sealed record SkbComponentLimits(decimal CatMinimumWeight, decimal AdditionalMaximumWeight, decimal InterviewMaximumWeight);

/// <summary>Sanggah: one appeal per window, filed within <see cref="WindowDays"/> (R07).</summary>
public sealed record AppealRules(int WindowDays, int ReannouncementDays);

/// <summary>Age at application (R06); the extended maximum applies to the professions Keppres 17/2019 names.</summary>
public sealed record AgeLimits(int Minimum, int Maximum, int ExtendedMaximum);

/// <summary>Reuse of a previous round's SKD certificate (R12).</summary>
public sealed record CertificateReuse(string FromRuleSet, bool RequiresSameEducationLevel);

/// <summary>The rule sets Merit ships, read from the JSON documents embedded beside this file.</summary>
public static class RuleSetCatalog
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    private static readonly Lazy<FrozenDictionary<string, RuleSet>> All = new(Load);

    public static IReadOnlyCollection<RuleSet> RuleSets => All.Value.Values;

    public static RuleSet? Find(string version) => All.Value.GetValueOrDefault(version);

    public static RuleSet Get(string version) =>
        Find(version) ?? throw new KeyNotFoundException($"No rule set '{version}'.");

    private static FrozenDictionary<string, RuleSet> Load()
    {
        var assembly = typeof(RuleSetCatalog).Assembly;
        var sets = new Dictionary<string, RuleSet>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.Contains(".Recruitment.RuleSets.", StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            var set = JsonSerializer.Deserialize<RuleSet>(stream, Json)
                ?? throw new InvalidDataException($"Rule set resource {name} is empty.");
            sets.Add(set.Version, set);
        }

        return sets.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
