using Merit.Deciding;

namespace Merit.Relocation;

/// <summary>An event of one instansi's housing quota in a wave; <see cref="QuotaId"/> is the stream id.</summary>
public interface IHousingQuotaEvent : IRelocationEvent
{
    Guid QuotaId { get; }
}

/// <summary>The housing units of one instansi in a wave; selections go through this stream so that it guards the quota.</summary>
public sealed record HousingQuotaAllotted(Guid QuotaId, Guid WaveId, string InstansiCode, int Units, string PolicyVersion, DateTimeOffset At) : IHousingQuotaEvent;

/// <summary>
/// The ranking of one instansi's eligible nominations and the cut at the free housing units: <see cref="Selected"/>
/// and <see cref="WaitListed"/> are case ids in rank order.
/// </summary>
public sealed record InstansiSelectionDecided(
    Guid QuotaId, Guid WaveId, string InstansiCode, string PolicyVersion, IReadOnlyList<Guid> Selected, IReadOnlyList<Guid> WaitListed, DateTimeOffset At) : IHousingQuotaEvent;

/// <summary>A selected employee declined or withdrew: their housing unit is free again.</summary>
public sealed record HousingUnitReleased(Guid QuotaId, Guid WaveId, string InstansiCode, Guid CaseId, string Reason, DateTimeOffset At) : IHousingQuotaEvent;

/// <summary>A wait-listed employee withdrew and leaves the wait list.</summary>
public sealed record WaitListLeft(Guid QuotaId, Guid WaveId, string InstansiCode, Guid CaseId, DateTimeOffset At) : IHousingQuotaEvent;

/// <summary>The first of the wait list is offered a freed unit, a decision of its own.</summary>
public sealed record WaitListPromoted(Guid QuotaId, Guid WaveId, string InstansiCode, Guid CaseId, string PolicyVersion, DateTimeOffset At) : IHousingQuotaEvent;

/// <summary>
/// The housing units of one instansi in one wave: who holds a unit and who waits, in rank order. Every selection,
/// release and wait-list promotion is appended to this stream, so optimistic concurrency lets exactly one of two
/// concurrent decisions on it commit and the quota can never be exceeded.
/// </summary>
public sealed record HousingQuota(Guid Id, Guid WaveId, string InstansiCode, int Units, string PolicyVersion)
{
    public bool SelectionDecided { get; init; }

    public IReadOnlyList<Guid> Occupants { get; init; } = [];

    public IReadOnlyList<Guid> WaitList { get; init; } = [];

    public int FreeUnits => Units - Occupants.Count;

    public static Guid IdFor(Guid waveId, string instansiCode) => StableId.For("housing-quota", waveId.ToString("N"), instansiCode);

    public static HousingQuota? Evolve(HousingQuota? state, object @event) => @event switch
    {
        HousingQuotaAllotted e => new HousingQuota(e.QuotaId, e.WaveId, e.InstansiCode, e.Units, e.PolicyVersion),
        InstansiSelectionDecided e => state! with { SelectionDecided = true, Occupants = e.Selected, WaitList = e.WaitListed },
        HousingUnitReleased e => state! with { Occupants = state.Occupants.Where(c => c != e.CaseId).ToList() },
        WaitListLeft e => state! with { WaitList = state.WaitList.Where(c => c != e.CaseId).ToList() },
        WaitListPromoted e => state! with { Occupants = [.. state.Occupants, e.CaseId], WaitList = state.WaitList.Where(c => c != e.CaseId).ToList() },
        _ => state,
    };
}

/// <summary>Rank the eligible nominations of one instansi and select within its housing units.</summary>
public sealed record SelectForInstansi(Guid QuotaId, DateTimeOffset Now);

/// <summary>Offer a freed unit to the first of the wait list.</summary>
public sealed record OfferFreedUnit(Guid QuotaId, DateTimeOffset Now);

/// <summary>Selection within an instansi's housing quota and the offer of a freed unit (brief section 4, R41).</summary>
public static partial class RelocationDecisions
{
    /// <summary>
    /// Ranks every eligible case of the instansi under the policy and selects the first as many as there are free
    /// housing units; the others are wait-listed in rank order (R41). Decided once per instansi and wave.
    /// </summary>
    public static Decision Select(HousingQuota? quota, RelocationPolicy policy, IEnumerable<RelocationCase> cases, SelectForInstansi command)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(command);
        if (quota is null)
        {
            return new Refusal(RefusalKind.NotFound, "relocation.no-quota", $"No housing quota {command.QuotaId}.", "quotaId");
        }

        if (quota.SelectionDecided)
        {
            return new Refusal(RefusalKind.Conflict, "relocation.selection-decided", $"The selection of instansi {quota.InstansiCode} is already decided.", "quotaId");
        }

        if (policy.Version != quota.PolicyVersion)
        {
            return new Refusal(RefusalKind.Invalid, "relocation.policy-mismatch", $"This quota is decided under {quota.PolicyVersion}, not {policy.Version}.");
        }

        var ranked = Screening.Rank(policy, cases.Where(c => c.WaveId == quota.WaveId && c.InstansiCode == quota.InstansiCode && c.Status == RelocationStatus.Eligible));
        var free = Math.Max(quota.FreeUnits, 0);
        var selected = ranked.Take(free).ToList();
        var waiting = ranked.Skip(free).ToList();
        var events = new List<object>
        {
            new InstansiSelectionDecided(quota.Id, quota.WaveId, quota.InstansiCode, policy.Version, selected.Select(c => c.Id).ToList(), waiting.Select(c => c.Id).ToList(), command.Now),
        };
        events.AddRange(selected.Select((c, i) => new RelocationSelected(c.Id, c.WaveId, c.InstansiCode, i + 1, false, policy.Version, command.Now)));
        events.AddRange(waiting.Select((c, i) => new RelocationWaitListed(c.Id, c.WaveId, c.InstansiCode, free + i + 1, policy.Version, command.Now)));
        return Decision.Accept([.. events]);
    }

    /// <summary>A freed unit goes to the first of the wait list, as a decision of its own.</summary>
    public static Decision OfferFreedUnit(HousingQuota? quota, RelocationCase? next, OfferFreedUnit command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (quota is null)
        {
            return new Refusal(RefusalKind.NotFound, "relocation.no-quota", $"No housing quota {command.QuotaId}.", "quotaId");
        }

        if (quota.FreeUnits <= 0)
        {
            return new Refusal(RefusalKind.Rule, "relocation.no-free-unit", $"All {quota.Units} housing units of instansi {quota.InstansiCode} are taken (R41).", "quotaId");
        }

        if (quota.WaitList.Count == 0)
        {
            return new Refusal(RefusalKind.Conflict, "relocation.wait-list-empty", $"Nobody waits for a unit of instansi {quota.InstansiCode}.", "quotaId");
        }

        if (next is null || next.Id != quota.WaitList[0] || next.Status != RelocationStatus.WaitListed)
        {
            return new Refusal(RefusalKind.Conflict, "relocation.wait-list-stale", "The first of the wait list is not the case given; reload and retry.", "quotaId");
        }

        return Decision.Accept(
            new WaitListPromoted(quota.Id, quota.WaveId, quota.InstansiCode, next.Id, quota.PolicyVersion, command.Now),
            new RelocationSelected(next.Id, next.WaveId, next.InstansiCode, next.Rank ?? 0, true, quota.PolicyVersion, command.Now));
    }
}
