using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Merit.Deciding;
using Merit.Recruitment;

namespace Merit.Analytics.WhatIf;

/// <summary>A variant rule set as an analyst submitted it: the document, its SHA-256 (hex) and the rules read from it.</summary>
public sealed record VariantRuleSet(RuleSet Rules, string Document, string Sha256)
{
    private static readonly JsonSerializerOptions Comparable = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    /// <summary>
    /// Reads a rule-set document derived from a round's own (same JSON shape as the shipped rule sets) and checks that
    /// it can decide that round again: the same kind and stages, the same test components and maxima (the recorded
    /// scores are in them), a threshold for every category the round's rule set has, and a version name of its own —
    /// or exactly the round's own rule set, which must then give back what was decided.
    /// </summary>
    public static (VariantRuleSet? Variant, Refusal? Refusal) Read(RuleSet own, string document)
    {
        ArgumentNullException.ThrowIfNull(own);
        ArgumentNullException.ThrowIfNull(document);
        RuleSet rules;
        try
        {
            rules = RuleSetCatalog.Parse(document, "variant");
        }
        catch (InvalidDataException e)
        {
            return (null, new Refusal(RefusalKind.Invalid, "what-if.rule-set-invalid", e.Message, "ruleSet"));
        }

        if (Incompatibility(own, rules) is { } refusal)
        {
            return (null, refusal);
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(document)));
        return (new VariantRuleSet(rules, document, hash), null);
    }

    private static Refusal? Incompatibility(RuleSet own, RuleSet variant)
    {
        if (RuleSetCatalog.Find(variant.Version) is { } shipped && !SameRules(shipped, variant))
        {
            return new Refusal(RefusalKind.Invalid, "what-if.version-taken", $"Version {variant.Version} names a shipped rule set with other rules; a variant needs a version name of its own.", "ruleSet.version");
        }

        if (variant.Version == own.Version && !SameRules(own, variant))
        {
            return new Refusal(RefusalKind.Invalid, "what-if.version-taken", $"A variant of {own.Version} needs a version name of its own.", "ruleSet.version");
        }

        if (variant.Kind != own.Kind || !variant.StageOrder.SequenceEqual(own.StageOrder))
        {
            return new Refusal(RefusalKind.Rule, "what-if.other-kind", $"The variant is a {variant.Kind} rule set with stages {string.Join(", ", variant.StageOrder)}; the round was decided under {own.Kind} with {string.Join(", ", own.StageOrder)}.", "ruleSet.kind");
        }

        var ownTest = string.Join(",", own.Skd.Subtests.Select(s => $"{s.Code}/{s.Maximum}"));
        var variantTest = string.Join(",", variant.Skd.Subtests.Select(s => $"{s.Code}/{s.Maximum}"));
        if (ownTest != variantTest)
        {
            return new Refusal(RefusalKind.Rule, "what-if.other-test", $"The recorded scores are in {ownTest}; the variant's test has {variantTest}.", "ruleSet.skd.subtests");
        }

        if (own.Thresholds.Keys.FirstOrDefault(code => !variant.Thresholds.ContainsKey(code)) is { } missing)
        {
            return new Refusal(RefusalKind.Rule, "what-if.category-missing", $"The variant has no threshold for category {missing}, which the round's rule set {own.Version} has.", "ruleSet.thresholds");
        }

        if (variant.SkbQuotaMultiplier < 1 || variant.FinalWeights.Skd < 0 || variant.FinalWeights.Skb < 0)
        {
            return new Refusal(RefusalKind.Invalid, "what-if.rule-set-invalid", "The SKB quota multiplier is at least 1 and the final weights are not negative.", "ruleSet");
        }

        return null;
    }

    private static bool SameRules(RuleSet a, RuleSet b) =>
        JsonSerializer.Serialize(a, Comparable) == JsonSerializer.Serialize(b, Comparable);
}
