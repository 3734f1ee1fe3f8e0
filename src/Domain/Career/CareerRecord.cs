using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Merit.Deciding;

namespace Merit.Career;

/// <summary>
/// Every event of a civil servant's career stream. <see cref="ServantId"/> is the stream id: a keyed pseudonym of
/// the NIP (docs/adr/0009). The NIP itself, which embeds the birth date, never enters an event.
/// </summary>
public interface ICareerEvent
{
    Guid ServantId { get; }
}

/// <summary>
/// An existing civil servant's record as imported from the workforce file: current rank and its TMT, education,
/// position and the last SKP predicates. No name, NIK, birth date or NIP.
/// </summary>
public sealed record WorkforceRecordImported(
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
    DateTimeOffset At) : ICareerEvent
{
    /// <summary>
    /// A digest of the record's content (the time of import aside): a re-import of the same row has the same
    /// fingerprint and changes nothing. Holds no personal data; the NIP is not part of the event.
    /// </summary>
    public string Fingerprint()
    {
        var text = string.Join(
            '|',
            InstansiCode, Iso(TmtCpns), TmtPns is { } pns ? Iso(pns) : "", Rank.Code, Iso(RankSince), Education, Position, FunctionalLevel?.ToString() ?? "",
            SuperiorRank?.Code ?? "", string.Join(',', Predicates.OrderBy(p => p.Key).Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key}:{p.Value}"))),
            string.Join(',', ServiceExamsPassed.Order()), CreditPoints is { } points ? decimal.Round(points, 3).ToString("0.###", CultureInfo.InvariantCulture) : "");
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, 16));
    }

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

/// <summary>Riwayat jabatan: a position held from <see cref="From"/>, with the direct superior's rank where known.</summary>
public sealed record PositionAssigned(Guid ServantId, PositionKind Kind, string Title, FunctionalLevel? FunctionalLevel, Rank? SuperiorRank, DateOnly From, DateTimeOffset At) : ICareerEvent;

/// <summary>SKP: the yearly performance predicate.</summary>
public sealed record PerformanceRated(Guid ServantId, int Year, Predicate Predicate, DateTimeOffset At) : ICareerEvent;

/// <summary>Riwayat pendidikan: an education acquired (and recognised) on a date.</summary>
public sealed record EducationRecorded(Guid ServantId, Education Education, DateOnly AcquiredOn, DateTimeOffset At) : ICareerEvent;

/// <summary>Hukuman disiplin: a sentence served from <see cref="Start"/> through <see cref="Until"/> (inclusive).</summary>
public sealed record DisciplinarySentenceImposed(Guid ServantId, string DecreeNumber, DisciplineLevel Level, DateOnly Start, DateOnly Until, DateTimeOffset At) : ICareerEvent;

/// <summary>Pelanggaran kode etik: an ethics violation established on a date (R40).</summary>
public sealed record EthicsViolationRecorded(Guid ServantId, string DecreeNumber, DateOnly On, DateTimeOffset At) : ICareerEvent;

/// <summary>Ujian dinas result.</summary>
public sealed record ServiceExamRecorded(Guid ServantId, ServiceExamLevel Level, bool Passed, DateOnly On, DateTimeOffset At) : ICareerEvent;

/// <summary>Exemption from an ujian dinas (e.g. penyesuaian ijazah), with its reason (R30).</summary>
public sealed record ServiceExamExemptionGranted(Guid ServantId, ServiceExamLevel Level, string Reason, DateOnly On, DateTimeOffset At) : ICareerEvent;

/// <summary>Angka kredit: the credit points counted towards the next JF promotion, as assessed on a date (R29).</summary>
public sealed record CreditPointsRecorded(Guid ServantId, decimal Total, DateOnly On, DateTimeOffset At) : ICareerEvent;

/// <summary>Blokir data/layanan by BKN (Peraturan BKN 1/2023, R46): every service command is refused until it is lifted.</summary>
public sealed record ServiceBlocked(Guid ServantId, string Reference, string Reason, DateOnly On, DateTimeOffset At) : ICareerEvent;

/// <summary>A block lifted (buka blokir).</summary>
public sealed record ServiceUnblocked(Guid ServantId, string Reference, DateOnly On, DateTimeOffset At) : ICareerEvent;

/// <summary>The ranks held, each from its TMT.</summary>
public sealed record RankPeriod(Rank Rank, DateOnly Since, string Basis);

/// <summary>A position held from a date.</summary>
public sealed record PositionPeriod(PositionKind Kind, string Title, FunctionalLevel? FunctionalLevel, Rank? SuperiorRank, DateOnly From);

public sealed record EducationEntry(Education Education, DateOnly AcquiredOn);

public sealed record SentencePeriod(string DecreeNumber, DisciplineLevel Level, DateOnly Start, DateOnly Until)
{
    public bool ActiveOn(DateOnly date) => Start <= date && date <= Until;

    /// <summary>Whether any day of the sentence falls within [<paramref name="from"/>, <paramref name="to"/>].</summary>
    public bool Overlaps(DateOnly from, DateOnly to) => Start <= to && Until >= from;
}

/// <summary>An ujian dinas passed, or an exemption from it (with <see cref="ExemptionReason"/>).</summary>
public sealed record ServiceExamEntry(ServiceExamLevel Level, DateOnly On, string? ExemptionReason);

public sealed record LatsarResult(bool Passed, int WorkingDays, int LessonHours, DateOnly CompletedOn);

public sealed record CreditPointsEntry(decimal Total, DateOnly On);

/// <summary>The promotion proposed for this civil servant and not yet taken effect or rejected.</summary>
public sealed record OpenProposal(Guid ProposalId, PromotionRoute Route, Rank From, Rank To, DateOnly Tmt, string RuleSetVersion, bool Approved);

/// <summary>
/// A civil servant's career record (riwayat ASN) as decisions need it: appointment, rank and position history,
/// SKP predicates, education, disciplinary sentences, service exams, credit points, blocks and the open promotion.
/// Rebuilt from its events; never mutated.
/// </summary>
public sealed record CareerRecord(Guid Id, string InstansiCode, ServantStatus Status, DateOnly TmtCpns, Rank Rank, DateOnly RankSince)
{
    public Guid? PersonId { get; init; }

    public DateOnly? TmtPns { get; init; }

    public IReadOnlyList<RankPeriod> RankHistory { get; init; } = [];

    public IReadOnlyList<PositionPeriod> Positions { get; init; } = [];

    public IReadOnlyDictionary<int, Predicate> Predicates { get; init; } = new Dictionary<int, Predicate>();

    public IReadOnlyList<EducationEntry> Educations { get; init; } = [];

    public IReadOnlyList<SentencePeriod> Sentences { get; init; } = [];

    public IReadOnlyList<DateOnly> EthicsViolations { get; init; } = [];

    public IReadOnlyList<ServiceExamEntry> ServiceExams { get; init; } = [];

    public CreditPointsEntry? CreditPoints { get; init; }

    /// <summary>References of the BKN blocks in force (R46).</summary>
    public IReadOnlyList<string> Blocks { get; init; } = [];

    public LatsarResult? Latsar { get; init; }

    public bool? HealthFit { get; init; }

    public OpenProposal? Proposal { get; init; }

    /// <summary>Proposals made so far, taken effect or rejected included; numbers the next one.</summary>
    public int ProposalCount { get; init; }

    /// <summary>The fingerprint of the workforce row it was imported from, to recognise a re-import of the same row.</summary>
    public string? ImportFingerprint { get; init; }

    public bool IsBlocked => Blocks.Count > 0;

    public PositionPeriod? Position => Positions.Count == 0 ? null : Positions[^1];

    /// <summary>The predicate of <paramref name="year"/>, if rated.</summary>
    public Predicate? PredicateOf(int year) => Predicates.TryGetValue(year, out var p) ? p : null;

    /// <summary>The educations acquired on or before <paramref name="date"/>.</summary>
    public IEnumerable<EducationEntry> EducationsOn(DateOnly date) => Educations.Where(e => e.AcquiredOn <= date);

    public bool HasServiceExam(ServiceExamLevel level, DateOnly on) => ServiceExams.Any(e => e.Level == level && e.On <= on);

    /// <summary>The next state after an event of the career stream; the event store calls only this.</summary>
    public static CareerRecord? Evolve(CareerRecord? state, object @event) => @event switch
    {
        CpnsAppointed e => new CareerRecord(e.ServantId, e.InstansiCode, ServantStatus.Cpns, e.TmtCpns, e.Rank, e.TmtCpns)
        {
            PersonId = e.PersonId,
            RankHistory = [new RankPeriod(e.Rank, e.TmtCpns, "CPNS appointment")],
            Positions = [new PositionPeriod(PositionKind.Pelaksana, e.Position, null, null, e.TmtCpns)],
            Educations = [new EducationEntry(e.Education, e.TmtCpns)],
        },
        WorkforceRecordImported e => new CareerRecord(e.ServantId, e.InstansiCode, e.TmtPns is null ? ServantStatus.Cpns : ServantStatus.Pns, e.TmtCpns, e.Rank, e.RankSince)
        {
            TmtPns = e.TmtPns,
            RankHistory = [new RankPeriod(e.Rank, e.RankSince, "imported")],
            Positions = [new PositionPeriod(e.Position, e.Position.ToString(), e.FunctionalLevel, e.SuperiorRank, e.RankSince)],
            Predicates = new Dictionary<int, Predicate>(e.Predicates),
            Educations = [new EducationEntry(e.Education, e.TmtCpns)],
            ServiceExams = e.ServiceExamsPassed.Select(l => new ServiceExamEntry(l, e.TmtCpns, null)).ToList(),
            CreditPoints = e.CreditPoints is { } points ? new CreditPointsEntry(points, e.RankSince) : null,
            ImportFingerprint = e.Fingerprint(),
        },
        LatsarRecorded e => state! with { Latsar = new LatsarResult(e.Passed, e.WorkingDays, e.LessonHours, e.CompletedOn) },
        HealthCertificateRecorded e => state! with { HealthFit = e.Fit },
        PnsAppointed e => state! with { Status = ServantStatus.Pns, TmtPns = e.TmtPns },
        CpnsDismissed => state! with { Status = ServantStatus.DismissedAsCpns },
        PositionAssigned e => state! with { Positions = [.. state.Positions, new PositionPeriod(e.Kind, e.Title, e.FunctionalLevel, e.SuperiorRank, e.From)] },
        PerformanceRated e => state! with { Predicates = new Dictionary<int, Predicate>(state.Predicates) { [e.Year] = e.Predicate } },
        EducationRecorded e => state! with { Educations = [.. state.Educations, new EducationEntry(e.Education, e.AcquiredOn)] },
        DisciplinarySentenceImposed e => state! with { Sentences = [.. state.Sentences, new SentencePeriod(e.DecreeNumber, e.Level, e.Start, e.Until)] },
        EthicsViolationRecorded e => state! with { EthicsViolations = [.. state.EthicsViolations, e.On] },
        ServiceExamRecorded { Passed: true } e => state! with { ServiceExams = [.. state.ServiceExams, new ServiceExamEntry(e.Level, e.On, null)] },
        ServiceExamExemptionGranted e => state! with { ServiceExams = [.. state.ServiceExams, new ServiceExamEntry(e.Level, e.On, e.Reason)] },
        CreditPointsRecorded e => state! with { CreditPoints = new CreditPointsEntry(e.Total, e.On) },
        ServiceBlocked e => state! with { Blocks = [.. state.Blocks, e.Reference] },
        ServiceUnblocked e => state! with { Blocks = state.Blocks.Where(b => b != e.Reference).ToList() },
        Relocation.TransferredToOikn e => state! with { InstansiCode = e.ToInstansi },
        PromotionProposed e => state! with
        {
            Proposal = new OpenProposal(e.ProposalId, e.Route, e.From, e.To, e.Tmt, e.RuleSetVersion, false),
            ProposalCount = state.ProposalCount + 1,
        },
        PromotionApproved => state! with { Proposal = state.Proposal! with { Approved = true } },
        PromotionRejected => state! with { Proposal = null },
        PromotionTookEffect e => state! with
        {
            Rank = e.To,
            RankSince = e.Tmt,
            RankHistory = [.. state.RankHistory, new RankPeriod(e.To, e.Tmt, $"{e.Route} promotion ({e.RuleSetVersion})")],
            Proposal = null,
            CreditPoints = e.Route == PromotionRoute.Functional ? null : state.CreditPoints,
        },
        _ => state,
    };
}

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

/// <summary>The decisions that build a civil servant's career record: the facts promotion and talent rules read, blocks (R46), and the workforce import; the CPNS appointment and probation (R19) are in Probation.cs.</summary>
public static partial class CareerDecisions
{
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
}
