using Merit.Career;
using Merit.Deciding;

namespace Merit.Relocation;

/// <summary>An event of one civil servant's relocation case; <see cref="CaseId"/> is the stream id.</summary>
public interface IRelocationCaseEvent : IRelocationEvent
{
    Guid CaseId { get; }
}

/// <summary>Usulan instansi: the instansi nominates a civil servant (by the career record's pseudonymous id) for a wave.</summary>
public sealed record RelocationNominated(Guid CaseId, Guid WaveId, Guid ServantId, string InstansiCode, string UnitCode, DateOnly NominatedOn, DateTimeOffset At) : IRelocationCaseEvent;

/// <summary>The result of each criterion of the policy: a gate as met or not with its finding; never a birth or retirement date.</summary>
public sealed record CriterionResult(string Criterion, bool Met, string Finding);

/// <summary>
/// Screening against the wave's policy: each gate's result, whether eligible, and the ordering keys' values the
/// ranking reads (marital status and assessment score, which the policy names as ordering keys).
/// </summary>
public sealed record RelocationScreened(
    Guid CaseId, Guid WaveId, string InstansiCode, bool Eligible, IReadOnlyList<CriterionResult> Checks, MaritalStatus MaritalStatus, decimal? AssessmentScore, string PolicyVersion, DateTimeOffset At)
    : IRelocationCaseEvent;

/// <summary>Selected within the housing quota, at <see cref="Rank"/> of the instansi's ranking; <see cref="FromWaitList"/> after a freed unit.</summary>
public sealed record RelocationSelected(Guid CaseId, Guid WaveId, string InstansiCode, int Rank, bool FromWaitList, string PolicyVersion, DateTimeOffset At) : IRelocationCaseEvent;

/// <summary>Eligible, ranked below the housing quota.</summary>
public sealed record RelocationWaitListed(Guid CaseId, Guid WaveId, string InstansiCode, int Rank, string PolicyVersion, DateTimeOffset At) : IRelocationCaseEvent;

/// <summary>The selected employee is notified.</summary>
public sealed record RelocationNotified(Guid CaseId, Guid WaveId, string InstansiCode, DateOnly On, DateTimeOffset At) : IRelocationCaseEvent;

public sealed record RelocationAccepted(Guid CaseId, Guid WaveId, string InstansiCode, DateOnly On, DateTimeOffset At) : IRelocationCaseEvent;

/// <summary>Deferred with its reason until a date; the housing unit stays reserved.</summary>
public sealed record RelocationDeferred(Guid CaseId, Guid WaveId, string InstansiCode, string Reason, DateOnly Until, DateTimeOffset At) : IRelocationCaseEvent;

public sealed record RelocationDeclined(Guid CaseId, Guid WaveId, string InstansiCode, string Reason, DateOnly On, DateTimeOffset At) : IRelocationCaseEvent;

/// <summary>The nomination is withdrawn (by the instansi or the employee) at any point before arrival.</summary>
public sealed record RelocationWithdrawn(Guid CaseId, Guid WaveId, string InstansiCode, string Reason, DateOnly On, DateTimeOffset At) : IRelocationCaseEvent;

/// <summary>Arrived at IKN with <see cref="FamilyMembers"/> accompanying (housing counts them); the days since nomination for analytics.</summary>
public sealed record RelocationArrived(Guid CaseId, Guid WaveId, string InstansiCode, DateOnly ArrivedOn, int FamilyMembers, int DaysFromNomination, string PolicyVersion, DateTimeOffset At)
    : IRelocationCaseEvent;

public sealed record RelocationCompleted(Guid CaseId, Guid WaveId, string InstansiCode, DateOnly On, DateTimeOffset At) : IRelocationCaseEvent;

/// <summary>Where a relocation case stands.</summary>
public enum RelocationStatus
{
    Nominated,
    Ineligible,
    Eligible,
    Selected,
    WaitListed,
    Notified,
    Accepted,
    Deferred,
    Declined,
    Withdrawn,
    Relocated,
    Completed,
}

/// <summary>
/// One civil servant's relocation case in one wave: nominated, screened, ranked, selected or wait-listed, notified,
/// accepted / deferred / declined, relocated, completed. Keyed by wave and the career record's pseudonymous id.
/// </summary>
public sealed record RelocationCase(Guid Id, Guid WaveId, Guid ServantId, string InstansiCode, string UnitCode, DateOnly NominatedOn, RelocationStatus Status)
{
    public string? PolicyVersion { get; init; }

    public IReadOnlyList<CriterionResult> Checks { get; init; } = [];

    public MaritalStatus? MaritalStatus { get; init; }

    public decimal? AssessmentScore { get; init; }

    /// <summary>Rank within the instansi's ranking of the wave, once ranked.</summary>
    public int? Rank { get; init; }

    public string? DeferralReason { get; init; }

    public DateOnly? DeferredUntil { get; init; }

    public DateOnly? ArrivedOn { get; init; }

    public int? FamilyMembers { get; init; }

    public string? EndReason { get; init; }

    public static Guid IdFor(Guid waveId, Guid servantId) => StableId.For("relocation-case", waveId.ToString("N"), servantId.ToString("N"));

    public static RelocationCase? Evolve(RelocationCase? state, object @event) => @event switch
    {
        RelocationNominated e => new RelocationCase(e.CaseId, e.WaveId, e.ServantId, e.InstansiCode, e.UnitCode, e.NominatedOn, RelocationStatus.Nominated),
        RelocationScreened e => state! with
        {
            Status = e.Eligible ? RelocationStatus.Eligible : RelocationStatus.Ineligible,
            Checks = e.Checks,
            MaritalStatus = e.MaritalStatus,
            AssessmentScore = e.AssessmentScore,
            PolicyVersion = e.PolicyVersion,
        },
        RelocationSelected e => state! with { Status = RelocationStatus.Selected, Rank = e.Rank },
        RelocationWaitListed e => state! with { Status = RelocationStatus.WaitListed, Rank = e.Rank },
        RelocationNotified => state! with { Status = RelocationStatus.Notified },
        RelocationAccepted => state! with { Status = RelocationStatus.Accepted },
        RelocationDeferred e => state! with { Status = RelocationStatus.Deferred, DeferralReason = e.Reason, DeferredUntil = e.Until },
        RelocationDeclined e => state! with { Status = RelocationStatus.Declined, EndReason = e.Reason },
        RelocationWithdrawn e => state! with { Status = RelocationStatus.Withdrawn, EndReason = e.Reason },
        RelocationArrived e => state! with { Status = RelocationStatus.Relocated, ArrivedOn = e.ArrivedOn, FamilyMembers = e.FamilyMembers },
        RelocationCompleted => state! with { Status = RelocationStatus.Completed },
        _ => state,
    };
}

/// <summary>The instansi nominates a civil servant for a wave, with the facts the screening reads.</summary>
public sealed record Nominate(Guid WaveId, Guid ServantId, DateOnly NominatedOn, ScreeningFacts Facts, DateTimeOffset Now);

public sealed record NotifySelected(Guid CaseId, DateOnly On, DateTimeOffset Now);

public sealed record AcceptRelocation(Guid CaseId, DateOnly On, DateTimeOffset Now);

public sealed record DeferRelocation(Guid CaseId, string Reason, DateOnly Until, DateOnly On, DateTimeOffset Now);

public sealed record DeclineRelocation(Guid CaseId, string Reason, DateOnly On, DateTimeOffset Now);

public sealed record WithdrawNomination(Guid CaseId, string Reason, DateOnly On, DateTimeOffset Now);

public sealed record RecordArrival(Guid CaseId, DateOnly ArrivedOn, int FamilyMembers, DateTimeOffset Now);

public sealed record CompleteRelocation(Guid CaseId, DateOnly On, DateTimeOffset Now);

/// <summary>The decisions of relocation to IKN (brief section 4, R41, R46): pure functions of the state they read and the command.</summary>
public static partial class RelocationDecisions
{
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
