using System.Globalization;
using Merit.Deciding;

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

public sealed record AnnounceJptSelection(string Code, string InstansiCode, string Position, JptLevel Level, DateOnly RegistrationCloses, Rank? MinimumRank, DateTimeOffset Now);

public sealed record FormPansel(Guid SelectionId, string DecreeNumber, IReadOnlyList<PanselMember> Members, DateTimeOffset Now);

/// <summary>
/// Register an applicant. The birth date (from the NIP) is used for the age limit only and is not kept; the
/// other facts are the applicant's declared and verified record.
/// </summary>
public sealed record RegisterJptApplicant(
    Guid SelectionId,
    string ApplicantCode,
    Guid ServantId,
    DateOnly BirthDate,
    Education Education,
    int ExperienceYears,
    Post Post,
    int YearsInPost,
    Rank? Rank,
    string? PresidentialApproval,
    DateTimeOffset Now);

public sealed record ExtendJptRegistration(Guid SelectionId, DateTimeOffset Now);

public sealed record CloseJptRegistration(Guid SelectionId, DateTimeOffset Now);

public sealed record DeclareConflictOfInterest(Guid SelectionId, string MemberCode, string ApplicantCode, DateTimeOffset Now);

public sealed record RecordJptScore(Guid SelectionId, string MemberCode, string ApplicantCode, string Stage, decimal Score, bool NoConflictDeclared, DateTimeOffset Now);

public sealed record WithdrawJptApplicant(Guid SelectionId, string ApplicantCode, DateTimeOffset Now);

public sealed record ProposeJptShortlist(Guid SelectionId, DateTimeOffset Now);

public sealed record AppointFromShortlist(Guid SelectionId, string ApplicantCode, string Reason, DateTimeOffset Now);

public sealed record CancelJptSelection(Guid SelectionId, string Reason, DateTimeOffset Now);

/// <summary>JPT open selection (seleksi terbuka), R34–R38, as pure decisions over the selection's state.</summary>
public static class JptDecisions
{
    public static Guid IdFor(string code) => StableId.For("jpt-selection", code);

    public static Decision Announce(JptSelection? existing, AnnounceJptSelection command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (existing is not null)
        {
            return new Refusal(RefusalKind.Conflict, "jpt.exists", $"Selection {command.Code} is already announced.", "code");
        }

        var today = DateOnly.FromDateTime(command.Now.UtcDateTime);
        if (CareerRuleSets.Jpt.InForceOn(today) is not { } rules)
        {
            return new Refusal(RefusalKind.Invalid, "jpt.no-rule-set", "No JPT rule set is in force today.");
        }

        if (command.RegistrationCloses < today)
        {
            return new Refusal(RefusalKind.Invalid, "jpt.registration-closes", "Registration closes today or later.", "registrationCloses");
        }

        return Decision.Accept(new JptSelectionAnnounced(IdFor(command.Code), command.Code, command.InstansiCode, command.Position, command.Level, command.RegistrationCloses, command.MinimumRank, rules.Version, command.Now));
    }

    /// <summary>R34: an odd number of 5–9 members, internal members at most 45%, each internal member holding a post at least the level filled.</summary>
    public static Decision FormPansel(JptSelection? selection, FormPansel command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (Existing(selection, command.SelectionId) is { } missing)
        {
            return missing;
        }

        if (selection!.Pansel.Count > 0)
        {
            return new Refusal(RefusalKind.Conflict, "pansel.exists", "The pansel of this selection is already formed.");
        }

        if (selection.Status is not (JptStatus.Registration or JptStatus.Assessment) || selection.Scores.Count > 0)
        {
            return new Refusal(RefusalKind.Conflict, "pansel.too-late", "The pansel is formed before any stage is scored.");
        }

        var rules = selection.Rules().Pansel;
        var members = command.Members;
        if (members.Select(m => m.Code).Distinct(StringComparer.Ordinal).Count() != members.Count)
        {
            return new Refusal(RefusalKind.Invalid, "pansel.duplicate-member", "Each member appears once.", "members");
        }

        var problems = new List<(string Code, Wording Message)>();
        if (members.Count < rules.MinimumMembers || members.Count > rules.MaximumMembers)
        {
            problems.Add(("pansel.size", Wording.Of($"{members.Count} members; a pansel has {rules.MinimumMembers} to {rules.MaximumMembers}")));
        }

        if (rules.OddSize && members.Count % 2 == 0)
        {
            problems.Add(("pansel.even", Wording.Of($"{members.Count} members; the number is odd")));
        }

        var internalCount = members.Count(m => m.Internal);
        if (members.Count > 0 && internalCount > rules.InternalMaximumShare * members.Count)
        {
            problems.Add(("pansel.internal-share", Wording.Of($"{internalCount} of {members.Count} members are internal; at most {rules.InternalMaximumShare * 100:0.#}%")));
        }

        var allowed = rules.InternalPosts[selection.Level];
        var below = members.Where(m => m.Internal && (m.Post is not { } post || !allowed.Contains(post))).Select(m => m.Code).ToList();
        if (below.Count > 0)
        {
            problems.Add(("pansel.internal-post", Wording.Of($"internal member(s) {string.Join(", ", below)} hold no post of at least JPT {selection.Level} ({string.Join(", ", allowed)})")));
        }

        if (problems.Count > 0)
        {
            return new Refusal(RefusalKind.Rule, problems[0].Code, $"The pansel breaks R34: {Wording.Join("; ", problems.Select(p => p.Message))}.", "members");
        }

        return Decision.Accept(new PanselFormed(selection.Id, command.DecreeNumber, members, internalCount, selection.RuleSetVersion, command.Now));
    }

    /// <summary>The eligibility table of the level (R36) and the selection's minimum rank, each condition with its outcome.</summary>
    public static IReadOnlyList<JptCheck> Screen(JptSelection selection, RegisterJptApplicant command)
    {
        ArgumentNullException.ThrowIfNull(selection);
        ArgumentNullException.ThrowIfNull(command);
        var level = selection.Rules().Levels[selection.Level];
        var age = AgeOn(command.BirthDate, DateOnly.FromDateTime(command.Now.UtcDateTime));
        var checks = new List<JptCheck>
        {
            new("education", level.Educations.Contains(command.Education), $"{command.Education}; JPT {selection.Level} needs one of {string.Join(", ", level.Educations)}"),
            new("experience", command.ExperienceYears >= level.ExperienceYears, $"{command.ExperienceYears} years of related experience; at least {level.ExperienceYears}"),
            new("post", level.QualifyingPosts.Contains(command.Post), $"{command.Post}; JPT {selection.Level} needs a post as {string.Join(" or ", level.QualifyingPosts)}"),
            new("years-in-post", command.YearsInPost >= level.YearsInPost, $"{command.YearsInPost} years in that post; at least {level.YearsInPost}"),
            new("age", age <= level.MaximumAge, $"at most {level.MaximumAge} years old at registration: {(age <= level.MaximumAge ? "met" : "exceeded")}"),
        };
        if (selection.MinimumRank is { } minimum)
        {
            checks.Add(new("minimum-rank", command.Rank >= minimum, $"the selection requires at least {minimum}; {(command.Rank is { } rank ? rank.Code : "no rank")} held"));
        }

        return checks;
    }

    /// <summary>
    /// Registration with screening (R36): an applicant who fails the table is recorded as not eligible with the
    /// reasons, unless a recorded Presidential approval waives the table. A blocked civil servant is refused (R46).
    /// </summary>
    public static Decision Register(JptSelection? selection, CareerRecord? applicantRecord, RegisterJptApplicant command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (Existing(selection, command.SelectionId) is { } missing)
        {
            return missing;
        }

        if (selection!.Status != JptStatus.Registration || DateOnly.FromDateTime(command.Now.UtcDateTime) > selection.RegistrationCloses)
        {
            return new Refusal(RefusalKind.Rule, "jpt.registration-closed", $"Registration of {selection.Code} is closed.");
        }

        if (selection.Applicants.Any(a => a.Code == command.ApplicantCode))
        {
            return new Refusal(RefusalKind.Conflict, "jpt.applicant-exists", $"Applicant {command.ApplicantCode} is already registered.", "applicantCode");
        }

        if (selection.Applicants.Any(a => a.ServantId == command.ServantId))
        {
            return new Refusal(RefusalKind.Conflict, "jpt.already-applied", "This person has already applied to this selection.", "nip");
        }

        if (applicantRecord is not null && CareerDecisions.Service(applicantRecord, command.ServantId) is { } blocked)
        {
            return blocked;
        }

        var checks = Screen(selection, command);
        var table = checks.Where(c => c.Code != "minimum-rank");
        var eligible = (table.All(c => c.Met) || command.PresidentialApproval is not null) && checks.Where(c => c.Code == "minimum-rank").All(c => c.Met);
        return Decision.Accept(new JptApplicantRegistered(selection.Id, command.ApplicantCode, command.ServantId, eligible, checks, command.PresidentialApproval, selection.RuleSetVersion, command.Now));
    }

    /// <summary>R35: fewer eligible applicants than the minimum: the registration is extended by 7 days, at most twice.</summary>
    public static Decision Extend(JptSelection? selection, ExtendJptRegistration command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (InRegistration(selection, command.SelectionId) is { } refusal)
        {
            return refusal;
        }

        var rules = selection!.Rules().Registration;
        if (selection.EligibleApplicants >= rules.MinimumApplicants)
        {
            return new Refusal(RefusalKind.Rule, "jpt.enough-applicants", $"{selection.EligibleApplicants} eligible applicants: an extension is for fewer than {rules.MinimumApplicants} (R35).");
        }

        if (selection.Extensions >= rules.MaximumExtensions)
        {
            return new Refusal(RefusalKind.Rule, "jpt.extensions-exhausted", $"Registration was already extended {selection.Extensions} times, the most allowed (R35).");
        }

        return Decision.Accept(new JptRegistrationExtended(
            selection.Id, selection.Extensions + 1, selection.EligibleApplicants, selection.RegistrationCloses, selection.RegistrationCloses.AddDays(rules.ExtensionDays), selection.RuleSetVersion, command.Now));
    }

    /// <summary>R35: the selection proceeds past registration only with at least 4 eligible applicants, and with its pansel formed.</summary>
    public static Decision Close(JptSelection? selection, CloseJptRegistration command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (InRegistration(selection, command.SelectionId) is { } refusal)
        {
            return refusal;
        }

        var rules = selection!.Rules().Registration;
        if (selection.EligibleApplicants < rules.MinimumApplicants)
        {
            var left = rules.MaximumExtensions - selection.Extensions;
            return new Refusal(RefusalKind.Rule, "jpt.too-few-applicants", $"{selection.EligibleApplicants} eligible applicants; at least {rules.MinimumApplicants} per vacancy (R35). {(left > 0 ? Wording.Of($"{left} extension(s) of {rules.ExtensionDays} days remain.") : Wording.Of("No extension remains: cancel and repeat the selection."))}");
        }

        if (selection.Pansel.Count == 0)
        {
            return new Refusal(RefusalKind.Conflict, "jpt.no-pansel", "The pansel is formed before registration closes (R34).");
        }

        return Decision.Accept(new JptRegistrationClosed(selection.Id, selection.EligibleApplicants, selection.RuleSetVersion, command.Now));
    }

    /// <summary>R38: a declared conflict bars the member from scoring the applicant; scores already given by them for that applicant stop counting.</summary>
    public static Decision DeclareConflict(JptSelection? selection, DeclareConflictOfInterest command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (Existing(selection, command.SelectionId) is { } missing)
        {
            return missing;
        }

        if ((Member(selection!, command.MemberCode) ?? Applicant(selection!, command.ApplicantCode)) is { } unknown)
        {
            return unknown;
        }

        if (selection!.Status is JptStatus.Shortlisted or JptStatus.Appointed or JptStatus.Cancelled)
        {
            return new Refusal(RefusalKind.Conflict, "jpt.decided", "The pansel's list is already proposed.");
        }

        return selection.Conflicted(command.MemberCode, command.ApplicantCode)
            ? Decision.Accept()
            : Decision.Accept(new ConflictOfInterestDeclared(selection.Id, command.MemberCode, command.ApplicantCode, command.Now));
    }

    /// <summary>One member's score of one applicant at one stage (R38): the member declares no conflict, and one who declared a conflict is refused.</summary>
    public static Decision Score(JptSelection? selection, RecordJptScore command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (Existing(selection, command.SelectionId) is { } missing)
        {
            return missing;
        }

        if (selection!.Status != JptStatus.Assessment)
        {
            return new Refusal(RefusalKind.Conflict, "jpt.not-assessing", $"Scores are recorded after registration closes and before the list is proposed; the selection is in {selection.Status}.");
        }

        if ((Member(selection, command.MemberCode) ?? Applicant(selection, command.ApplicantCode)) is { } unknown)
        {
            return unknown;
        }

        var rules = selection.Rules();
        if (rules.Stages.All(s => s.Code != command.Stage))
        {
            return new Refusal(RefusalKind.Invalid, "jpt.unknown-stage", $"Stage must be one of {string.Join(", ", rules.Stages.Select(s => s.Code))}.", "stage");
        }

        if (command.Score < 0 || command.Score > rules.ScoreMaximum)
        {
            return new Refusal(RefusalKind.Invalid, "jpt.score-range", $"A score is 0 to {rules.ScoreMaximum}.", "score");
        }

        if (!command.NoConflictDeclared)
        {
            return new Refusal(RefusalKind.Rule, "jpt.conflict-of-interest", "A member who does not declare the absence of a conflict of interest cannot score this applicant (R38).", "noConflictDeclared");
        }

        if (selection.Conflicted(command.MemberCode, command.ApplicantCode))
        {
            return new Refusal(RefusalKind.Rule, "jpt.member-conflicted", $"Member {command.MemberCode} declared a conflict of interest with applicant {command.ApplicantCode} and cannot score them (R38).", "memberCode");
        }

        var applicant = selection.Applicants.Single(a => a.Code == command.ApplicantCode);
        if (!applicant.Eligible || applicant.Withdrawn)
        {
            return new Refusal(RefusalKind.Rule, "jpt.applicant-not-in-selection", $"Applicant {command.ApplicantCode} is not eligible or withdrew.", "applicantCode");
        }

        if (selection.Scores.Any(s => s.MemberCode == command.MemberCode && s.ApplicantCode == command.ApplicantCode && s.Stage == command.Stage))
        {
            return new Refusal(RefusalKind.Conflict, "jpt.already-scored", $"Member {command.MemberCode} already scored {command.ApplicantCode} at {command.Stage}.");
        }

        return Decision.Accept(new JptScoreRecorded(selection.Id, command.MemberCode, command.ApplicantCode, command.Stage, command.Score, true, selection.RuleSetVersion, command.Now));
    }

    public static Decision Withdraw(JptSelection? selection, WithdrawJptApplicant command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if ((Existing(selection, command.SelectionId) ?? Applicant(selection!, command.ApplicantCode)) is { } refusal)
        {
            return refusal;
        }

        if (selection!.Status is JptStatus.Appointed or JptStatus.Cancelled)
        {
            return new Refusal(RefusalKind.Conflict, "jpt.decided", "The selection is closed.");
        }

        return selection.Applicants.Single(a => a.Code == command.ApplicantCode).Withdrawn
            ? Decision.Accept()
            : Decision.Accept(new JptApplicantWithdrew(selection.Id, command.ApplicantCode, command.Now));
    }

    /// <summary>
    /// R37: the 3 best eligible applicants (or all remaining if fewer), ranked by the weighted total of the stage
    /// means of the members' scores (conflicted members' scores excluded). Refused while any member who may score an
    /// applicant has not scored every stage.
    /// </summary>
    public static Decision ProposeShortlist(JptSelection? selection, ProposeJptShortlist command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (Existing(selection, command.SelectionId) is { } missing)
        {
            return missing;
        }

        if (selection!.Status != JptStatus.Assessment)
        {
            return new Refusal(RefusalKind.Conflict, "jpt.not-assessing", $"The list is proposed after registration closes, once; the selection is in {selection.Status}.");
        }

        var rules = selection.Rules();
        var candidates = selection.Applicants.Where(a => a.Eligible && !a.Withdrawn).ToList();
        if (candidates.Count == 0)
        {
            return new Refusal(RefusalKind.Rule, "jpt.no-candidates", "No eligible applicant remains.");
        }

        var missingScores = new List<string>();
        var totals = new List<(JptApplicant Applicant, decimal Total, Dictionary<string, decimal> Means)>();
        foreach (var applicant in candidates)
        {
            var members = selection.Pansel.Where(m => !selection.Conflicted(m.Code, applicant.Code)).ToList();
            var means = new Dictionary<string, decimal>(StringComparer.Ordinal);
            foreach (var stage in rules.Stages)
            {
                var scores = selection.Scores.Where(s => s.ApplicantCode == applicant.Code && s.Stage == stage.Code && members.Any(m => m.Code == s.MemberCode)).ToList();
                if (scores.Count < members.Count || scores.Count == 0)
                {
                    missingScores.Add($"{applicant.Code}/{stage.Code}: {scores.Count} of {members.Count}");
                    continue;
                }

                means[stage.Code] = scores.Average(s => s.Score);
            }

            if (means.Count == rules.Stages.Count)
            {
                totals.Add((applicant, rules.Stages.Sum(s => s.Weight * means[s.Code]) / rules.Stages.Sum(s => s.Weight), means));
            }
        }

        if (missingScores.Count > 0)
        {
            return new Refusal(RefusalKind.Conflict, "jpt.scores-incomplete", $"Every member without a conflict scores every stage of every applicant (R38); missing: {string.Join("; ", missingScores.Take(20))}.");
        }

        var first = rules.Stages[0].Code;
        var ranked = totals
            .OrderByDescending(t => t.Total)
            .ThenByDescending(t => t.Means[first])
            .ThenBy(t => t.Applicant.RegisteredAt)
            .ThenBy(t => t.Applicant.Code, StringComparer.Ordinal)
            .Take(rules.ShortlistSize)
            .Select((t, i) => new ShortlistEntry(i + 1, t.Applicant.Code, t.Applicant.ServantId, decimal.Round(t.Total, 4, MidpointRounding.AwayFromZero), t.Means.ToDictionary(m => m.Key, m => decimal.Round(m.Value, 4, MidpointRounding.AwayFromZero), StringComparer.Ordinal)))
            .ToList();
        return Decision.Accept(new JptShortlistProposed(selection.Id, selection.InstansiCode, ranked, totals.Count, selection.RuleSetVersion, command.Now));
    }

    /// <summary>R37: the PPK appoints one of the 3 names; any other name is refused. Rank 1 need not be chosen.</summary>
    public static Decision Appoint(JptSelection? selection, AppointFromShortlist command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (Existing(selection, command.SelectionId) is { } missing)
        {
            return missing;
        }

        if (selection!.Status != JptStatus.Shortlisted)
        {
            return new Refusal(RefusalKind.Conflict, "jpt.not-shortlisted", $"The PPK appoints from the pansel's list; the selection is in {selection.Status}.");
        }

        if (selection.Shortlist.FirstOrDefault(s => s.ApplicantCode == command.ApplicantCode) is not { } chosen)
        {
            return new Refusal(RefusalKind.Rule, "jpt.not-in-shortlist", $"Applicant {command.ApplicantCode} is not one of the pansel's {selection.Shortlist.Count} names ({string.Join(", ", selection.Shortlist.Select(s => s.ApplicantCode))}); the PPK appoints one of them (R37).", "applicantCode");
        }

        return Decision.Accept(new JptAppointed(selection.Id, selection.InstansiCode, chosen.ApplicantCode, chosen.ServantId, chosen.Rank, command.Reason, selection.RuleSetVersion, command.Now));
    }

    public static Decision Cancel(JptSelection? selection, CancelJptSelection command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (Existing(selection, command.SelectionId) is { } missing)
        {
            return missing;
        }

        return selection!.Status is JptStatus.Appointed or JptStatus.Cancelled
            ? new Refusal(RefusalKind.Conflict, "jpt.decided", $"The selection is {selection.Status}.")
            : Decision.Accept(new JptSelectionCancelled(selection.Id, command.Reason, selection.RuleSetVersion, command.Now));
    }

    /// <summary>Age in whole years on a date.</summary>
    public static int AgeOn(DateOnly birthDate, DateOnly on)
    {
        var age = on.Year - birthDate.Year;
        return on < birthDate.AddYears(age) ? age - 1 : age;
    }

    private static Refusal? Existing(JptSelection? selection, Guid id) =>
        selection is null ? new Refusal(RefusalKind.NotFound, "jpt.not-found", $"No selection {id}.") : null;

    private static Refusal? InRegistration(JptSelection? selection, Guid id)
    {
        if (Existing(selection, id) is { } missing)
        {
            return missing;
        }

        return selection!.Status == JptStatus.Registration
            ? null
            : new Refusal(RefusalKind.Conflict, "jpt.not-in-registration", $"The selection is in {selection.Status}, not in registration.");
    }

    private static Refusal? Member(JptSelection selection, string code) =>
        selection.Pansel.Any(m => m.Code == code) ? null : new Refusal(RefusalKind.Invalid, "jpt.unknown-member", $"{code} is not a member of the pansel.", "memberCode");

    private static Refusal? Applicant(JptSelection selection, string code) =>
        selection.Applicants.Any(a => a.Code == code) ? null : new Refusal(RefusalKind.Invalid, "jpt.unknown-applicant", $"No applicant {code}.", "applicantCode");
}
