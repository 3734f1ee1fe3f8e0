using Merit.Deciding;

namespace Merit.Recruitment;

/// <summary>
/// Optimalisasi (R17): a vacant formation filled with an applicant of another formation of the same position
/// and education level who met the threshold and did not pass there; code P/L-2.
/// </summary>
public sealed record PlacedByOptimisation(Guid ApplicationId, Guid FormationId, Guid TargetFormationId, string Code, int PoolRank, string Reason, string RuleSetVersion, DateTimeOffset At) : IApplicationEvent;

/// <summary>The target formation's side of an optimisation placement.</summary>
public sealed record VacancyFilledByOptimisation(Guid FormationId, Guid ApplicationId, Guid SourceFormationId, string RuleSetVersion, DateTimeOffset At) : IFormationEvent;

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

/// <summary>Issue the NIP of a passer: the birth date comes from the personal-data store, the last sequence used for the same first 15 digits from the NIP registry.</summary>
public sealed record IssueNip(Guid ApplicationId, DateOnly TmtCpns, DateOnly BirthDate, int LastSequenceForPrefix, DateTimeOffset Now);

public sealed record PlaceByOptimisation(Guid TargetFormationId, Guid ApplicationId, DateTimeOffset Now);

public sealed record WithdrawAfterPassing(Guid ApplicationId, string Reason, DateTimeOffset Now);

public static class AppointmentDecisions
{
    public const string OptimisationCode = "P/L-2";

    /// <summary>
    /// The pool from which a vacancy is filled, best first: applicants of formations with the same position and
    /// education level who met the threshold, are not passers, and were not placed already; ordered by test total,
    /// then the blueprint's tie order (TKP, TIU, TWK for the SKD, and when no blueprint is given), then registration number.
    /// </summary>
    public static IReadOnlyList<Application> Pool(Formation target, IEnumerable<(Formation Formation, Application Application)> candidates, SkdBlueprint? blueprint = null)
    {
        var order = blueprint ?? new SkdBlueprint([], ["TKP", "TIU", "TWK"]);
        return candidates
            .Where(c => c.Formation.Id != target.Id
                && c.Formation.RoundId == target.RoundId
                && c.Formation.Position == target.Position
                && c.Formation.EducationLevel == target.EducationLevel
                && c.Application.SkdThresholdMet == true
                && !c.Application.IsPasser
                && !c.Application.Withdrawn
                && c.Application.PlacedInFormation is null)
            .Select(c => c.Application)
            .OrderBy(a => a.Skd!, Comparer<SkdScore>.Create((x, y) => Ranking.SkdOrder.Compare(x, y, order)))
            .ThenBy(a => a.RegistrationNumber, StringComparer.Ordinal)
            .ToList();
    }

    public static Decision PlaceByOptimisation(Round round, Formation target, IReadOnlyList<Application> pool, Application application, PlaceByOptimisation command)
    {
        if (round.Requires(RoundStage.Optimisation) is { } wrongStage)
        {
            return wrongStage;
        }

        if (!target.FinalDecided || target.Vacant == 0)
        {
            return new Refusal(RefusalKind.Rule, "optimisation.no-vacancy", $"Formation {target.Code} has no vacant place after its final result (R17).", "targetFormationId");
        }

        var position = pool.ToList().FindIndex(a => a.Id == application.Id);
        if (position < 0)
        {
            return new Refusal(RefusalKind.Rule, "optimisation.not-eligible", $"Application {application.RegistrationNumber} cannot fill {target.Code}: it needs the same position and education level, a met threshold, and no pass elsewhere (R17).", "applicationId");
        }

        if (position > 0)
        {
            return new Refusal(RefusalKind.Rule, "optimisation.not-best-ranked", $"Candidates are placed in best-rank order: {pool[0].RegistrationNumber} ranks before {application.RegistrationNumber} (R17).", "applicationId");
        }

        var reason = $"placed in {target.Code} by optimisation: best of {pool.Count} eligible (SKD {application.Skd!.Total}), same position and education level";
        return Decision.Accept(
            new PlacedByOptimisation(application.Id, application.FormationId, target.Id, OptimisationCode, 1, reason, round.RuleSetVersion, command.Now),
            new VacancyFilledByOptimisation(target.Id, application.Id, application.FormationId, round.RuleSetVersion, command.Now));
    }

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
            Identifiers.NipIssued issued => Decision.Accept(new NipAssigned(application.Id, application.FormationId, command.TmtCpns.Year, command.TmtCpns.Month, Identifiers.Nip.Parse(issued.Nip).Sequence, round.RuleSetVersion, command.Now)),
            Identifiers.NipRefused refused => refused.Refusal,
            _ => throw new InvalidOperationException("Unknown NIP allocation outcome."),
        };
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
