using Merit.Deciding;

namespace Merit.PersonalData;

/// <summary>
/// Who may read personal data for which purpose, and the legal bases an erasure may cite (UU 27/2022, Pelindungan
/// Data Pribadi), as versioned data. Every read and erasure event names the <see cref="Version"/> it applied.
/// </summary>
public sealed record PrivacyPolicy(
    string Version,
    DateOnly EffectiveFrom,
    IReadOnlyList<string> Sources,
    IReadOnlyList<LegalBasis> LegalBases,
    IReadOnlyList<ReadPurpose> Purposes)
{
    /// <summary>The role that reads analytics only: no policy may let it read personal data.</summary>
    public const string AnalystRole = "analyst";

    public LegalBasis? FindBasis(string code) => LegalBases.FirstOrDefault(b => string.Equals(b.Code, code, StringComparison.Ordinal));

    public ReadPurpose? FindPurpose(string code) => Purposes.FirstOrDefault(p => string.Equals(p.Code, code, StringComparison.Ordinal));
}

/// <summary>A legal basis (dasar hukum) an erasure cites, by a stable code.</summary>
public sealed record LegalBasis(string Code, string Description);

/// <summary>A purpose personal data may be decrypted for, and the roles that may do so for it.</summary>
public sealed record ReadPurpose(string Code, IReadOnlyList<string> Roles, string Description);

/// <summary>The privacy policies Merit ships, read from the JSON documents beside this file (<see cref="RuleDocuments"/>).</summary>
public static class PrivacyPolicies
{
    private static readonly Lazy<PrivacyPolicy[]> All = new(() => RuleDocuments.Load("PersonalData", "privacy-", Read).OrderBy(p => p.EffectiveFrom).ToArray());

    /// <summary>Oldest first.</summary>
    public static IReadOnlyList<PrivacyPolicy> Versions => All.Value;

    /// <summary>The policy in force on a day: the latest that took effect on or before it (the first before any did).</summary>
    public static PrivacyPolicy InForceOn(DateOnly date) => All.Value.LastOrDefault(p => p.EffectiveFrom <= date) ?? All.Value[0];

    private static PrivacyPolicy Read(string json, string origin)
    {
        var policy = RuleDocuments.Read<PrivacyPolicy>(json, origin);

        // A data error must not open personal data to analysts: refuse to load such a policy at all.
        return policy.Purposes.Any(p => p.Roles.Contains(PrivacyPolicy.AnalystRole, StringComparer.Ordinal))
            ? throw new InvalidDataException($"Privacy policy {policy.Version} lets analysts read personal data.")
            : policy;
    }
}
