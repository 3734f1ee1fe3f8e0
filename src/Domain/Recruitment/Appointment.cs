using Merit.Deciding;

namespace Merit.Recruitment;

/// <summary>
/// Optimalisasi (R17), as approved by Panselnas: a vacant formation filled with an applicant of a formation of the same
/// position and education level who sat the SKB and did not pass there; code P/L-2 with its sub-code (U-1, E-2, …).
/// <see cref="Reason"/> is Panselnas' approval.
/// </summary>
public sealed record PlacedByOptimisation(Guid ApplicationId, Guid FormationId, Guid TargetFormationId, string Code, int PoolRank, string Reason, string RuleSetVersion, DateTimeOffset At, string? SubCode = null) : IApplicationEvent;

/// <summary>The target formation's side of an optimisation placement.</summary>
public sealed record VacancyFilledByOptimisation(Guid FormationId, Guid ApplicationId, Guid SourceFormationId, string RuleSetVersion, DateTimeOffset At) : IFormationEvent;

/// <summary>
/// The instansi (PPK) proposes an applicant for a vacancy of the target formation <see cref="FormationId"/> (R17): the
/// best-ranked of the pool, with the pool's size, the applicant's final score and the sub-code the placement would take.
/// </summary>
public sealed record OptimisationProposed(Guid FormationId, Guid ApplicationId, Guid SourceFormationId, string RegistrationNumber, int PoolRank, int PoolSize, decimal? FinalScore, string? SubCode, string Reason, string RuleSetVersion, DateTimeOffset At) : IFormationEvent;

/// <summary>The applicant's side of a proposal: awaiting Panselnas for <see cref="TargetFormationId"/>.</summary>
public sealed record ProposedForOptimisation(Guid ApplicationId, Guid FormationId, Guid TargetFormationId, int PoolRank, string? SubCode, string RuleSetVersion, DateTimeOffset At) : IApplicationEvent;

/// <summary>Panselnas did not approve the proposal, and why; the vacancy is open to another proposal.</summary>
public sealed record OptimisationProposalRejected(Guid FormationId, Guid ApplicationId, string Reason, string RuleSetVersion, DateTimeOffset At) : IFormationEvent;

/// <summary>The applicant's side of a rejected proposal: not proposed for that formation again.</summary>
public sealed record OptimisationProposalDeclined(Guid ApplicationId, Guid FormationId, Guid TargetFormationId, string Reason, string RuleSetVersion, DateTimeOffset At) : IApplicationEvent;

/// <summary>
/// R24: the NIP issued and the NIK tell a different birth date or sex — a data-quality finding naming only which parts
/// differ, never the digits, for the committee to resolve.
/// </summary>
public sealed record IdentityMismatchFound(Guid ApplicationId, Guid FormationId, IReadOnlyList<string> Mismatches, string RuleSetVersion, DateTimeOffset At) : IApplicationEvent;

/// <summary>APS (mengundurkan diri): a passer withdrew; the person is barred from selection through <see cref="BannedThroughYear"/> (R18).</summary>
public sealed record WithdrewAfterPassing(Guid ApplicationId, Guid FormationId, Guid PersonId, int BannedThroughYear, string Reason, string RuleSetVersion, DateTimeOffset At) : IApplicationEvent;

/// <summary>The formation's place held by the withdrawn passer is vacant again, open to optimisation.</summary>
public sealed record PlaceVacatedByWithdrawal(Guid FormationId, Guid ApplicationId, bool WasOptimisationPlacement, string RuleSetVersion, DateTimeOffset At) : IFormationEvent;

/// <summary>
/// NIP issued (R22, R23). The event keeps the TMT and the sequence only: the NIP's first eight digits are the birth
/// date, personal data kept in the encrypted store, from which the full NIP is rebuilt (docs/adr/0004).
/// </summary>
public sealed record NipAssigned(Guid ApplicationId, Guid FormationId, int TmtYear, int TmtMonth, int Sequence, string RuleSetVersion, DateTimeOffset At) : IApplicationEvent;

/// <summary>
/// NI PPPK issued (brief 5.2, R26) instead of a NIP, to a PPPK passer. Like <see cref="NipAssigned"/> the event keeps
/// no birth date: the year, the code and the sequence; the number is rebuilt from the personal-data store.
/// </summary>
public sealed record NiPppkAssigned(Guid ApplicationId, Guid FormationId, int AppointmentYear, string Code, int Sequence, string RuleSetVersion, DateTimeOffset At) : IApplicationEvent;

/// <summary>
/// Issue the NI PPPK of a passer: the year of the first PPPK appointment, the 2-digit code BKN assigns (its meaning
/// is not derived, brief 5.2), the birth date from the personal-data store, and the last sequence used for the same
/// first 15 digits.
/// </summary>
public sealed record IssueNiPppk(Guid ApplicationId, int AppointmentYear, string Code, DateOnly BirthDate, int LastSequenceForPrefix, DateTimeOffset Now);

/// <summary>
/// Issue the NIP of a passer: the birth date comes from the personal-data store; the last sequence used for the same
/// first 15 digits is the highest any NIP already recorded carries — issued here, imported with the workforce, or
/// recorded elsewhere (R23); the NIK, where known, is checked against the NIP (R24) and enters no event.
/// </summary>
public sealed record IssueNip(Guid ApplicationId, DateOnly TmtCpns, DateOnly BirthDate, int LastSequenceForPrefix, DateTimeOffset Now, string? Nik = null);

/// <summary>The instansi's proposal of an applicant for a vacancy of <see cref="TargetFormationId"/> (R17).</summary>
public sealed record ProposeOptimisation(Guid TargetFormationId, Guid ApplicationId, string Reason, DateTimeOffset Now);

/// <summary>Panselnas' decision on a pending proposal: approved (the placement) or not, and why (R17).</summary>
public sealed record DecideOptimisationProposal(Guid TargetFormationId, Guid ApplicationId, bool Approve, string Reason, DateTimeOffset Now);

/// <summary>
/// One applicant of the optimisation pool of a vacancy: the formation they sat in, their competition rank in the pool
/// (1 = best; applicants equal on every criterion share it), and whether they are the target formation's own applicant
/// tied across its last place, who come first.
/// </summary>
public sealed record PoolCandidate(Application Application, Formation Source, int Rank, bool OwnTie);

public sealed record WithdrawAfterPassing(Guid ApplicationId, string Reason, DateTimeOffset Now);

public static class AppointmentDecisions
{
    public const string OptimisationCode = "P/L-2";

    /// <summary>
    /// The pool a vacancy is filled from, best first (R17, brief 2.9): applicants of formations of the same round,
    /// position and education level — the target's own included — who sat the SKB (or, without one, the test), are TL
    /// there, and meet the threshold of the place: the umum threshold for an umum place, their own category's for a
    /// khusus place. Neither passers, withdrawn, disqualified, placed, proposed elsewhere, nor declined for this
    /// formation. The target's own applicants tied across its last place come first; then the final combined score
    /// (exact), the test total, its subtests in the rule set's order and the GPA. The birth date, personal data, is not
    /// read: applicants equal on all of these share a rank, and the proposal may name any of them.
    /// </summary>
    public static IReadOnlyList<PoolCandidate> Pool(Formation target, IEnumerable<(Formation Formation, Application Application)> candidates, RuleSet rules)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(rules);
        var hasSkb = rules.HasStage(RoundStage.Skb);
        var umum = rules.ThresholdFor(FormationCategory.Umum);
        bool MeetsPlace(Application a) => target.Category == FormationCategory.Umum
            ? umum is not null && SkdRules.Assess(umum, a.Skd!).Met
            : a.SkdThresholdMet == true;

        var eligible = candidates
            .Where(c => c.Formation.RoundId == target.RoundId
                && c.Formation.Position == target.Position
                && c.Formation.EducationLevel == target.EducationLevel
                && c.Application.FinalStatus == Ranking.FinalStatus.TL
                && c.Application.Skd is not null
                && c.Application.SkdThresholdMet == true
                && (!hasSkb || c.Application.SkbScore is not null)
                && !c.Application.IsPasser
                && !c.Application.Withdrawn
                && !c.Application.Disqualified
                && c.Application.PlacedInFormation is null
                && c.Application.ProposedForFormation is null
                && !c.Application.OptimisationDeclinedFor.Contains(target.Id)
                && MeetsPlace(c.Application))
            .Select(c => (c.Formation, c.Application, OwnTie: c.Formation.Id == target.Id && c.Application.TiedAcrossLastPlace))
            .ToList();

        int Compare((Formation Formation, Application Application, bool OwnTie) x, (Formation Formation, Application Application, bool OwnTie) y)
        {
            var byOwnTie = y.OwnTie.CompareTo(x.OwnTie);
            if (byOwnTie != 0)
            {
                return byOwnTie;
            }

            var byFinal = Scaled(y.Application, rules).CompareTo(Scaled(x.Application, rules));
            if (byFinal != 0)
            {
                return byFinal;
            }

            var bySkd = Ranking.SkdOrder.Compare(x.Application.Skd!, y.Application.Skd!, rules.Skd);
            return bySkd != 0 ? bySkd : Nullable.Compare(y.Application.Gpa, x.Application.Gpa);
        }

        return Ranking.CompetitionRanking.Rank(eligible, Compare, c => c.Application.RegistrationNumber)
            .SelectMany(g => g.Members.Select(m => new PoolCandidate(m.Application, m.Formation, g.Rank, m.OwnTie)))
            .ToList();
    }

    /// <summary>
    /// The sub-code of a placement from <paramref name="source"/> into <paramref name="target"/> (brief 2.8), as the
    /// rule set names them; null where it names none.
    /// </summary>
    public static string? SubCode(RuleSet rules, Formation source, Formation target)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        if (rules.Optimisation is not { } codes)
        {
            return null;
        }

        var sameLocation = string.Equals(source.Location, target.Location, StringComparison.Ordinal);
        return target.Category == FormationCategory.Umum ? (sameLocation ? codes.UmumSameLocation : codes.UmumOtherLocation)
            : source.Category == target.Category ? codes.KhususSameCategory
            : sameLocation ? codes.KhususOtherCategorySameLocation
            : codes.KhususOtherCategoryOtherLocation;
    }

    /// <summary>
    /// The instansi proposes the best-ranked applicant of the pool for a vacancy of the target (R17): in stage
    /// Optimisation, while a vacancy awaits no other proposal.
    /// </summary>
    public static Decision ProposeOptimisation(Round round, Formation target, IReadOnlyList<PoolCandidate> pool, Application application, ProposeOptimisation command)
    {
        if (round.Requires(RoundStage.Optimisation) is { } wrongStage)
        {
            return wrongStage;
        }

        if (!target.FinalDecided || target.OpenToProposal == 0)
        {
            return new Refusal(RefusalKind.Rule, "optimisation.no-vacancy", $"Formation {target.Code} has no vacant place after its final result that awaits no proposal (R17).", "targetFormationId");
        }

        if (string.IsNullOrWhiteSpace(command.Reason))
        {
            return new Refusal(RefusalKind.Invalid, "optimisation.reason", "A proposal states its reason.", "reason");
        }

        if (pool.FirstOrDefault(c => c.Application.Id == application.Id) is not { } candidate)
        {
            return new Refusal(RefusalKind.Rule, "optimisation.not-eligible", $"Application {application.RegistrationNumber} cannot fill {target.Code}: it needs the same position and education level, a TL after sitting the SKB, the {(target.Category == FormationCategory.Umum ? "umum" : "own category's")} threshold, and no pass, placement or pending proposal elsewhere (R17).", "applicationId");
        }

        if (candidate.Rank > 1)
        {
            return new Refusal(RefusalKind.Rule, "optimisation.not-best-ranked", $"Candidates are proposed in best-rank order: {pool[0].Application.RegistrationNumber} ranks before {application.RegistrationNumber} (R17).", "applicationId");
        }

        var rules = round.Rules();
        var subCode = SubCode(rules, candidate.Source, target);
        var finalScore = application.Skd is { } skd ? Ranking.FinalScore.Rounded(Scaled(application, rules), rules) : (decimal?)null;
        return Decision.Accept(
            new OptimisationProposed(target.Id, application.Id, application.FormationId, application.RegistrationNumber, candidate.Rank, pool.Count, finalScore, subCode, command.Reason, rules.Version, command.Now),
            new ProposedForOptimisation(application.Id, application.FormationId, target.Id, candidate.Rank, subCode, rules.Version, command.Now));
    }

    /// <summary>Panselnas approves a pending proposal — the placement, P/L-2 with its sub-code — or rejects it, and says why (R17).</summary>
    public static Decision DecideOptimisationProposal(Round round, Formation target, Application application, DecideOptimisationProposal command)
    {
        if (round.Requires(RoundStage.Optimisation) is { } wrongStage)
        {
            return wrongStage;
        }

        if (!target.PendingProposals.Contains(application.Id) || application.ProposedForFormation != target.Id || application.Proposal is not { } proposal)
        {
            return new Refusal(RefusalKind.Conflict, "optimisation.no-proposal", $"No proposal of {application.RegistrationNumber} for {target.Code} awaits Panselnas.", "applicationId");
        }

        if (string.IsNullOrWhiteSpace(command.Reason))
        {
            return new Refusal(RefusalKind.Invalid, "optimisation.reason", "Panselnas states the reason of its decision.", "reason");
        }

        if (command.Approve && (application.Disqualified || application.Withdrawn))
        {
            return new Refusal(RefusalKind.Rule, "optimisation.no-longer-eligible", $"Application {application.RegistrationNumber} is {(application.Disqualified ? "disqualified" : "withdrawn")}; the proposal can only be rejected.", "approve");
        }

        var rules = round.Rules();
        if (!command.Approve)
        {
            return Decision.Accept(
                new OptimisationProposalRejected(target.Id, application.Id, command.Reason, rules.Version, command.Now),
                new OptimisationProposalDeclined(application.Id, application.FormationId, target.Id, command.Reason, rules.Version, command.Now));
        }

        return Decision.Accept(
            new PlacedByOptimisation(application.Id, application.FormationId, target.Id, OptimisationCode, proposal.PoolRank, $"placed in {target.Code} by optimisation, approved by Panselnas: {command.Reason}", rules.Version, command.Now, proposal.SubCode),
            new VacancyFilledByOptimisation(target.Id, application.Id, application.FormationId, rules.Version, command.Now));
    }

    /// <summary>The exact final combined score (R14), scaled as the ranking compares it.</summary>
    private static decimal Scaled(Application application, RuleSet rules) =>
        Ranking.FinalScore.Scaled(application.Skd!.Total, application.SkbScore ?? 0m, rules);

    public static Decision IssueNip(Round round, Application application, IssueNip command)
    {
        if (round.Requires(RoundStage.Appointment) is { } wrongStage)
        {
            return wrongStage;
        }

        if (!application.IsPasser)
        {
            return new Refusal(RefusalKind.Rule, "nip.not-a-passer", $"Application {application.RegistrationNumber} has not passed (P/L or P/L-2); only passers are appointed.");
        }

        if (round.Rules().EmployeeNumber != EmployeeNumber.Nip)
        {
            return new Refusal(RefusalKind.Rule, "nip.not-for-rule-set", $"Rule set {round.RuleSetVersion} appoints with an NI PPPK, not a NIP (brief 5.2).");
        }

        if (application.NipSequence is not null)
        {
            return new Refusal(RefusalKind.Conflict, "nip.already-issued", $"Application {application.RegistrationNumber} already has a NIP; a NIP is never issued twice.");
        }

        if (command.TmtCpns.Day != 1)
        {
            return new Refusal(RefusalKind.Invalid, "nip.tmt-not-first", "The TMT CPNS is the first day of a month (R22).", "tmtCpns");
        }

        var prefix = Identifiers.Nip.Prefix(command.BirthDate, command.TmtCpns, application.Sex);
        var registry = command.LastSequenceForPrefix == 0
            ? Identifiers.NipRegistry.Empty
            : Identifiers.NipRegistry.Empty.Record(Identifiers.Nip.Compose(prefix, command.LastSequenceForPrefix));
        return Identifiers.Nip.Allocate(registry, command.BirthDate, command.TmtCpns, application.Sex) switch
        {
            Identifiers.NipIssued issued => Issued(round, application, command, issued.Nip),
            Identifiers.NipRefused refused => refused.Refusal,
            _ => throw new InvalidOperationException("Unknown NIP allocation outcome."),
        };
    }

    /// <summary>
    /// The NIP's event and, where the NIK is known and well formed, the R24 check of the two: a mismatch is recorded as
    /// a data-quality finding beside the issue (brief 5.3), naming the parts that differ, not the digits.
    /// </summary>
    private static Decision Issued(Round round, Application application, IssueNip command, string nip)
    {
        var assigned = new NipAssigned(application.Id, application.FormationId, command.TmtCpns.Year, command.TmtCpns.Month, Identifiers.Nip.Parse(nip).Sequence, round.RuleSetVersion, command.Now);
        var mismatches = command.Nik is { } nik && PersonalData.Nik.Problem(nik) is null ? Identifiers.IdentityConsistency.Check(nik, nip) : [];
        return mismatches.Count == 0
            ? Decision.Accept(assigned)
            : Decision.Accept(assigned, new IdentityMismatchFound(application.Id, application.FormationId, mismatches, round.RuleSetVersion, command.Now));
    }

    /// <summary>
    /// Issue the NI PPPK (brief 5.2, R26): for a passer of a round whose rule set appoints with it, once; the
    /// sequence is one more than the highest ever used for the same first 15 digits, never reused.
    /// </summary>
    public static Decision IssueNiPppk(Round round, Application application, IssueNiPppk command)
    {
        if (round.Requires(RoundStage.Appointment) is { } wrongStage)
        {
            return wrongStage;
        }

        if (round.Rules().EmployeeNumber != EmployeeNumber.NiPppk)
        {
            return new Refusal(RefusalKind.Rule, "ni-pppk.not-for-rule-set", $"Rule set {round.RuleSetVersion} appoints with a NIP, not an NI PPPK (brief 5.1).");
        }

        if (!application.IsPasser)
        {
            return new Refusal(RefusalKind.Rule, "ni-pppk.not-a-passer", $"Application {application.RegistrationNumber} has not passed (P/L or P/L-2); only passers are appointed.");
        }

        if (application.IsAppointed)
        {
            return new Refusal(RefusalKind.Conflict, "ni-pppk.already-issued", $"Application {application.RegistrationNumber} already has its employee number; it is never issued twice.");
        }

        if (command.AppointmentYear < round.Rules().Year || command.AppointmentYear > 9999)
        {
            return new Refusal(RefusalKind.Invalid, "ni-pppk.year", $"The year of the first PPPK appointment is {round.Rules().Year} or later (R26).", "appointmentYear");
        }

        if (!Identifiers.DigitFields.AreAsciiDigits(command.Code, 2))
        {
            return new Refusal(RefusalKind.Invalid, "ni-pppk.code", "The NI PPPK code is two digits (R26).", "code");
        }

        if (command.LastSequenceForPrefix >= Identifiers.NiPppk.MaximumSequence)
        {
            return new Refusal(RefusalKind.Conflict, "ni-pppk.sequence-exhausted", "Every sequence number 001–999 has been issued for this birth date, year, code and sex; a number is never reassigned (R26).");
        }

        return Decision.Accept(new NiPppkAssigned(application.Id, application.FormationId, command.AppointmentYear, command.Code, command.LastSequenceForPrefix + 1, round.RuleSetVersion, command.Now));
    }

    public static Decision Withdraw(Round round, Application application, WithdrawAfterPassing command)
    {
        if (round.Requires(RoundStage.Optimisation, RoundStage.Appointment) is { } wrongStage)
        {
            return wrongStage;
        }

        if (!application.IsPasser)
        {
            return new Refusal(RefusalKind.Conflict, "withdrawal.not-a-passer", $"Application {application.RegistrationNumber} has not passed; only a passer withdraws with APS (R18).");
        }

        if (application.IsAppointed)
        {
            return new Refusal(RefusalKind.Conflict, "withdrawal.appointed", $"Application {application.RegistrationNumber} already has a NIP.");
        }

        var rules = round.Rules();
        var placedIn = application.PlacedInFormation ?? application.FormationId;
        return Decision.Accept(
            new WithdrewAfterPassing(application.Id, application.FormationId, application.PersonId, rules.Year + rules.WithdrawalBanYears, command.Reason, rules.Version, command.Now),
            new PlaceVacatedByWithdrawal(placedIn, application.Id, application.PlacedInFormation is not null, rules.Version, command.Now));
    }
}
