using Merit.Deciding;

namespace Merit.Relocation;

/// <summary>A wave of a relocation programme as decisions read it. Rebuilt from its one event.</summary>
public sealed record RelocationWave(Guid Id, string Programme, string Code, int Number, DateOnly StartsOn, string PolicyVersion, IReadOnlyList<WaveInstansi> Instansi)
{
    public static Guid IdFor(string code) => StableId.For("relocation-wave", code);

    public WaveInstansi? Find(string instansiCode) => Instansi.FirstOrDefault(i => i.InstansiCode == instansiCode);

    public static RelocationWave? Evolve(RelocationWave? state, object @event) => @event switch
    {
        RelocationWaveOpened e => new RelocationWave(e.WaveId, e.Programme, e.Code, e.Number, e.StartsOn, e.PolicyVersion, e.Instansi),
        _ => state,
    };
}

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
