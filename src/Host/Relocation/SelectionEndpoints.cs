using Marten;
using Merit.Deciding;
using Merit.Infrastructure;
using Merit.Security;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Merit.Relocation;

/// <summary>What a selection answers: the policy it applied and the case ids selected and wait-listed, in rank order.</summary>
public sealed record SelectionOutcome(Guid QuotaId, string InstansiCode, string PolicyVersion, int Units, IReadOnlyList<Guid> Selected, IReadOnlyList<Guid> WaitListed);

/// <summary>
/// Selection within the housing quota (R41). Every decision here is appended to the quota's stream, fetched for
/// writing: of two concurrent decisions on one instansi's quota exactly one commits, the other is a 409.
/// </summary>
public static class SelectionEndpoints
{
    /// <summary>The housing units of one instansi in a wave: held, waiting, free.</summary>
    [WolverineGet("/housing-quotas/{quotaId}", OperationId = "GetHousingQuota")]
    [Tags("Relocation")]
    [Authorize(Roles = Roles.CommitteeOrAuditor + "," + Roles.Admin)]
    public static async Task<IResult> Get(Guid quotaId, IQuerySession session, CancellationToken ct) =>
        await session.LoadAsync<HousingQuota>(quotaId, ct) is { } quota
            ? Results.Ok(new { quota.Id, quota.WaveId, quota.InstansiCode, quota.Units, quota.PolicyVersion, quota.SelectionDecided, quota.Occupants, quota.WaitList, quota.FreeUnits })
            : Results.Problem(Problems.NotFound("housing quota", quotaId));

    /// <summary>Rank the instansi's eligible nominations under the wave's policy; select within the housing units, wait-list the rest. Once per instansi and wave.</summary>
    [WolverinePost("/housing-quotas/{quotaId}/selection", OperationId = "SelectForRelocation")]
    [Tags("Relocation")]
    [Authorize(Roles = Roles.Committee)]
    public static async Task<IResult> Select(Guid quotaId, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var stream = await session.Events.FetchForWriting<HousingQuota>(quotaId, ct);
        if (stream.Aggregate is not { } quota)
        {
            return Results.Problem(Problems.NotFound("housing quota", quotaId));
        }

        var cases = await session.Query<RelocationCase>()
            .Where(c => c.WaveId == quota.WaveId && c.InstansiCode == quota.InstansiCode && c.Status == RelocationStatus.Eligible)
            .ToListAsync(ct);
        var decision = RelocationDecisions.Select(quota, RelocationPolicies.Find(quota.PolicyVersion)!, cases, new SelectForInstansi(quotaId, clock.GetUtcNow()));
        return Append(decision, stream, session, () =>
        {
            var decided = (InstansiSelectionDecided)decision.Events[0];
            return Results.Ok(new SelectionOutcome(quotaId, quota.InstansiCode, decided.PolicyVersion, quota.Units, decided.Selected, decided.WaitListed));
        });
    }

    /// <summary>Offer a freed housing unit to the first of the wait list, a decision of its own.</summary>
    [WolverinePost("/housing-quotas/{quotaId}/offers", OperationId = "OfferFreedHousingUnit")]
    [Tags("Relocation")]
    [Authorize(Roles = Roles.Committee)]
    public static async Task<IResult> Offer(Guid quotaId, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var stream = await session.Events.FetchForWriting<HousingQuota>(quotaId, ct);
        var next = stream.Aggregate is { WaitList.Count: > 0 } quota ? await session.LoadAsync<RelocationCase>(quota.WaitList[0], ct) : null;
        var decision = RelocationDecisions.OfferFreedUnit(stream.Aggregate, next, new OfferFreedUnit(quotaId, clock.GetUtcNow()));
        return Append(decision, stream, session, () =>
        {
            var promoted = (WaitListPromoted)decision.Events[0];
            return Results.Ok(new { quotaId, promoted.CaseId, rank = next!.Rank, promoted.PolicyVersion });
        });
    }

    /// <summary>Events of the quota through its fetched stream (its version guards the quota); case events to their own streams.</summary>
    internal static IResult Append(Decision decision, JasperFx.Events.IEventStream<HousingQuota> stream, IDocumentSession session, Func<IResult> accepted)
    {
        if (decision.Refusal is { } refusal)
        {
            return Problems.ToResult(refusal);
        }

        foreach (var e in decision.Events)
        {
            switch (e)
            {
                case IHousingQuotaEvent q when q.QuotaId == stream.Id:
                    stream.AppendOne(e);
                    break;
                case IRelocationCaseEvent c:
                    session.Events.Append(c.CaseId, e);
                    break;
                default:
                    throw new InvalidOperationException($"No stream known for {e.GetType().Name}.");
            }
        }

        return accepted();
    }
}
