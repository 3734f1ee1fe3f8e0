using System.Globalization;
using Merit.Deciding;

namespace Merit.Career;

/// <summary>Predikat kinerja organisasi: the organisation's own predicate, which bounds its employees' predicates (R33).</summary>
public enum OrganisationPredicate
{
    Istimewa,
    Baik,
    /// <summary>Butuh Perbaikan / Cukup.</summary>
    ButuhPerbaikan,
    Kurang,
    SangatKurang,
}

/// <summary>A unit's appraisal of a year: the organisation predicate and its employees' predicates, the distribution checked (R33).</summary>
public sealed record UnitPerformanceRated(Guid AppraisalId, string InstansiCode, string UnitCode, int Year, OrganisationPredicate OrganisationPredicate, IReadOnlyDictionary<Predicate, int> Counts, string RuleSetVersion, DateTimeOffset At);

/// <summary>A unit's yearly appraisal. Rebuilt from its events.</summary>
public sealed record UnitAppraisal(Guid Id, string InstansiCode, string UnitCode, int Year, OrganisationPredicate OrganisationPredicate)
{
    public static UnitAppraisal? Evolve(UnitAppraisal? state, object @event) => @event switch
    {
        UnitPerformanceRated e => new UnitAppraisal(e.AppraisalId, e.InstansiCode, e.UnitCode, e.Year, e.OrganisationPredicate),
        _ => state,
    };
}

/// <summary>Rate a unit's employees for a year under the organisation's predicate.</summary>
public sealed record RateUnit(string InstansiCode, string UnitCode, int Year, OrganisationPredicate OrganisationPredicate, IReadOnlyList<(Guid ServantId, Predicate Predicate)> Ratings, DateTimeOffset Now);

public static class PerformanceDistribution
{
    public static Guid AppraisalIdFor(string instansiCode, string unitCode, int year) =>
        StableId.For("unit-appraisal", instansiCode, unitCode, year.ToString(CultureInfo.InvariantCulture));

    /// <summary>Every bound the distribution breaks (R33), as sentences; empty when it is allowed.</summary>
    public static IReadOnlyList<string> Violations(OrganisationPredicate organisation, IReadOnlyCollection<Predicate> ratings, SkpRuleSet rules)
    {
        ArgumentNullException.ThrowIfNull(ratings);
        ArgumentNullException.ThrowIfNull(rules);
        var violations = new List<string>();
        foreach (var bound in rules.Distributions[organisation])
        {
            var count = ratings.Count(bound.Predicates.Contains);
            var share = ratings.Count == 0 ? 0m : (decimal)count / ratings.Count;
            var names = string.Join(" or ", bound.Predicates);
            if (bound.MaximumShare is { } maximum && share > maximum)
            {
                violations.Add(string.Create(CultureInfo.InvariantCulture, $"{count} of {ratings.Count} {names}; at most {maximum * 100:0.#}% under an organisation rated {organisation}"));
            }

            if (bound.MinimumShare is { } minimum && share < minimum)
            {
                violations.Add(string.Create(CultureInfo.InvariantCulture, $"{count} of {ratings.Count} {names}; at least {minimum * 100:0.#}% under an organisation rated {organisation}"));
            }

            if (bound.MinimumCount is { } least && count < least)
            {
                violations.Add(string.Create(CultureInfo.InvariantCulture, $"{count} {names}; at least {least} under an organisation rated {organisation}"));
            }
        }

        return violations;
    }

    /// <summary>
    /// R33: a unit's predicates for a year are recorded together, each on its civil servant's record, only when their
    /// distribution is allowed by the organisation's predicate. Once per unit and year.
    /// </summary>
    public static Decision RateUnit(UnitAppraisal? existing, IReadOnlyDictionary<Guid, CareerRecord> records, RateUnit command)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(command);
        if (existing is not null)
        {
            return new Refusal(RefusalKind.Conflict, "skp.unit-rated", $"Unit {command.UnitCode} is already rated for {command.Year}.");
        }

        if (command.Ratings.Count == 0 || command.Ratings.Select(r => r.ServantId).Distinct().Count() != command.Ratings.Count)
        {
            return new Refusal(RefusalKind.Invalid, "skp.ratings", "Each civil servant of the unit is rated once.", "ratings");
        }

        if (command.Ratings.Where(r => !records.ContainsKey(r.ServantId)).Select(r => (Guid?)r.ServantId).FirstOrDefault() is { } unknown)
        {
            return new Refusal(RefusalKind.Invalid, "career.not-found", $"No career record {unknown}.", "ratings");
        }

        if (command.Ratings.Where(r => records[r.ServantId].PredicateOf(command.Year) is not null).Select(r => (Guid?)r.ServantId).FirstOrDefault() is { } rated)
        {
            return new Refusal(RefusalKind.Conflict, "skp.already-rated", $"{rated} already has an SKP for {command.Year}.", "ratings");
        }

        var rules = CareerRuleSets.Skp.InForceOn(new DateOnly(command.Year, 12, 31)) ?? CareerRuleSets.Skp.RuleSets[0];
        var violations = Violations(command.OrganisationPredicate, command.Ratings.Select(r => r.Predicate).ToList(), rules);
        if (violations.Count > 0)
        {
            return new Refusal(RefusalKind.Rule, "skp.distribution", $"The distribution is not allowed (R33, {rules.Version}): {string.Join("; ", violations)}.", "ratings");
        }

        var counts = Enum.GetValues<Predicate>().ToDictionary(p => p, p => command.Ratings.Count(r => r.Predicate == p));
        return Decision.Accept([
            new UnitPerformanceRated(AppraisalIdFor(command.InstansiCode, command.UnitCode, command.Year), command.InstansiCode, command.UnitCode, command.Year, command.OrganisationPredicate, counts, rules.Version, command.Now),
            .. command.Ratings.Select(r => new PerformanceRated(r.ServantId, command.Year, r.Predicate, command.Now)),
        ]);
    }
}
