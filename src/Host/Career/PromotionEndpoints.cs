using Merit.Security;
using Microsoft.AspNetCore.Authorization;
using FluentValidation;
using Marten;
using Merit.Infrastructure;
using Merit.Projections.Career;
using Wolverine.Http;

namespace Merit.Career;

/// <summary>Propose a promotion for a TMT (an allowed date of the regime in force, R32).</summary>
public sealed record ProposePromotionRequest(string Tmt);

public sealed class ProposePromotionRequestValidator : AbstractValidator<ProposePromotionRequest>
{
    public ProposePromotionRequestValidator() => RuleFor(x => x.Tmt).IsIsoDate();
}

/// <summary>Approve a proposal with the decree (SK) number.</summary>
public sealed record ApprovePromotionRequest(string DecreeNumber);

public sealed class ApprovePromotionRequestValidator : AbstractValidator<ApprovePromotionRequest>
{
    public ApprovePromotionRequestValidator() => RuleFor(x => x.DecreeNumber).NotEmpty().MaximumLength(100);
}

/// <summary>Reject a proposal with the reason.</summary>
public sealed record RejectPromotionRequest(string Reason);

public sealed class RejectPromotionRequestValidator : AbstractValidator<RejectPromotionRequest>
{
    public RejectPromotionRequestValidator() => RuleFor(x => x.Reason).NotEmpty().MaximumLength(2000);
}

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

public static class PromotionEndpoints
{
    /// <summary>Whether the civil servant may be promoted on the TMT, with every condition and the regime (R28–R32, R46).</summary>
    [WolverineGet("/civil-servants/{servantId}/promotion-eligibility", OperationId = "GetPromotionEligibility")]
    [Tags("Career")]
    [Authorize(Roles = Roles.CommitteeOrAuditor)]
    public static async Task<IResult> Eligibility(Guid servantId, string? tmt, IQuerySession session, CancellationToken ct)
    {
        if (!IsoDate.TryParse(tmt, out var date))
        {
            return CareerStreams.Refused(new Deciding.Refusal(Deciding.RefusalKind.Invalid, "validation", "tmt must be an ISO date (yyyy-MM-dd).", "tmt"));
        }

        if (await session.LoadAsync<CareerRecord>(servantId, ct) is not { } record)
        {
            return Results.Problem(Problems.NotFound("career record", servantId));
        }

        var lookup = PromotionEligibility.RegimeFor(date);
        if (lookup.Rules is null)
        {
            return CareerStreams.Refused(lookup.Refusal!);
        }

        var assessment = PromotionEligibility.Assess(record, date, lookup.Rules);
        return Results.Ok(new { assessment.Eligible, assessment, earliestTmt = PromotionEligibility.EarliestTmt(record) });
    }

    /// <summary>Propose a promotion: refused with every unmet condition when not eligible; the proposal names the regime.</summary>
    [WolverinePost("/civil-servants/{servantId}/promotions", OperationId = "ProposePromotion")]
    [Tags("Career")]
    [Authorize(Roles = Roles.Committee)]
    public static Task<IResult> Propose(Guid servantId, ProposePromotionRequest request, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        session.DecideAsync<CareerRecord>(
            servantId,
            r => PromotionDecisions.Propose(r, new ProposePromotion(servantId, IsoDate.Parse(request.Tmt), clock.GetUtcNow())),
            ct,
            d => d.Events[0] is PromotionProposed p
                ? Results.Created($"/civil-servants/{servantId}/promotions/{p.ProposalId}", new { id = servantId, proposalId = p.ProposalId, from = p.From, to = p.To, tmt = p.Tmt, ruleSetVersion = p.RuleSetVersion })
                : Results.Ok());

    /// <summary>Approve a proposal; every condition is checked again under the proposal's regime.</summary>
    [WolverinePost("/civil-servants/{servantId}/promotions/{proposalId}/approval", OperationId = "ApprovePromotion")]
    [Tags("Career")]
    [Authorize(Roles = Roles.Committee)]
    public static Task<IResult> Approve(Guid servantId, Guid proposalId, ApprovePromotionRequest request, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        session.DecideAsync<CareerRecord>(servantId, r => PromotionDecisions.Approve(r, new ApprovePromotion(servantId, proposalId, request.DecreeNumber, clock.GetUtcNow())), ct);

    /// <summary>Reject a proposal with the reason.</summary>
    [WolverinePost("/civil-servants/{servantId}/promotions/{proposalId}/rejection", OperationId = "RejectPromotion")]
    [Tags("Career")]
    [Authorize(Roles = Roles.Committee)]
    public static Task<IResult> Reject(Guid servantId, Guid proposalId, RejectPromotionRequest request, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        session.DecideAsync<CareerRecord>(servantId, r => PromotionDecisions.Reject(r, new RejectPromotion(servantId, proposalId, request.Reason, clock.GetUtcNow())), ct);

    /// <summary>The approved promotion takes effect (on or after its TMT): the rank changes.</summary>
    [WolverinePost("/civil-servants/{servantId}/promotions/{proposalId}/effect", OperationId = "ApplyPromotion")]
    [Tags("Career")]
    [Authorize(Roles = Roles.Committee)]
    public static Task<IResult> Apply(Guid servantId, Guid proposalId, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        session.DecideAsync<CareerRecord>(servantId, r => PromotionDecisions.Apply(r, new ApplyPromotion(servantId, proposalId, clock.GetUtcNow())), ct);

    /// <summary>The promotion period of a TMT: who is eligible under the regime in force (R28–R32), optionally for one instansi.</summary>
    [WolverineGet("/promotion-periods/{tmt}", OperationId = "GetPromotionPeriod")]
    [Tags("Career")]
    [Authorize(Roles = Roles.CommitteeOrAuditor)]
    public static async Task<IResult> Period(string tmt, string? instansiCode, PromotionPeriods periods, CancellationToken ct)
    {
        if (!IsoDate.TryParse(tmt, out var date))
        {
            return CareerStreams.Refused(new Deciding.Refusal(Deciding.RefusalKind.Invalid, "validation", "tmt must be an ISO date (yyyy-MM-dd).", "tmt"));
        }

        var (period, refusal) = await periods.ComputeAsync(date, instansiCode, ct);
        return period is null ? CareerStreams.Refused(refusal!) : Results.Ok(period);
    }

    /// <summary>Promotion throughput and backlog per instansi (asynchronous read model).</summary>
    [WolverineGet("/promotion-backlog", OperationId = "ListPromotionBacklog")]
    [Tags("Career")]
    [Authorize(Roles = Roles.Analyst + "," + Roles.CommitteeOrAuditor)]
    public static async Task<IReadOnlyList<PromotionBacklog>> Backlog(IQuerySession session, CancellationToken ct) =>
        await session.Query<PromotionBacklog>().OrderBy(b => b.Id).ToListAsync(ct);
}
