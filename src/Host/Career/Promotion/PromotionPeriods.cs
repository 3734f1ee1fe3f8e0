using FluentValidation;
using Marten;

namespace Merit.Career;

/// <summary>One civil servant eligible in a period.</summary>
public sealed record EligibleServant(Guid ServantId, string InstansiCode, PromotionRoute Route, Rank From, Rank To, bool Proposed);

/// <summary>
/// A promotion period: who is eligible on the TMT under the regime in force, and for those who are not, how
/// many fail each condition. Each civil servant's full reasons are at <c>/civil-servants/{id}/promotion-eligibility</c>.
/// </summary>
public sealed record PromotionPeriodView(
    DateOnly Tmt,
    string RuleSetVersion,
    string? InstansiCode,
    int Assessed,
    int EligibleCount,
    IReadOnlyDictionary<string, int> NotMetByCondition,
    IReadOnlyList<EligibleServant> Eligible);

/// <summary>Computes promotion periods over the inline career records (a query: the proposals are the decisions).</summary>
public sealed class PromotionPeriods(IDocumentStore store)
{
    public const int PageSize = 10_000;

    public async Task<(PromotionPeriodView? Period, Deciding.Refusal? Refusal)> ComputeAsync(DateOnly tmt, string? instansiCode, CancellationToken ct)
    {
        var lookup = PromotionEligibility.RegimeFor(tmt);
        if (lookup.Refusal is { } refusal)
        {
            return (null, refusal);
        }

        var rules = lookup.Rules!;
        var assessed = 0;
        var eligible = new List<EligibleServant>();
        var notMet = new Dictionary<string, int>(StringComparer.Ordinal);
        await using var session = store.QuerySession();

        // Pages ordered by id: the records of a whole country do not fit one query's result.
        for (var skip = 0; ; skip += PageSize)
        {
            var query = instansiCode is null
                ? session.Query<CareerRecord>()
                : session.Query<CareerRecord>().Where(r => r.InstansiCode == instansiCode);
            var page = await query.OrderBy(r => r.Id).Skip(skip).Take(PageSize).ToListAsync(ct);
            foreach (var record in page)
            {
                assessed++;
                var assessment = PromotionEligibility.Assess(record, tmt, rules);
                if (assessment.Eligible)
                {
                    eligible.Add(new EligibleServant(record.Id, record.InstansiCode, assessment.Route, assessment.From, assessment.To!.Value, record.Proposal?.Tmt == tmt));
                    continue;
                }

                foreach (var check in assessment.Unmet)
                {
                    notMet[check.Code] = notMet.GetValueOrDefault(check.Code) + 1;
                }
            }

            if (page.Count < PageSize)
            {
                break;
            }
        }

        return (new PromotionPeriodView(tmt, rules.Version, instansiCode, assessed, eligible.Count, notMet, eligible), null);
    }
}


