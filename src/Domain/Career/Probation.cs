using Merit.Deciding;
using Merit.Recruitment;

namespace Merit.Career;

/// <summary>Pengangkatan CPNS: a recruitment passer with a NIP appointed as candidate civil servant at the entry rank of their education.</summary>
public sealed record CpnsAppointed(
    Guid ServantId,
    Guid? PersonId,
    Guid? ApplicationId,
    string InstansiCode,
    string Position,
    Education Education,
    Rank Rank,
    DateOnly TmtCpns,
    string RuleSetVersion,
    DateTimeOffset At) : ICareerEvent;

/// <summary>Latsar (pelatihan dasar CPNS) result: passed or not, with the working days and lesson hours (JP) completed.</summary>
public sealed record LatsarRecorded(Guid ServantId, bool Passed, int WorkingDays, int LessonHours, DateOnly CompletedOn, DateTimeOffset At) : ICareerEvent;

/// <summary>Surat keterangan sehat jasmani dan rohani: the health certificate the PNS appointment needs (R19).</summary>
public sealed record HealthCertificateRecorded(Guid ServantId, bool Fit, DateOnly IssuedOn, DateTimeOffset At) : ICareerEvent;

/// <summary>Pengangkatan PNS after the probation year, a passed latsar and a health certificate (R19).</summary>
public sealed record PnsAppointed(Guid ServantId, string InstansiCode, DateOnly TmtPns, string RuleSetVersion, DateTimeOffset At) : ICareerEvent;

/// <summary>Pemberhentian sebagai CPNS: probation ended without a latsar pass or a health certificate (R19).</summary>
public sealed record CpnsDismissed(Guid ServantId, string InstansiCode, IReadOnlyList<string> Reasons, string RuleSetVersion, DateTimeOffset At) : ICareerEvent;

/// <summary>Appoint a recruitment passer as CPNS (the NIP is composed outside the domain; only its keyed id arrives here).</summary>
public sealed record AppointCpns(Guid ServantId, Guid ApplicationId, DateOnly TmtCpns, DateTimeOffset Now);

/// <summary>Record the latsar result of a CPNS.</summary>
public sealed record RecordLatsar(Guid ServantId, bool Passed, int WorkingDays, int LessonHours, DateOnly CompletedOn, DateTimeOffset Now);

public sealed record RecordHealthCertificate(Guid ServantId, bool Fit, DateOnly IssuedOn, DateTimeOffset Now);

/// <summary>End the probation: PNS appointment with <see cref="TmtPns"/>, or dismissal as CPNS (R19).</summary>
public sealed record ConcludeProbation(Guid ServantId, DateOnly TmtPns, DateTimeOffset Now);

/// <summary>The CPNS appointment of a recruitment passer and the probation that ends in a PNS appointment or a dismissal (R19).</summary>
public static partial class CareerDecisions
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
