using System.Globalization;
using Merit.Career;

namespace Merit.Relocation;

/// <summary>The BKN competency / digital-literacy assessment result the instansi reports (score out of 100).</summary>
public sealed record AssessmentResult(decimal Score, DateOnly AssessedOn);

/// <summary>
/// The facts a screening reads. The retirement date (BUP) comes from the instansi on the nomination and is read
/// here only: the events keep the gate's outcome, never the date (docs/adr/0010).
/// </summary>
public sealed record ScreeningFacts(string UnitCode, AssessmentResult? Assessment, MaritalStatus MaritalStatus, DateOnly RetirementDate);

/// <summary>Screening (R41) and ranking of nominations under a policy: pure functions of the policy and the facts.</summary>
public static class Screening
{
    /// <summary>Every gate of the policy, in its order, each met or not with its finding.</summary>
    public static IReadOnlyList<CriterionResult> Screen(RelocationPolicy policy, RelocationWave wave, WaveInstansi instansi, CareerRecord record, ScreeningFacts facts)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(wave);
        ArgumentNullException.ThrowIfNull(instansi);
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(facts);
        return policy.Gates.Select(gate => Check(gate, wave, instansi, record, facts)).ToList();
    }

    private static CriterionResult Check(ScreeningGate gate, RelocationWave wave, WaveInstansi instansi, CareerRecord record, ScreeningFacts facts)
    {
        var name = gate.Criterion.ToString();
        switch (gate.Criterion)
        {
            case GateCriterion.UnitInWave:
                var listed = instansi.Units.Contains(facts.UnitCode, StringComparer.Ordinal);
                return new(name, listed, listed ? $"unit {facts.UnitCode} is a priority unit of wave {wave.Code}" : $"unit {facts.UnitCode} is not a priority unit of wave {wave.Code}");
            case GateCriterion.AssessmentPresent:
                return new(name, facts.Assessment is not null, facts.Assessment is null ? "no BKN assessment result" : "BKN assessment result present");
            case GateCriterion.AssessmentMinimum:
                var minimum = gate.Minimum ?? 0m;
                var score = facts.Assessment?.Score;
                return new(name, score >= minimum, score is null ? $"no score to compare with the minimum {Number(minimum)}" : $"score {Number(score.Value)}, minimum {Number(minimum)}");
            case GateCriterion.YearsToRetirement:
                var years = (int)(gate.Minimum ?? 0m);
                var enough = facts.RetirementDate >= wave.StartsOn.AddYears(years);
                return new(name, enough, $"at least {years} years to retirement on {Iso(wave.StartsOn)}: {(enough ? "met" : "not met")}");
            case GateCriterion.NoDisciplinarySentence:
                var sentence = record.Sentences.FirstOrDefault(s => s.ActiveOn(wave.StartsOn));
                return new(name, sentence is null, sentence is null ? $"no sentence in force on {Iso(wave.StartsOn)}" : $"sentence {sentence.DecreeNumber} in force until {Iso(sentence.Until)}");
            case GateCriterion.NoServiceBlock:
                return new(name, !record.IsBlocked, record.IsBlocked ? $"blocked by BKN: {string.Join(", ", record.Blocks)} (R46)" : "no BKN block");
            default:
                throw new InvalidOperationException($"Unknown gate {gate.Criterion}.");
        }
    }

    /// <summary>
    /// The eligible cases in the policy's order: each ordering key in turn, then the case id, so that the ranking is
    /// total and the same on every replay.
    /// </summary>
    public static IReadOnlyList<RelocationCase> Rank(RelocationPolicy policy, IEnumerable<RelocationCase> eligible)
    {
        ArgumentNullException.ThrowIfNull(policy);
        IOrderedEnumerable<RelocationCase>? ordered = null;
        var source = eligible.ToList();
        foreach (var key in policy.Ordering)
        {
            ordered = key.Criterion switch
            {
                OrderingCriterion.MaritalStatus => Then(ordered, source, c => MaritalRank(key, c), descending: false),
                OrderingCriterion.AssessmentScore => Then(ordered, source, c => c.AssessmentScore ?? decimal.MinValue, descending: true),
                OrderingCriterion.NominatedOn => Then(ordered, source, c => c.NominatedOn.DayNumber, descending: false),
                _ => throw new InvalidOperationException($"Unknown ordering key {key.Criterion}."),
            };
        }

        return (ordered is null ? source.OrderBy(c => c.Id.ToString("N"), StringComparer.Ordinal) : ordered.ThenBy(c => c.Id.ToString("N"), StringComparer.Ordinal)).ToList();
    }

    private static int MaritalRank(OrderingKey key, RelocationCase c)
    {
        var order = key.Order ?? [];
        var index = c.MaritalStatus is { } status ? order.ToList().IndexOf(status) : -1;
        return index < 0 ? order.Count : index;
    }

    private static IOrderedEnumerable<RelocationCase> Then<TKey>(IOrderedEnumerable<RelocationCase>? ordered, IEnumerable<RelocationCase> source, Func<RelocationCase, TKey> key, bool descending) =>
        (ordered, descending) switch
        {
            (null, false) => source.OrderBy(key),
            (null, true) => source.OrderByDescending(key),
            (_, false) => ordered.ThenBy(key),
            _ => ordered.ThenByDescending(key),
        };

    private static string Number(decimal value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
