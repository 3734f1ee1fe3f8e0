using System.Security.Claims;
using FluentValidation;
using Marten;
using Merit.Infrastructure;
using Merit.Security;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;
using Microsoft.AspNetCore.Mvc;

namespace Merit.Relocation;

/// <summary>What a selection answers: the policy it applied and the case ids selected and wait-listed, in rank order.</summary>
public sealed record SelectionOutcome(Guid QuotaId, string InstansiCode, string PolicyVersion, int Units, IReadOnlyList<Guid> Selected, IReadOnlyList<Guid> WaitListed);

/// <summary>
/// Selection within the housing quota (R41): appended to the quota's stream, fetched for writing, so of two
/// concurrent decisions on one instansi's quota exactly one commits, the other is a 409.
/// </summary>
public static class SelectForRelocationEndpoint
{
    /// <summary>Rank the instansi's eligible nominations under the wave's policy; select within the housing units, wait-list the rest. Once per instansi and wave.</summary>
    [WolverinePost("/housing-quotas/{quotaId}/selection", OperationId = "SelectForRelocation")]
    [ProducesResponseType<SelectionOutcome>(StatusCodes.Status200OK)]
    [Tags("Relocation")]
    [Authorize(Roles = Roles.Committee)]
    public static Task<IResult> Post(Guid quotaId, ClaimsPrincipal user, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        HousingQuota? selected = null;
        return session.DecideAsync<HousingQuota>(user, quotaId, async quota =>
        {
            if (quota is null)
            {
                return CommandPath.NotFound("housing quota", quotaId);
            }

            selected = quota;
            var cases = await session.Query<RelocationCase>()
                .Where(c => c.WaveId == quota.WaveId && c.InstansiCode == quota.InstansiCode && c.Status == RelocationStatus.Eligible)
                .ToListAsync(ct);
            return RelocationDecisions.Select(quota, RelocationPolicies.Find(quota.PolicyVersion)!, cases, new SelectForInstansi(quotaId, clock.GetUtcNow()));
        }, d =>
        {
            var decided = (InstansiSelectionDecided)d.Events[0];
            return Results.Ok(new SelectionOutcome(quotaId, selected!.InstansiCode, decided.PolicyVersion, selected.Units, decided.Selected, decided.WaitListed));
        }, ct);
    }
}
