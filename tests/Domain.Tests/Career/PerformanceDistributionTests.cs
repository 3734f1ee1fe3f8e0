using Merit.Career;
using Merit.Deciding;
using Xunit;
using static Merit.Tests.Career.CareerFixtures;

namespace Merit.Tests.Career;

/// <summary>R33: the distribution of employee predicates is bounded by the organisation's predicate (PermenPANRB 6/2022).</summary>
public class PerformanceDistributionTests
{
    private static readonly SkpRuleSet Rules = CareerRuleSets.Skp.Get("SKP-2022");

    /// <summary>A unit of ten: "SB:7,B:2,BP:1" and so on.</summary>
    private static List<Predicate> Unit(string spec) =>
        spec.Split(',').SelectMany(part =>
        {
            var (code, count) = (part.Split(':')[0], int.Parse(part.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture));
            var predicate = code switch { "SB" => Predicate.SangatBaik, "B" => Predicate.Baik, "BP" => Predicate.ButuhPerbaikan, "K" => Predicate.Kurang, _ => Predicate.SangatKurang };
            return Enumerable.Repeat(predicate, count);
        }).ToList();

    [Theory]
    [InlineData(OrganisationPredicate.Istimewa, "SB:7,B:3", 0)]
    [InlineData(OrganisationPredicate.Istimewa, "SB:8,B:2", 1)]
    [InlineData(OrganisationPredicate.Baik, "SB:2,B:7,BP:1", 0)]
    [InlineData(OrganisationPredicate.Baik, "SB:2,B:7,K:1", 0)]
    [InlineData(OrganisationPredicate.Baik, "SB:3,B:7", 1)]
    [InlineData(OrganisationPredicate.Baik, "SB:1,B:8,BP:1", 1)]
    [InlineData(OrganisationPredicate.ButuhPerbaikan, "SB:1,B:3,BP:6", 0)]
    [InlineData(OrganisationPredicate.ButuhPerbaikan, "SB:1,B:4,BP:5", 1)]
    [InlineData(OrganisationPredicate.ButuhPerbaikan, "SB:2,B:2,BP:6", 1)]
    [InlineData(OrganisationPredicate.Kurang, "SB:1,B:2,BP:1,K:6", 0)]
    [InlineData(OrganisationPredicate.Kurang, "SB:1,B:3,K:6", 1)]
    [InlineData(OrganisationPredicate.SangatKurang, "B:3,K:1,SK:6", 0)]
    [InlineData(OrganisationPredicate.SangatKurang, "SB:1,B:2,K:1,SK:6", 1)]
    [InlineData(OrganisationPredicate.SangatKurang, "B:4,SK:6", 1)]
    public void The_employees_distribution_follows_the_organisations_predicate_R33(OrganisationPredicate organisation, string unit, int violations) =>
        Assert.Equal(violations, PerformanceDistribution.Violations(organisation, Unit(unit), Rules).Count);

    [Fact]
    public void A_unit_is_rated_at_once_on_every_record_or_not_at_all_R33()
    {
        var records = Enumerable.Range(1, 10).Select(i => Record(Imported(predicates: GoodPredicates()) with { ServantId = Guid.Parse($"00000000-0000-4000-8000-{i:D12}"), Predicates = new Dictionary<int, Predicate>() })).ToDictionary(r => r.Id);
        var predicates = Unit("SB:2,B:7,BP:1");
        var ratings = records.Keys.Zip(predicates).Select(p => (p.First, p.Second)).ToList();
        var command = new RateUnit(Instansi, "UNIT-7", 2025, OrganisationPredicate.Baik, ratings, At(2026, 1, 15));

        var decision = PerformanceDistribution.RateUnit(null, records, command);
        Assert.Null(decision.Refusal);
        var unit = Assert.IsType<UnitPerformanceRated>(decision.Events[0]);
        Assert.Equal(("SKP-2022", 7, 1), (unit.RuleSetVersion, unit.Counts[Predicate.Baik], unit.Counts[Predicate.ButuhPerbaikan]));
        Assert.Equal(10, decision.Events.OfType<PerformanceRated>().Count());

        var allBaik = command with { Ratings = records.Keys.Select(id => (id, Predicate.Baik)).ToList() };
        var refusal = PerformanceDistribution.RateUnit(null, records, allBaik).Refusal!;
        Assert.Equal(("skp.distribution", RefusalKind.Rule), (refusal.Code, refusal.Kind));
        Assert.Contains("at most 70%", refusal.Message, StringComparison.Ordinal);

        var existing = UnitAppraisal.Evolve(null, unit);
        Assert.Equal("skp.unit-rated", PerformanceDistribution.RateUnit(existing, records, command).Refusal!.Code);
        Assert.Equal("career.not-found", PerformanceDistribution.RateUnit(null, records, command with { Ratings = [.. ratings, (Guid.NewGuid(), Predicate.Baik)] }).Refusal!.Code);
    }
}
