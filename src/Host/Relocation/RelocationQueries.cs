using System.Security.Claims;
using Marten;
using Merit.Infrastructure;
using Merit.Security;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;
using Microsoft.AspNetCore.Mvc;

namespace Merit.Relocation;

/// <summary>What relocation answers without deciding: policies, waves, housing quotas, cases.</summary>
public static class RelocationQueries
{
    /// <summary>The screening policies shipped (R41), each with its gates, ordering keys and sources.</summary>
    [WolverineGet("/relocation-policies", OperationId = "ListRelocationPolicies")]
    [Tags("Relocation")]
    [Authorize(Roles = Roles.Anyone)]
    public static IReadOnlyList<RelocationPolicy> ListRelocationPolicies() => RelocationPolicies.All;

    /// <summary>
    /// A wave: its instansi, units, housing units and policy. A token sees the instansi of its scope among the wave's,
    /// and is refused (403 scope.instansi) a wave that lists none of them.
    /// </summary>
    [WolverineGet("/relocation-waves/{waveId}", OperationId = "GetRelocationWave")]
    [ProducesResponseType<RelocationWave>(StatusCodes.Status200OK)]
    [Tags("Relocation")]
    [Authorize(Roles = Roles.CommitteeOrAuditor + "," + Roles.Admin)]
    public static async Task<IResult> GetRelocationWave(Guid waveId, ClaimsPrincipal user, IQuerySession session, CancellationToken ct)
    {
        if (await session.LoadAsync<RelocationWave>(waveId, ct) is not { } wave)
        {
            return Results.Problem(Problems.NotFound("relocation wave", waveId));
        }

        var readable = wave.Instansi.Where(i => InstansiScope.AllowsReading(user, i.InstansiCode)).ToList();
        return readable.Count == 0
            ? Problems.ToResult(InstansiScope.Check(user, wave.Instansi[0].InstansiCode)!)
            : Results.Ok(wave with { Instansi = readable });
    }

    /// <summary>The housing units of one instansi in a wave: held, waiting, free.</summary>
    [WolverineGet("/housing-quotas/{quotaId}", OperationId = "GetHousingQuota")]
    [ProducesResponseType<HousingQuotaView>(StatusCodes.Status200OK)]
    [Tags("Relocation")]
    [Authorize(Roles = Roles.CommitteeOrAuditor + "," + Roles.Admin)]
    public static async Task<IResult> GetHousingQuota(Guid quotaId, ClaimsPrincipal user, IQuerySession session, CancellationToken ct) =>
        await session.LoadAsync<HousingQuota>(quotaId, ct) is { } quota
            ? InstansiScope.RefuseReading(user, quota) ?? Results.Ok(HousingQuotaView.From(quota))
            : Results.Problem(Problems.NotFound("housing quota", quotaId));

    /// <summary>
    /// A case: status, each gate's result, rank, the policy it was decided under. Read on the streaming standby when
    /// there is one (docs/adr/0054).
    /// </summary>
    [WolverineGet("/relocation-cases/{caseId}", OperationId = "GetRelocationCase")]
    [ProducesResponseType<RelocationCase>(StatusCodes.Status200OK)]
    [Tags("Relocation")]
    [Authorize(Roles = Roles.CommitteeOrAuditor)]
    public static async Task<IResult> GetRelocationCase(Guid caseId, ClaimsPrincipal user, ReadReplica replica, CancellationToken ct)
    {
        await using var read = await replica.BeginAsync(ct);
        return await read.Session.LoadAsync<RelocationCase>(caseId, ct) is { } found
            ? InstansiScope.RefuseReading(user, found) ?? Results.Ok(found)
            : Results.Problem(Problems.NotFound("relocation case", caseId));
    }
}

/// <summary>An instansi's housing quota in a wave: its units, who occupies them, who waits, how many are free.</summary>
public sealed record HousingQuotaView(Guid Id, Guid WaveId, string InstansiCode, int Units, string PolicyVersion, bool SelectionDecided, IReadOnlyList<Guid> Occupants, IReadOnlyList<Guid> WaitList, int FreeUnits)
{
    public static HousingQuotaView From(HousingQuota quota) =>
        new(quota.Id, quota.WaveId, quota.InstansiCode, quota.Units, quota.PolicyVersion, quota.SelectionDecided, quota.Occupants, quota.WaitList, quota.FreeUnits);
}
