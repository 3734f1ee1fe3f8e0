using System.Collections.Frozen;
using Merit.Deciding;

namespace Merit.Relocation;

/// <summary>Status perkawinan, as the instansi reports it on the nomination: an ordering key of the 2024 policy (R41).</summary>
public enum MaritalStatus
{
    /// <summary>Lajang (never married).</summary>
    Unmarried,

    /// <summary>Menikah.</summary>
    Married,
}

/// <summary>A pass/fail criterion of the screening: failing any one makes the nomination ineligible, with its reason.</summary>
public enum GateCriterion
{
    /// <summary>The eselon-I unit is one of the wave's priority units of its instansi.</summary>
    UnitInWave,

    /// <summary>A BKN competency / digital-literacy assessment result exists.</summary>
    AssessmentPresent,

    /// <summary>The assessment score reaches the policy's minimum.</summary>
    AssessmentMinimum,

    /// <summary>At least the minimum number of years remain before the retirement date (BUP), counted from the wave's start.</summary>
    YearsToRetirement,

    /// <summary>No disciplinary sentence in force on the wave's start date.</summary>
    NoDisciplinarySentence,

    /// <summary>No BKN block on the employee's data or services (R46).</summary>
    NoServiceBlock,
}

/// <summary>A key that orders the eligible nominations of one instansi within a wave, in the policy's order of keys.</summary>
public enum OrderingCriterion
{
    /// <summary>By the position of the marital status in <see cref="OrderingKey.Order"/> ("single first").</summary>
    MaritalStatus,

    /// <summary>Higher assessment score first.</summary>
    AssessmentScore,

    /// <summary>Earlier nomination first.</summary>
    NominatedOn,
}

public sealed record ScreeningGate(GateCriterion Criterion, decimal? Minimum = null);

public sealed record OrderingKey(OrderingCriterion Criterion, IReadOnlyList<MaritalStatus>? Order = null);

/// <summary>
/// A screening policy for relocation to IKN (R41) as data: the gates a nomination must pass, the keys that rank
/// the eligible ones, and how many family members may accompany the employee into the housing. A new policy is a
/// new document with a new <see cref="Version"/>; every screening and selection names the version it applied.
/// </summary>
public sealed record RelocationPolicy(
    string Version,
    DateOnly EffectiveFrom,
    IReadOnlyList<string> Sources,
    IReadOnlyList<ScreeningGate> Gates,
    IReadOnlyList<OrderingKey> Ordering,
    int MaxAccompanyingFamily);

/// <summary>The relocation policies Merit ships, read from the JSON documents beside this file (<see cref="RuleDocuments"/>).</summary>
public static class RelocationPolicies
{
    private static readonly Lazy<FrozenDictionary<string, RelocationPolicy>> Shipped =
        new(() => RuleDocuments.Load<RelocationPolicy>("Relocation").ToFrozenDictionary(p => p.Version, StringComparer.Ordinal));

    /// <summary>Oldest first.</summary>
    public static IReadOnlyList<RelocationPolicy> All => Shipped.Value.Values.OrderBy(p => p.EffectiveFrom).ToList();

    public static RelocationPolicy? Find(string version) => Shipped.Value.GetValueOrDefault(version);

    /// <summary>Reads one policy document (the shipped ones, or a candidate document before it is shipped).</summary>
    public static RelocationPolicy Read(string json) => RuleDocuments.Read<RelocationPolicy>(json, "relocation policy");
}
