using Merit.Career;
using Merit.Deciding;
using Xunit;

namespace Merit.Tests.Career;

/// <summary>Career records for the Given/When/Then tests: a good record by default, so each test changes only the condition it is about.</summary>
public static class CareerFixtures
{
    public const string Instansi = "A5EB03E23CCCF6A0E040640A040252AD";

    public static readonly Guid ServantId = Guid.Parse("7c1d0000-0000-4000-8000-000000000001");

    public static readonly DateTimeOffset ImportedAt = new(2025, 1, 6, 9, 0, 0, TimeSpan.FromHours(7));

    /// <summary>SKP at least Baik for every year from 2000 to 2030, unless the test says otherwise.</summary>
    public static Dictionary<int, Predicate> GoodPredicates(params (int Year, Predicate Predicate)[] except)
    {
        var predicates = Enumerable.Range(2000, 31).ToDictionary(y => y, _ => Predicate.Baik);
        foreach (var (year, predicate) in except)
        {
            predicates[year] = predicate;
        }

        return predicates;
    }

    public static WorkforceRecordImported Imported(
        string rank = "II/a",
        DateOnly? since = null,
        Education education = Education.SLTA,
        PositionKind position = PositionKind.Pelaksana,
        FunctionalLevel? level = null,
        string? superior = "IV/a",
        IReadOnlyDictionary<int, Predicate>? predicates = null,
        IReadOnlyList<ServiceExamLevel>? exams = null,
        decimal? creditPoints = null,
        DateOnly? tmtCpns = null) =>
        new(
            ServantId,
            Instansi,
            tmtCpns ?? new DateOnly(2005, 3, 1),
            (tmtCpns ?? new DateOnly(2005, 3, 1)).AddYears(1),
            Rank.Parse(rank),
            since ?? new DateOnly(2016, 3, 1),
            education,
            position,
            level,
            superior is null ? null : Rank.Parse(superior),
            predicates ?? GoodPredicates(),
            exams ?? [],
            creditPoints,
            ImportedAt);

    public static CareerRecord Record(params object[] events) => events.Aggregate((CareerRecord?)null, CareerRecord.Evolve)!;

    public static PromotionRuleSet Regime(string version) => CareerRuleSets.Promotion.Get(version);

    public static DateTimeOffset At(int year, int month, int day) => new(year, month, day, 9, 0, 0, TimeSpan.Zero);

    public static DateOnly D(int year, int month, int day) => new(year, month, day);

    /// <summary>The assessment under the regime in force on the TMT.</summary>
    public static PromotionAssessment Assess(CareerRecord record, DateOnly tmt) =>
        PromotionEligibility.Assess(record, tmt, CareerRuleSets.Promotion.InForceOn(tmt)!);

    public static string[] UnmetCodes(this PromotionAssessment assessment) => assessment.Unmet.Select(c => c.Code).ToArray();
}

/// <summary>Reading an accepted decision's single event.</summary>
public static class OutcomeExtensions
{
    public static T ThenSingle<T>(this Outcome outcome)
    {
        Assert.Null(outcome.Decision.Refusal);
        return Assert.IsType<T>(Assert.Single(outcome.Decision.Events));
    }

    public static void ThenNothing(this Outcome outcome)
    {
        Assert.Null(outcome.Decision.Refusal);
        Assert.Empty(outcome.Decision.Events);
    }

    public static Refusal ThenRefusedAs(this Outcome outcome, string code, RefusalKind kind)
    {
        var refusal = outcome.ThenRefused(code);
        Assert.Equal(kind, refusal.Kind);
        return refusal;
    }
}
