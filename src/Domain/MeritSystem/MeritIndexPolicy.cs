using System.Collections.Frozen;
using Merit.Deciding;

namespace Merit.MeritSystem;

/// <summary>One aspect of the merit-system assessment (brief 1.4) and the range of its score.</summary>
public sealed record MeritAspect(string Code, string Name, decimal Minimum, decimal Maximum);

/// <summary>A category of the merit index from its lower bound on (R02): I Buruk from 100, II Kurang from 175, ...</summary>
public sealed record MeritBand(string Category, string Label, decimal From);

/// <summary>
/// Indeks sistem merit as a versioned scoring policy (brief 1.4, R02): the aspects and their ranges, the valid range of
/// the total, and the category bands. A new scheme (the 2025 KemenPANRB one, say) is a new document.
/// </summary>
public sealed record MeritIndexPolicy(string Version, IReadOnlyList<string> Sources, decimal Minimum, decimal Maximum, IReadOnlyList<MeritAspect> Aspects, IReadOnlyList<MeritBand> Bands)
{
    /// <summary>R02: the category of a total, a pure function of it; null outside the valid range.</summary>
    public MeritBand? BandOf(decimal score) =>
        score < Minimum || score > Maximum ? null : Bands.Where(b => b.From <= score).MaxBy(b => b.From);
}

/// <summary>The merit-index policies Merit ships, read from the JSON documents beside this file (<see cref="RuleDocuments"/>).</summary>
public static class MeritIndexPolicies
{
    private static readonly Lazy<FrozenDictionary<string, MeritIndexPolicy>> All =
        new(() => RuleDocuments.Load<MeritIndexPolicy>("MeritSystem").ToFrozenDictionary(p => p.Version, StringComparer.Ordinal));

    public static MeritIndexPolicy? Find(string version) => All.Value.GetValueOrDefault(version);

    public static IEnumerable<string> Versions => All.Value.Keys.Order(StringComparer.Ordinal);
}
