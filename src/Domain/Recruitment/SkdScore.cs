using Merit.Deciding;
using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace Merit.Recruitment;

/// <summary>
/// The scores of the round's computer-based test, by the component codes of the rule set's blueprint (R08): the SKD's
/// TWK, TIU and TKP for CPNS; for PPPK the competence test (seleksi kompetensi) TEKNIS, MANAJERIAL, SOSIOKULTURAL and
/// WAWANCARA, plus the certificate bonus (R21). A code <c>A+B</c> reads the sum of a group, as thresholds and
/// ranking keys name them (R20). Integers, as the CAT system reports them.
/// </summary>
public sealed record SkdScore
{
    /// <summary>An SKD result (CPNS): TWK, TIU and TKP.</summary>
    public SkdScore(int twk, int tiu, int tkp)
        : this(new Dictionary<string, int>(StringComparer.Ordinal) { ["TWK"] = twk, ["TIU"] = tiu, ["TKP"] = tkp })
    {
    }

    /// <summary>A result by component code, with the certificate bonus counted in the total (R21).</summary>
    [JsonConstructor]
    public SkdScore(IReadOnlyDictionary<string, int> components, int bonus = 0)
    {
        ArgumentNullException.ThrowIfNull(components);
        Components = components.ToImmutableSortedDictionary(StringComparer.Ordinal);
        Bonus = bonus;
    }

    public IReadOnlyDictionary<string, int> Components { get; }

    /// <summary>Points added by a competence certificate, already capped by the rule set (R21); 0 for the SKD.</summary>
    public int Bonus { get; }

    [JsonIgnore]
    public int Twk => Components.GetValueOrDefault("TWK");

    [JsonIgnore]
    public int Tiu => Components.GetValueOrDefault("TIU");

    [JsonIgnore]
    public int Tkp => Components.GetValueOrDefault("TKP");

    [JsonIgnore]
    public int Total => Components.Values.Sum() + Bonus;

    /// <summary>One component, or the sum of a group written <c>A+B</c>.</summary>
    public int this[string subtest] => subtest.Split('+').Sum(code =>
        Components.TryGetValue(code, out var value)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(subtest), subtest, "Unknown test component."));

    public bool Equals(SkdScore? other) =>
        other is not null
        && Bonus == other.Bonus
        && Components.Count == other.Components.Count
        && Components.All(kv => other.Components.TryGetValue(kv.Key, out var value) && value == kv.Value);

    public override int GetHashCode() =>
        Components.Aggregate(Bonus, (hash, kv) => HashCode.Combine(hash, kv.Key, kv.Value));
}

/// <summary>Whether an SKD score meets the threshold of a category, with each shortfall named.</summary>
public sealed record ThresholdAssessment(bool Met, IReadOnlyList<string> Shortfalls);

public static class SkdRules
{
    /// <summary>
    /// R08: exactly the blueprint's components, each within 0..maximum and on its step (5 for TWK/TIU, 1 for TKP);
    /// a certificate bonus only where the blueprint has one, and never negative.
    /// </summary>
    public static IEnumerable<(string Field, Wording Message)> RangeViolations(SkdBlueprint blueprint, SkdScore score)
    {
        ArgumentNullException.ThrowIfNull(blueprint);
        ArgumentNullException.ThrowIfNull(score);
        var codes = blueprint.Subtests.Select(s => s.Code).ToList();
        if (score.Components.Count != codes.Count || !codes.All(score.Components.ContainsKey))
        {
            yield return ("components", Wording.Of($"This test has the components {string.Join(", ", codes)}, not {string.Join(", ", score.Components.Keys)} (R08)."));
            yield break;
        }

        foreach (var subtest in blueprint.Subtests)
        {
            var value = score[subtest.Code];
            if (value < 0 || value > subtest.Maximum)
            {
                yield return (subtest.Code.ToLowerInvariant(), Wording.Of($"{subtest.Code} must be between 0 and {subtest.Maximum} (R08)."));
            }
            else if (value % subtest.Step != 0)
            {
                yield return (subtest.Code.ToLowerInvariant(), Wording.Of($"{subtest.Code} must be a multiple of {subtest.Step} (R08)."));
            }
        }

        if (score.Bonus < 0 || (score.Bonus > 0 && blueprint.CertificateBonus is null))
        {
            yield return ("certificate", blueprint.CertificateBonus is null
                ? Wording.Of("This test gives no certificate bonus (R21).")
                : Wording.Of("A certificate bonus is not negative (R21)."));
        }
    }

    /// <summary>R21: the score with its certificate bonus cut to the cap, 10% of the technical maximum in PPPK.</summary>
    public static SkdScore WithBonusCapped(SkdBlueprint blueprint, SkdScore score)
    {
        ArgumentNullException.ThrowIfNull(blueprint);
        ArgumentNullException.ThrowIfNull(score);
        var cap = blueprint.CertificateBonus?.Cap(blueprint) ?? 0;
        return score.Bonus <= cap ? score : new SkdScore(score.Components, cap);
    }

    /// <summary>R09–R11, R20: every subtest or group minimum and, where the category has one, the total minimum.</summary>
    public static ThresholdAssessment Assess(Threshold threshold, SkdScore score)
    {
        ArgumentNullException.ThrowIfNull(threshold);
        ArgumentNullException.ThrowIfNull(score);
        var shortfalls = new List<string>();
        if (threshold.TotalMinimum is { } totalMinimum && score.Total < totalMinimum)
        {
            shortfalls.Add($"total {score.Total} < {totalMinimum}");
        }

        foreach (var (subtest, minimum) in threshold.SubtestMinimums.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (score[subtest] < minimum)
            {
                shortfalls.Add($"{subtest} {score[subtest]} < {minimum}");
            }
        }

        return new ThresholdAssessment(shortfalls.Count == 0, shortfalls);
    }
}
