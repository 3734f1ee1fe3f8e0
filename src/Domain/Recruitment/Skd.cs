namespace Merit.Recruitment;

/// <summary>An SKD result: TWK, TIU and TKP scores as the CAT system reports them (integers).</summary>
public sealed record SkdScore(int Twk, int Tiu, int Tkp)
{
    public int Total => Twk + Tiu + Tkp;

    public int this[string subtest] => subtest switch
    {
        "TWK" => Twk,
        "TIU" => Tiu,
        "TKP" => Tkp,
        _ => throw new ArgumentOutOfRangeException(nameof(subtest), subtest, "Unknown SKD subtest."),
    };
}

/// <summary>Whether an SKD score meets the threshold of a category, with each shortfall named.</summary>
public sealed record ThresholdAssessment(bool Met, IReadOnlyList<string> Shortfalls);

public static class SkdRules
{
    /// <summary>R08: each subtest within 0..maximum and on its step (5 for TWK/TIU, 1 for TKP).</summary>
    public static IEnumerable<(string Field, string Message)> RangeViolations(SkdBlueprint blueprint, SkdScore score)
    {
        foreach (var subtest in blueprint.Subtests)
        {
            var value = score[subtest.Code];
            if (value < 0 || value > subtest.Maximum)
            {
                yield return (subtest.Code.ToLowerInvariant(), $"{subtest.Code} must be between 0 and {subtest.Maximum} (R08).");
            }
            else if (value % subtest.Step != 0)
            {
                yield return (subtest.Code.ToLowerInvariant(), $"{subtest.Code} must be a multiple of {subtest.Step} (R08).");
            }
        }
    }

    /// <summary>R09–R11: every subtest minimum and, where the category has one, the total minimum.</summary>
    public static ThresholdAssessment Assess(Threshold threshold, SkdScore score)
    {
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
