using Merit.Career;
using Merit.Deciding;

namespace Merit.Relocation;

/// <summary>Open a wave of a programme under a policy version, with its instansi, units and housing units.</summary>
public sealed record OpenWave(string Programme, string Code, int Number, DateOnly StartsOn, string PolicyVersion, IReadOnlyList<WaveInstansi> Instansi, DateTimeOffset Now);

/// <summary>The instansi nominates a civil servant for a wave, with the facts the screening reads.</summary>
public sealed record Nominate(Guid WaveId, Guid ServantId, DateOnly NominatedOn, ScreeningFacts Facts, DateTimeOffset Now);

/// <summary>Rank the eligible nominations of one instansi and select within its housing units.</summary>
public sealed record SelectForInstansi(Guid QuotaId, DateTimeOffset Now);

/// <summary>Offer a freed unit to the first of the wait list.</summary>
public sealed record OfferFreedUnit(Guid QuotaId, DateTimeOffset Now);

public sealed record NotifySelected(Guid CaseId, DateOnly On, DateTimeOffset Now);

public sealed record AcceptRelocation(Guid CaseId, DateOnly On, DateTimeOffset Now);

public sealed record DeferRelocation(Guid CaseId, string Reason, DateOnly Until, DateOnly On, DateTimeOffset Now);

public sealed record DeclineRelocation(Guid CaseId, string Reason, DateOnly On, DateTimeOffset Now);

public sealed record WithdrawNomination(Guid CaseId, string Reason, DateOnly On, DateTimeOffset Now);

public sealed record RecordArrival(Guid CaseId, DateOnly ArrivedOn, int FamilyMembers, DateTimeOffset Now);

public sealed record CompleteRelocation(Guid CaseId, DateOnly On, DateTimeOffset Now);

/// <summary>The decisions of relocation to IKN (brief section 4, R41, R46): pure functions of the state they read and the command.</summary>
public static class RelocationDecisions
{
    /// <summary>Opens a wave under <paramref name="policy"/>, the document of the version the command names (null if there is none).</summary>
    public static Decision OpenWave(RelocationWave? existing, RelocationPolicy? policy, OpenWave command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (existing is not null)
        {
            return new Refusal(RefusalKind.Conflict, "relocation.wave-exists", $"Wave {command.Code} is already open.", "code");
        }

        if (policy is null || policy.Version != command.PolicyVersion)
        {
            return new Refusal(RefusalKind.Invalid, "relocation.unknown-policy", $"No relocation policy '{command.PolicyVersion}'; shipped: {string.Join(", ", RelocationPolicies.All.Select(p => p.Version))}.", "policyVersion");
        }

        if (command.Instansi.Count == 0 || command.Instansi.GroupBy(i => i.InstansiCode).Any(g => g.Count() > 1))
        {
            return new Refusal(RefusalKind.Invalid, "relocation.instansi-list", "A wave lists at least one instansi, each once.", "instansi");
        }

        var waveId = RelocationWave.IdFor(command.Code);
        var events = new List<object> { new RelocationWaveOpened(waveId, command.Programme, command.Code, command.Number, command.StartsOn, command.PolicyVersion, command.Instansi, command.Now) };
        events.AddRange(command.Instansi.Select(i => new HousingQuotaAllotted(HousingQuota.IdFor(waveId, i.InstansiCode), waveId, i.InstansiCode, i.HousingUnits, command.PolicyVersion, command.Now)));
        return Decision.Accept([.. events]);
    }

    /// <summary>
    /// Nomination and screening in one decision: the facts that only the nomination carries (the retirement date)
    /// are read once and not kept. The policy is the wave's; its version is named by the screening.
    /// </summary>
    public static Decision Nominate(RelocationWave? wave, RelocationPolicy policy, HousingQuota? quota, RelocationCase? existing, CareerRecord? record, Nominate command)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(command);
        if (wave is null)
        {
            return new Refusal(RefusalKind.NotFound, "relocation.no-wave", $"No relocation wave {command.WaveId}.", "waveId");
        }

        if (policy.Version != wave.PolicyVersion)
        {
            return new Refusal(RefusalKind.Invalid, "relocation.policy-mismatch", $"Wave {wave.Code} screens under {wave.PolicyVersion}, not {policy.Version}.");
        }

        if (record is null)
        {
            return new Refusal(RefusalKind.NotFound, "relocation.no-career-record", "No career record for this civil servant.", "servantId");
        }

        if (record.Status == ServantStatus.DismissedAsCpns)
        {
            return new Refusal(RefusalKind.Rule, "relocation.not-in-service", "The civil servant is no longer in service.", "servantId");
        }

        if (existing is not null)
        {
            return new Refusal(RefusalKind.Conflict, "relocation.already-nominated", $"This civil servant is already nominated for wave {wave.Code}.", "servantId");
        }

        if (wave.Find(record.InstansiCode) is not { } instansi)
        {
            return new Refusal(RefusalKind.Rule, "relocation.instansi-not-in-wave", $"Instansi {record.InstansiCode} is not a priority instansi of wave {wave.Code} (R41).", "servantId");
        }

        if (quota is { SelectionDecided: true })
        {
            return new Refusal(RefusalKind.Conflict, "relocation.selection-decided", $"The selection of instansi {instansi.InstansiCode} in wave {wave.Code} is already decided.", "waveId");
        }

        var caseId = RelocationCase.IdFor(wave.Id, record.Id);
        var checks = Screening.Screen(policy, wave, instansi, record, command.Facts);
        return Decision.Accept(
            new RelocationNominated(caseId, wave.Id, record.Id, instansi.InstansiCode, command.Facts.UnitCode, command.NominatedOn, command.Now),
            new RelocationScreened(caseId, wave.Id, instansi.InstansiCode, checks.All(c => c.Met), checks, command.Facts.MaritalStatus, command.Facts.Assessment?.Score, policy.Version, command.Now));
    }

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

    public static Decision Notify(RelocationCase? @case, NotifySelected command)
    {
        ArgumentNullException.ThrowIfNull(command);
        return InStatus(@case, command.CaseId, RelocationStatus.Selected) is { } refusal ? refusal : Decision.Accept(new RelocationNotified(@case!.Id, @case.WaveId, @case.InstansiCode, command.On, command.Now));
    }

    public static Decision Accept(RelocationCase? @case, AcceptRelocation command)
    {
        ArgumentNullException.ThrowIfNull(command);
        return InStatus(@case, command.CaseId, RelocationStatus.Notified, RelocationStatus.Deferred) is { } refusal ? refusal : Decision.Accept(new RelocationAccepted(@case!.Id, @case.WaveId, @case.InstansiCode, command.On, command.Now));
    }

    /// <summary>Deferral keeps the unit reserved until a later date, with the reason.</summary>
    public static Decision Defer(RelocationCase? @case, DeferRelocation command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (InStatus(@case, command.CaseId, RelocationStatus.Notified) is { } refusal)
        {
            return refusal;
        }

        return command.Until <= command.On
            ? new Refusal(RefusalKind.Invalid, "relocation.deferral-date", "A deferral lasts until a later date.", "until")
            : Decision.Accept(new RelocationDeferred(@case!.Id, @case.WaveId, @case.InstansiCode, command.Reason, command.Until, command.Now));
    }

    /// <summary>Declining frees the unit on the quota's stream, in the same decision.</summary>
    public static Decision Decline(RelocationCase? @case, DeclineRelocation command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (InStatus(@case, command.CaseId, RelocationStatus.Selected, RelocationStatus.Notified, RelocationStatus.Deferred) is { } refusal)
        {
            return refusal;
        }

        return Decision.Accept(
            new RelocationDeclined(@case!.Id, @case.WaveId, @case.InstansiCode, command.Reason, command.On, command.Now),
            new HousingUnitReleased(QuotaOf(@case), @case.WaveId, @case.InstansiCode, @case.Id, "declined", command.Now));
    }

    /// <summary>A withdrawal before arrival; a held unit is freed, a wait-list place is left.</summary>
    public static Decision Withdraw(RelocationCase? @case, HousingQuota? quota, WithdrawNomination command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (InStatus(@case, command.CaseId, RelocationStatus.Nominated, RelocationStatus.Eligible, RelocationStatus.Ineligible, RelocationStatus.Selected, RelocationStatus.WaitListed,
            RelocationStatus.Notified, RelocationStatus.Accepted, RelocationStatus.Deferred) is { } refusal)
        {
            return refusal;
        }

        var withdrawn = new RelocationWithdrawn(@case!.Id, @case.WaveId, @case.InstansiCode, command.Reason, command.On, command.Now);
        var quotaId = QuotaOf(@case);
        if (quota is not null && quota.Occupants.Contains(@case.Id))
        {
            return Decision.Accept(withdrawn, new HousingUnitReleased(quotaId, @case.WaveId, @case.InstansiCode, @case.Id, "withdrawn", command.Now));
        }

        return quota is not null && quota.WaitList.Contains(@case.Id)
            ? Decision.Accept(withdrawn, new WaitListLeft(quotaId, @case.WaveId, @case.InstansiCode, @case.Id, command.Now))
            : Decision.Accept(withdrawn);
    }

    /// <summary>Arrival at IKN with the family members who come along, within what the policy houses.</summary>
    public static Decision Arrive(RelocationCase? @case, RelocationPolicy policy, RecordArrival command)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(command);
        if (InStatus(@case, command.CaseId, RelocationStatus.Accepted, RelocationStatus.Deferred) is { } refusal)
        {
            return refusal;
        }

        if (@case!.Status == RelocationStatus.Deferred)
        {
            return new Refusal(RefusalKind.Conflict, "relocation.deferred", "A deferred relocation is accepted before the arrival is recorded.", "caseId");
        }

        if (command.FamilyMembers < 0 || command.FamilyMembers > policy.MaxAccompanyingFamily)
        {
            return new Refusal(RefusalKind.Rule, "relocation.family-members", $"Policy {policy.Version} houses at most {policy.MaxAccompanyingFamily} accompanying family members.", "familyMembers");
        }

        if (command.ArrivedOn < @case.NominatedOn)
        {
            return new Refusal(RefusalKind.Invalid, "relocation.arrival-date", "The arrival cannot precede the nomination.", "arrivedOn");
        }

        return Decision.Accept(new RelocationArrived(
            @case.Id, @case.WaveId, @case.InstansiCode, command.ArrivedOn, command.FamilyMembers, command.ArrivedOn.DayNumber - @case.NominatedOn.DayNumber, policy.Version, command.Now));
    }

    public static Decision Complete(RelocationCase? @case, CompleteRelocation command)
    {
        ArgumentNullException.ThrowIfNull(command);
        return InStatus(@case, command.CaseId, RelocationStatus.Relocated) is { } refusal ? refusal : Decision.Accept(new RelocationCompleted(@case!.Id, @case.WaveId, @case.InstansiCode, command.On, command.Now));
    }

    public static Guid QuotaOf(RelocationCase @case)
    {
        ArgumentNullException.ThrowIfNull(@case);
        return HousingQuota.IdFor(@case.WaveId, @case.InstansiCode);
    }

    private static Refusal? InStatus(RelocationCase? @case, Guid caseId, params RelocationStatus[] allowed)
    {
        if (@case is null)
        {
            return new Refusal(RefusalKind.NotFound, "relocation.no-case", $"No relocation case {caseId}.", "caseId");
        }

        return allowed.Contains(@case.Status)
            ? null
            : new Refusal(RefusalKind.Conflict, "relocation.wrong-status", $"The case is {@case.Status}; this needs {string.Join(" or ", allowed)}.", "caseId");
    }
}
