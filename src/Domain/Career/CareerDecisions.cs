using Merit.Deciding;
using Merit.Recruitment;

namespace Merit.Career;

/// <summary>Appoint a recruitment passer as CPNS (the NIP is composed outside the domain; only its keyed id arrives here).</summary>
public sealed record AppointCpns(Guid ServantId, Guid ApplicationId, DateOnly TmtCpns, DateTimeOffset Now);

/// <summary>Record the latsar result of a CPNS.</summary>
public sealed record RecordLatsar(Guid ServantId, bool Passed, int WorkingDays, int LessonHours, DateOnly CompletedOn, DateTimeOffset Now);

public sealed record RecordHealthCertificate(Guid ServantId, bool Fit, DateOnly IssuedOn, DateTimeOffset Now);

/// <summary>End the probation: PNS appointment with <see cref="TmtPns"/>, or dismissal as CPNS (R19).</summary>
public sealed record ConcludeProbation(Guid ServantId, DateOnly TmtPns, DateTimeOffset Now);

public sealed record AssignPosition(Guid ServantId, PositionKind Kind, string Title, FunctionalLevel? FunctionalLevel, Rank? SuperiorRank, DateOnly From, DateTimeOffset Now);

public sealed record RatePerformance(Guid ServantId, int Year, Predicate Predicate, DateTimeOffset Now);

public sealed record RecordEducation(Guid ServantId, Education Education, DateOnly AcquiredOn, DateTimeOffset Now);

public sealed record ImposeDisciplinarySentence(Guid ServantId, string DecreeNumber, DisciplineLevel Level, DateOnly Start, DateOnly Until, DateTimeOffset Now);

public sealed record RecordEthicsViolation(Guid ServantId, string DecreeNumber, DateOnly On, DateTimeOffset Now);

public sealed record RecordServiceExam(Guid ServantId, ServiceExamLevel Level, bool Passed, DateOnly On, DateTimeOffset Now);

public sealed record GrantServiceExamExemption(Guid ServantId, ServiceExamLevel Level, string Reason, DateOnly On, DateTimeOffset Now);

public sealed record RecordCreditPoints(Guid ServantId, decimal Total, DateOnly On, DateTimeOffset Now);

public sealed record BlockServices(Guid ServantId, string Reference, string Reason, DateOnly On, DateTimeOffset Now);

public sealed record UnblockServices(Guid ServantId, string Reference, DateOnly On, DateTimeOffset Now);

/// <summary>One row of the workforce file, parsed: an existing civil servant's current record.</summary>
public sealed record ImportWorkforceRecord(
    Guid ServantId,
    string InstansiCode,
    DateOnly TmtCpns,
    DateOnly? TmtPns,
    Rank Rank,
    DateOnly RankSince,
    Education Education,
    PositionKind Position,
    FunctionalLevel? FunctionalLevel,
    Rank? SuperiorRank,
    IReadOnlyDictionary<int, Predicate> Predicates,
    IReadOnlyList<ServiceExamLevel> ServiceExamsPassed,
    decimal? CreditPoints,
    DateTimeOffset Now);

/// <summary>The decisions that build a civil servant's career record: appointment (R19), the facts promotion and talent rules read, blocks (R46), and the workforce import.</summary>
public static class CareerDecisions
{
    /// <summary>Maps the recruitment education level onto the career qualification.</summary>
    public static Education EducationOf(EducationLevel level) => level switch
    {
        EducationLevel.SD => Education.SD,
        EducationLevel.SLTP => Education.SLTP,
        EducationLevel.SLTA => Education.SLTA,
        EducationLevel.D1 => Education.D1,
        EducationLevel.D2 => Education.D2,
        EducationLevel.D3 => Education.D3,
        EducationLevel.D4 => Education.D4,
        EducationLevel.S1 => Education.S1,
        EducationLevel.S2 => Education.S2,
        _ => Education.S3,
    };

    /// <summary>
    /// A passer of a recruitment round with an issued NIP becomes a CPNS at the entry rank of the formation's
    /// education (Kep BKN 12/2002), at the instansi and position of the formation.
    /// </summary>
    public static Decision AppointCpns(CareerRecord? existing, Application application, Formation formation, AppointCpns command)
    {
        ArgumentNullException.ThrowIfNull(application);
        ArgumentNullException.ThrowIfNull(formation);
        ArgumentNullException.ThrowIfNull(command);
        if (existing is not null)
        {
            return new Refusal(RefusalKind.Conflict, "career.exists", "This NIP already has a career record.");
        }

        if (!application.IsPasser)
        {
            return new Refusal(RefusalKind.Rule, "appointment.not-a-passer", $"Application {application.RegistrationNumber} has not passed the selection; only passers are appointed CPNS.", "applicationId");
        }

        if (application.NipSequence is null)
        {
            return new Refusal(RefusalKind.Rule, "appointment.no-nip", $"Application {application.RegistrationNumber} has no NIP yet (R22).", "applicationId");
        }

        if (command.TmtCpns.Day != 1)
        {
            return new Refusal(RefusalKind.Invalid, "appointment.tmt-not-first", "The TMT CPNS is the 1st of a month (R22).", "tmtCpns");
        }

        var rules = AppointmentRules(command.TmtCpns);
        // The formation's requirement, not the applicant's highest level: an S2 holder passing an S1 formation enters at III/a.
        var education = EducationOf(formation.EducationLevel);
        return Decision.Accept(new CpnsAppointed(
            command.ServantId, application.PersonId, application.Id, formation.InstansiCode, formation.Position, education, rules.EntryRanks[education], command.TmtCpns, rules.Version, command.Now));
    }

    public static Decision RecordLatsar(CareerRecord? record, RecordLatsar command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (Cpns(record, command.ServantId) is { } refusal)
        {
            return refusal;
        }

        var rules = AppointmentRules(record!.TmtCpns);
        if (command.Passed && (command.WorkingDays < rules.LatsarWorkingDays || command.LessonHours < rules.LatsarLessonHours))
        {
            return new Refusal(RefusalKind.Rule, "latsar.incomplete", $"A latsar pass needs {rules.LatsarWorkingDays} working days and {rules.LatsarLessonHours} JP (R19, {rules.Version}).", "workingDays");
        }

        return Decision.Accept(new LatsarRecorded(record.Id, command.Passed, command.WorkingDays, command.LessonHours, command.CompletedOn, command.Now));
    }

    public static Decision RecordHealthCertificate(CareerRecord? record, RecordHealthCertificate command)
    {
        ArgumentNullException.ThrowIfNull(command);
        return Cpns(record, command.ServantId) ?? Decision.Accept(new HealthCertificateRecorded(record!.Id, command.Fit, command.IssuedOn, command.Now));
    }

    /// <summary>
    /// R19: after the probation year, a CPNS with a latsar pass and a health certificate is appointed PNS; one who
    /// failed either is dismissed as CPNS. Refused while the year or either result is missing.
    /// </summary>
    public static Decision ConcludeProbation(CareerRecord? record, ConcludeProbation command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (Cpns(record, command.ServantId) is { } refusal)
        {
            return refusal;
        }

        var rules = AppointmentRules(record!.TmtCpns);
        var probationEnds = record.TmtCpns.AddYears(rules.ProbationYears);
        if (DateOnly.FromDateTime(command.Now.UtcDateTime) < probationEnds)
        {
            return new Refusal(RefusalKind.Rule, "probation.not-complete", $"The probation of {rules.ProbationYears} year(s) ends on {PromotionEligibility.Iso(probationEnds)} (R19).");
        }

        if (record.Latsar is not { } latsar)
        {
            return new Refusal(RefusalKind.Conflict, "probation.latsar-missing", "No latsar result is recorded (R19).");
        }

        if (record.HealthFit is not { } fit)
        {
            return new Refusal(RefusalKind.Conflict, "probation.health-missing", "No health certificate is recorded (R19).");
        }

        var reasons = new List<string>();
        if (!latsar.Passed)
        {
            reasons.Add("latsar not passed");
        }

        if (!fit)
        {
            reasons.Add("not certified physically and mentally healthy");
        }

        if (reasons.Count > 0)
        {
            return Decision.Accept(new CpnsDismissed(record.Id, record.InstansiCode, reasons, rules.Version, command.Now));
        }

        if (command.TmtPns.Day != 1 || command.TmtPns < probationEnds)
        {
            return new Refusal(RefusalKind.Invalid, "probation.tmt-pns", $"The TMT PNS is the 1st of a month on or after the end of probation, {PromotionEligibility.Iso(probationEnds)} (R19).", "tmtPns");
        }

        return Decision.Accept(new PnsAppointed(record.Id, record.InstansiCode, command.TmtPns, rules.Version, command.Now));
    }

    public static Decision AssignPosition(CareerRecord? record, AssignPosition command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (Existing(record, command.ServantId) is { } refusal)
        {
            return refusal;
        }

        if ((command.Kind == PositionKind.Fungsional) != (command.FunctionalLevel is not null))
        {
            return new Refusal(RefusalKind.Invalid, "position.functional-level", "A functional position (JF) names its level, and only a functional position does.", "functionalLevel");
        }

        if (record!.Position is { } current && command.From < current.From)
        {
            return new Refusal(RefusalKind.Invalid, "position.out-of-order", $"The current position is held from {PromotionEligibility.Iso(current.From)}; a new one starts on or after it.", "from");
        }

        return Decision.Accept(new PositionAssigned(record.Id, command.Kind, command.Title, command.FunctionalLevel, command.SuperiorRank, command.From, command.Now));
    }

    public static Decision RatePerformance(CareerRecord? record, RatePerformance command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (Existing(record, command.ServantId) is { } refusal)
        {
            return refusal;
        }

        if (record!.PredicateOf(command.Year) is { } rated)
        {
            return rated == command.Predicate
                ? Decision.Accept()
                : new Refusal(RefusalKind.Conflict, "skp.already-rated", $"SKP {command.Year} is already recorded as {rated}.", "year");
        }

        if (command.Year < record.TmtCpns.Year || command.Year > command.Now.Year)
        {
            return new Refusal(RefusalKind.Invalid, "skp.year", $"An SKP year runs from the TMT CPNS year {record.TmtCpns.Year} to this year.", "year");
        }

        return Decision.Accept(new PerformanceRated(record.Id, command.Year, command.Predicate, command.Now));
    }

    public static Decision RecordEducation(CareerRecord? record, RecordEducation command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (Existing(record, command.ServantId) is { } refusal)
        {
            return refusal;
        }

        return record!.Educations.Any(e => e.Education == command.Education)
            ? new Refusal(RefusalKind.Conflict, "education.exists", $"{command.Education} is already recorded.", "education")
            : Decision.Accept(new EducationRecorded(record.Id, command.Education, command.AcquiredOn, command.Now));
    }

    public static Decision ImposeSentence(CareerRecord? record, ImposeDisciplinarySentence command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (Existing(record, command.ServantId) is { } refusal)
        {
            return refusal;
        }

        if (command.Until < command.Start)
        {
            return new Refusal(RefusalKind.Invalid, "discipline.period", "A sentence ends on or after the day it starts.", "until");
        }

        return record!.Sentences.Any(s => s.DecreeNumber == command.DecreeNumber)
            ? new Refusal(RefusalKind.Conflict, "discipline.exists", $"Sentence {command.DecreeNumber} is already recorded.", "decreeNumber")
            : Decision.Accept(new DisciplinarySentenceImposed(record.Id, command.DecreeNumber, command.Level, command.Start, command.Until, command.Now));
    }

    public static Decision RecordEthicsViolation(CareerRecord? record, RecordEthicsViolation command)
    {
        ArgumentNullException.ThrowIfNull(command);
        return Existing(record, command.ServantId) ?? Decision.Accept(new EthicsViolationRecorded(record!.Id, command.DecreeNumber, command.On, command.Now));
    }

    public static Decision RecordServiceExam(CareerRecord? record, RecordServiceExam command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (Existing(record, command.ServantId) is { } refusal)
        {
            return refusal;
        }

        return record!.ServiceExams.Any(e => e.Level == command.Level)
            ? new Refusal(RefusalKind.Conflict, "service-exam.done", $"Ujian dinas tingkat {command.Level} is already passed or exempted.", "level")
            : Decision.Accept(new ServiceExamRecorded(record.Id, command.Level, command.Passed, command.On, command.Now));
    }

    public static Decision GrantServiceExamExemption(CareerRecord? record, GrantServiceExamExemption command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (Existing(record, command.ServantId) is { } refusal)
        {
            return refusal;
        }

        return record!.ServiceExams.Any(e => e.Level == command.Level)
            ? new Refusal(RefusalKind.Conflict, "service-exam.done", $"Ujian dinas tingkat {command.Level} is already passed or exempted.", "level")
            : Decision.Accept(new ServiceExamExemptionGranted(record.Id, command.Level, command.Reason, command.On, command.Now));
    }

    public static Decision RecordCreditPoints(CareerRecord? record, RecordCreditPoints command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (Existing(record, command.ServantId) is { } refusal)
        {
            return refusal;
        }

        return PromotionEligibility.RouteOf(record!) != PromotionRoute.Functional
            ? new Refusal(RefusalKind.Rule, "credit-points.not-functional", "Credit points (angka kredit) count only for a functional position (R29).")
            : Decision.Accept(new CreditPointsRecorded(record!.Id, command.Total, command.On, command.Now));
    }

    public static Decision Block(CareerRecord? record, BlockServices command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (Existing(record, command.ServantId) is { } refusal)
        {
            return refusal;
        }

        return record!.Blocks.Contains(command.Reference)
            ? new Refusal(RefusalKind.Conflict, "block.exists", $"Block {command.Reference} is already in force.", "reference")
            : Decision.Accept(new ServiceBlocked(record.Id, command.Reference, command.Reason, command.On, command.Now));
    }

    public static Decision Unblock(CareerRecord? record, UnblockServices command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (Existing(record, command.ServantId) is { } refusal)
        {
            return refusal;
        }

        return record!.Blocks.Contains(command.Reference)
            ? Decision.Accept(new ServiceUnblocked(record.Id, command.Reference, command.On, command.Now))
            : new Refusal(RefusalKind.NotFound, "block.unknown", $"No block {command.Reference} is in force.", "reference");
    }

    /// <summary>
    /// One row of the workforce file. A row already imported with the same content appends nothing (re-import is
    /// idempotent); a row whose NIP was imported with other data is refused, since changes go through decisions.
    /// </summary>
    public static Decision Import(CareerRecord? existing, ImportWorkforceRecord command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var imported = new WorkforceRecordImported(
            command.ServantId, command.InstansiCode, command.TmtCpns, command.TmtPns, command.Rank, command.RankSince, command.Education,
            command.Position, command.FunctionalLevel, command.SuperiorRank, command.Predicates, command.ServiceExamsPassed, command.CreditPoints, command.Now);
        if (existing is not null)
        {
            return existing.ImportFingerprint is { } before && before == imported.Fingerprint()
                ? Decision.Accept()
                : new Refusal(RefusalKind.Conflict, "workforce.different-data", "This NIP already has a career record with other data; changes go through their own decisions.", "nip");
        }

        if (command.TmtCpns.Day != 1)
        {
            return new Refusal(RefusalKind.Invalid, "workforce.tmt-cpns", "The TMT CPNS is the 1st of a month (R22).", "tmtCpns");
        }

        if (command.RankSince < command.TmtCpns || command.TmtPns < command.TmtCpns)
        {
            return new Refusal(RefusalKind.Invalid, "workforce.dates", "The rank TMT and the TMT PNS fall on or after the TMT CPNS.", "rankTmt");
        }

        if ((command.Position == PositionKind.Fungsional) != (command.FunctionalLevel is not null))
        {
            return new Refusal(RefusalKind.Invalid, "position.functional-level", "A functional position (JF) names its level, and only a functional position does.", "functionalLevel");
        }

        if (command.CreditPoints is not null && command.Position != PositionKind.Fungsional)
        {
            return new Refusal(RefusalKind.Invalid, "credit-points.not-functional", "Credit points (angka kredit) count only for a functional position (R29).", "creditPoints");
        }

        return Decision.Accept(imported);
    }

    /// <summary>What a service command (promotion, transfer) needs: a record, and no BKN block in force (R46).</summary>
    public static Refusal? Service(CareerRecord? record, Guid servantId)
    {
        if (record is null)
        {
            return Missing(servantId);
        }

        return record.IsBlocked
            ? new Refusal(RefusalKind.Rule, "career.blocked", $"The civil servant's data and services are blocked by BKN ({string.Join(", ", record.Blocks)}); no service command is accepted until the block is lifted (R46).")
            : null;
    }

    internal static Refusal Missing(Guid servantId) => new(RefusalKind.NotFound, "career.not-found", $"No career record {servantId}.");

    private static Refusal? Existing(CareerRecord? record, Guid servantId) => record is null ? Missing(servantId) : null;

    private static Refusal? Cpns(CareerRecord? record, Guid servantId)
    {
        if (record is null)
        {
            return Missing(servantId);
        }

        return record.Status == ServantStatus.Cpns
            ? null
            : new Refusal(RefusalKind.Conflict, "probation.not-cpns", $"The civil servant is {record.Status}, not on CPNS probation.");
    }

    private static AppointmentRuleSet AppointmentRules(DateOnly tmtCpns) =>
        CareerRuleSets.Appointment.InForceOn(tmtCpns) ?? CareerRuleSets.Appointment.RuleSets[0];
}
