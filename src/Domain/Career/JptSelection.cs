namespace Merit.Career;

/// <summary>Tingkat JPT: the level of the senior post filled by open selection.</summary>
public enum JptLevel
{
    Pratama,
    Madya,
    Utama,
}

/// <summary>A post held, as the JPT eligibility table (R36) and the pansel rule (R34) name it.</summary>
public enum Post
{
    Pelaksana,
    Pengawas,
    Administrator,
    JptPratama,
    JptMadya,
    JptUtama,
    JfAhliPertama,
    JfAhliMuda,
    JfAhliMadya,
    JfAhliUtama,
    /// <summary>Outside the civil service, or a post the table does not name.</summary>
    Other,
}

/// <summary>Where a selection stands.</summary>
public enum JptStatus
{
    /// <summary>Pengumuman dan pendaftaran.</summary>
    Registration,
    /// <summary>Registration closed: the committee's stages and scores.</summary>
    Assessment,
    /// <summary>The pansel proposed its 3 names to the PPK (R37).</summary>
    Shortlisted,
    /// <summary>The PPK appointed one of the 3.</summary>
    Appointed,
    /// <summary>Cancelled, e.g. too few applicants after two extensions.</summary>
    Cancelled,
}

/// <summary>
/// The rules of JPT open selection as data (PermenPANRB 15/2019, PP 11/2017 jo 17/2020, R34–R38).
/// </summary>
public sealed record JptRuleSet(
    string Version,
    DateOnly EffectiveFrom,
    IReadOnlyList<string> Sources,
    PanselRules Pansel,
    RegistrationRules Registration,
    int ShortlistSize,
    IReadOnlyDictionary<JptLevel, JptLevelRequirements> Levels,
    IReadOnlyList<JptStage> Stages,
    decimal ScoreMaximum) : ICareerRuleSet;

/// <summary>R34: an odd number of members in [min, max], internal members at most a share, each holding one of the posts named for the level filled.</summary>
public sealed record PanselRules(int MinimumMembers, int MaximumMembers, bool OddSize, decimal InternalMaximumShare, IReadOnlyDictionary<JptLevel, IReadOnlyList<Post>> InternalPosts);

/// <summary>R35: the minimum applicants per vacancy and the extensions allowed when fewer apply.</summary>
public sealed record RegistrationRules(int MinimumApplicants, int MaximumExtensions, int ExtensionDays);

/// <summary>R36: the eligibility table of one level (brief 3.5).</summary>
public sealed record JptLevelRequirements(IReadOnlyList<Education> Educations, int ExperienceYears, IReadOnlyList<Post> QualifyingPosts, int YearsInPost, int MaximumAge);

/// <summary>A scored stage of the selection and its weight in the total.</summary>
public sealed record JptStage(string Code, string Name, decimal Weight);

/// <summary>A pansel member: an opaque code (no name), internal or external, and for an internal member the post held.</summary>
public sealed record PanselMember(string Code, bool Internal, Post? Post);

/// <summary>A condition of the eligibility table, met or not (R36).</summary>
public sealed record JptCheck(string Code, bool Met, string Detail);

/// <summary>Every event of a selection's stream.</summary>
public interface IJptEvent
{
    Guid SelectionId { get; }
}

/// <summary>Pengumuman: a senior post of a level opened to selection, registration open until a date.</summary>
public sealed record JptSelectionAnnounced(Guid SelectionId, string Code, string InstansiCode, string Position, JptLevel Level, DateOnly RegistrationCloses, Rank? MinimumRank, string RuleSetVersion, DateTimeOffset At) : IJptEvent;

/// <summary>Panitia seleksi formed by PPK decree and validated (R34).</summary>
public sealed record PanselFormed(Guid SelectionId, string DecreeNumber, IReadOnlyList<PanselMember> Members, int Internal, string RuleSetVersion, DateTimeOffset At) : IJptEvent;

/// <summary>
/// An applicant registered and screened against the level's table (R36): eligible or not, with every check and
/// any Presidential approval that waived one. The applicant's NIP and birth date are not kept; <see cref="ServantId"/> is the keyed pseudonym.
/// </summary>
public sealed record JptApplicantRegistered(
    Guid SelectionId,
    string ApplicantCode,
    Guid ServantId,
    bool Eligible,
    IReadOnlyList<JptCheck> Checks,
    string? PresidentialApproval,
    string RuleSetVersion,
    DateTimeOffset At) : IJptEvent;

/// <summary>Perpanjangan pendaftaran: fewer than the minimum applied; registration extended (R35).</summary>
public sealed record JptRegistrationExtended(Guid SelectionId, int Number, int EligibleApplicants, DateOnly ClosesBefore, DateOnly ClosesNow, string RuleSetVersion, DateTimeOffset At) : IJptEvent;

/// <summary>Registration closed with enough eligible applicants (R35).</summary>
public sealed record JptRegistrationClosed(Guid SelectionId, int EligibleApplicants, string RuleSetVersion, DateTimeOffset At) : IJptEvent;

/// <summary>A member's declaration of a conflict of interest with an applicant: the member does not score them (R38).</summary>
public sealed record ConflictOfInterestDeclared(Guid SelectionId, string MemberCode, string ApplicantCode, DateTimeOffset At) : IJptEvent;

/// <summary>One member's score of one applicant at one stage, with the member's declaration of no conflict (R38).</summary>
public sealed record JptScoreRecorded(Guid SelectionId, string MemberCode, string ApplicantCode, string Stage, decimal Score, bool NoConflictDeclared, string RuleSetVersion, DateTimeOffset At) : IJptEvent;

/// <summary>An applicant withdrew.</summary>
public sealed record JptApplicantWithdrew(Guid SelectionId, string ApplicantCode, DateTimeOffset At) : IJptEvent;

/// <summary>One name of the pansel's list, with its total and stage means.</summary>
public sealed record ShortlistEntry(int Rank, string ApplicantCode, Guid ServantId, decimal Total, IReadOnlyDictionary<string, decimal> StageMeans);

/// <summary>The pansel's 3 ranked names proposed to the PPK (R37), from the recorded scores.</summary>
public sealed record JptShortlistProposed(Guid SelectionId, string InstansiCode, IReadOnlyList<ShortlistEntry> Shortlist, int Ranked, string RuleSetVersion, DateTimeOffset At) : IJptEvent;

/// <summary>The PPK's appointment of one of the 3 (R37); <see cref="ShortlistRank"/> need not be 1.</summary>
public sealed record JptAppointed(Guid SelectionId, string InstansiCode, string ApplicantCode, Guid ServantId, int ShortlistRank, string Reason, string RuleSetVersion, DateTimeOffset At) : IJptEvent;

/// <summary>The selection cancelled, with the reason.</summary>
public sealed record JptSelectionCancelled(Guid SelectionId, string Reason, string RuleSetVersion, DateTimeOffset At) : IJptEvent;

/// <summary>An applicant as the selection needs it.</summary>
public sealed record JptApplicant(string Code, Guid ServantId, bool Eligible, DateTimeOffset RegisteredAt, bool Withdrawn);

/// <summary>One recorded score.</summary>
public sealed record JptScore(string MemberCode, string ApplicantCode, string Stage, decimal Score);

/// <summary>A JPT open selection (seleksi terbuka) for one vacancy. Rebuilt from its events; never mutated.</summary>
public sealed record JptSelection(Guid Id, string Code, string InstansiCode, string Position, JptLevel Level, DateOnly RegistrationCloses, Rank? MinimumRank, string RuleSetVersion, JptStatus Status)
{
    public IReadOnlyList<PanselMember> Pansel { get; init; } = [];

    public IReadOnlyList<JptApplicant> Applicants { get; init; } = [];

    public int Extensions { get; init; }

    /// <summary>(member, applicant) pairs with a declared conflict of interest.</summary>
    public IReadOnlyList<string> Conflicts { get; init; } = [];

    public IReadOnlyList<JptScore> Scores { get; init; } = [];

    public IReadOnlyList<ShortlistEntry> Shortlist { get; init; } = [];

    public string? AppointedApplicant { get; init; }

    public JptRuleSet Rules() => CareerRuleSets.Jpt.Get(RuleSetVersion);

    public int EligibleApplicants => Applicants.Count(a => a.Eligible && !a.Withdrawn);

    public bool Conflicted(string member, string applicant) => Conflicts.Contains(ConflictKey(member, applicant));

    public static string ConflictKey(string member, string applicant) => member + "\u001f" + applicant;

    /// <summary>The next state after an event of the selection's stream; the event store calls only this.</summary>
    public static JptSelection? Evolve(JptSelection? state, object @event) => @event switch
    {
        JptSelectionAnnounced e => new JptSelection(e.SelectionId, e.Code, e.InstansiCode, e.Position, e.Level, e.RegistrationCloses, e.MinimumRank, e.RuleSetVersion, JptStatus.Registration),
        PanselFormed e => state! with { Pansel = e.Members },
        JptApplicantRegistered e => state! with { Applicants = [.. state.Applicants, new JptApplicant(e.ApplicantCode, e.ServantId, e.Eligible, e.At, false)] },
        JptRegistrationExtended e => state! with { Extensions = e.Number, RegistrationCloses = e.ClosesNow },
        JptRegistrationClosed => state! with { Status = JptStatus.Assessment },
        ConflictOfInterestDeclared e => state! with { Conflicts = [.. state.Conflicts, ConflictKey(e.MemberCode, e.ApplicantCode)] },
        JptScoreRecorded e => state! with { Scores = [.. state.Scores, new JptScore(e.MemberCode, e.ApplicantCode, e.Stage, e.Score)] },
        JptApplicantWithdrew e => state! with { Applicants = state.Applicants.Select(a => a.Code == e.ApplicantCode ? a with { Withdrawn = true } : a).ToList() },
        JptShortlistProposed e => state! with { Status = JptStatus.Shortlisted, Shortlist = e.Shortlist },
        JptAppointed e => state! with { Status = JptStatus.Appointed, AppointedApplicant = e.ApplicantCode },
        JptSelectionCancelled => state! with { Status = JptStatus.Cancelled },
        _ => state,
    };
}
