namespace Merit.Relocation;

/// <summary>Every relocation event names its wave and instansi, so progress can be counted per wave and instansi.</summary>
public interface IRelocationEvent
{
    Guid WaveId { get; }

    string InstansiCode { get; }
}

/// <summary>An event of one civil servant's relocation case; <see cref="CaseId"/> is the stream id.</summary>
public interface IRelocationCaseEvent : IRelocationEvent
{
    Guid CaseId { get; }
}

/// <summary>An event of one instansi's housing quota in a wave; <see cref="QuotaId"/> is the stream id.</summary>
public interface IHousingQuotaEvent : IRelocationEvent
{
    Guid QuotaId { get; }
}

/// <summary>One instansi of a wave: its priority eselon-I units and the housing units allotted to it.</summary>
public sealed record WaveInstansi(string InstansiCode, IReadOnlyList<string> Units, int HousingUnits);

/// <summary>Tahap pemindahan: a wave (tranche) of a relocation programme, with its instansi, units, housing and screening policy.</summary>
public sealed record RelocationWaveOpened(
    Guid WaveId, string Programme, string Code, int Number, DateOnly StartsOn, string PolicyVersion, IReadOnlyList<WaveInstansi> Instansi, DateTimeOffset At);

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
