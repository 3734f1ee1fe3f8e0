using Merit.Career;
using Merit.Deciding;
using Merit.Recruitment;
using Merit.Recruitment.Ranking;
using Xunit;
using static Merit.Tests.Career.CareerFixtures;
using static Merit.Tests.Scenario;

namespace Merit.Tests.Career;

/// <summary>CPNS appointment from a recruitment passer, probation and PNS appointment or dismissal (R19); the workforce import; recorded facts.</summary>
public class AppointmentTests
{
    private static readonly DateOnly TmtCpns = D(2025, 3, 1);

    private static readonly Formation Formation = Merit.Tests.Recruitment.Fixtures.FormationIn();

    private static Application Passer(bool passed = true, int? nipSequence = 1) =>
        Application.Evolve(null, Merit.Tests.Recruitment.Fixtures.Registered())! with
        {
            FinalStatus = passed ? FinalStatus.PL : FinalStatus.TL,
            NipSequence = nipSequence,
        };

    private static CpnsAppointed Appointed() =>
        (CpnsAppointed)CareerDecisions.AppointCpns(null, Passer(), Formation, new AppointCpns(ServantId, Passer().Id, TmtCpns, At(2025, 2, 20))).Events.Single();

    [Fact]
    public void A_passer_with_a_NIP_becomes_CPNS_at_the_entry_rank_of_the_formations_education()
    {
        var application = Passer();
        Given<CareerRecord>(CareerRecord.Evolve)
            .When(r => CareerDecisions.AppointCpns(r, application, Formation, new AppointCpns(ServantId, application.Id, TmtCpns, At(2025, 2, 20))))
            .Then(new CpnsAppointed(ServantId, application.PersonId, application.Id, Formation.InstansiCode, Formation.Position, Education.S1, Rank.Parse("III/a"), TmtCpns, "APPOINTMENT-2017", At(2025, 2, 20)));

        var record = Record(Appointed());
        Assert.Equal((ServantStatus.Cpns, "III/a", TmtCpns), (record.Status, record.Rank.Code, record.RankSince));
    }

    [Fact]
    public void An_S2_holder_who_passed_an_S1_formation_enters_at_the_S1_entry_rank_R19()
    {
        var application = Passer() with { EducationLevel = EducationLevel.S2 };
        Given<CareerRecord>(CareerRecord.Evolve)
            .When(r => CareerDecisions.AppointCpns(r, application, Formation, new AppointCpns(ServantId, application.Id, TmtCpns, At(2025, 2, 20))))
            .Then(new CpnsAppointed(ServantId, application.PersonId, application.Id, Formation.InstansiCode, Formation.Position, Education.S1, Rank.Parse("III/a"), TmtCpns, "APPOINTMENT-2017", At(2025, 2, 20)));
    }

    [Fact]
    public void Only_a_passer_with_an_issued_NIP_is_appointed_and_only_once()
    {
        Given<CareerRecord>(CareerRecord.Evolve)
            .When(r => CareerDecisions.AppointCpns(r, Passer(passed: false), Formation, new AppointCpns(ServantId, Passer().Id, TmtCpns, At(2025, 2, 20))))
            .ThenRefusedAs("appointment.not-a-passer", RefusalKind.Rule);
        Given<CareerRecord>(CareerRecord.Evolve)
            .When(r => CareerDecisions.AppointCpns(r, Passer(nipSequence: null), Formation, new AppointCpns(ServantId, Passer().Id, TmtCpns, At(2025, 2, 20))))
            .ThenRefusedAs("appointment.no-nip", RefusalKind.Rule);
        Given<CareerRecord>(CareerRecord.Evolve, Appointed())
            .When(r => CareerDecisions.AppointCpns(r, Passer(), Formation, new AppointCpns(ServantId, Passer().Id, TmtCpns, At(2025, 2, 20))))
            .ThenRefusedAs("career.exists", RefusalKind.Conflict);
    }

    [Fact]
    public void After_a_year_a_latsar_pass_and_a_health_certificate_the_CPNS_is_appointed_PNS_R19()
    {
        var latsar = new LatsarRecorded(ServantId, true, 113, 1141, D(2025, 9, 30), At(2025, 10, 1));
        var health = new HealthCertificateRecorded(ServantId, true, D(2026, 1, 15), At(2026, 1, 16));

        Given<CareerRecord>(CareerRecord.Evolve, Appointed(), latsar, health)
            .When(r => CareerDecisions.ConcludeProbation(r, new ConcludeProbation(ServantId, D(2026, 3, 1), At(2026, 2, 27))))
            .ThenRefusedAs("probation.not-complete", RefusalKind.Rule);
        Given<CareerRecord>(CareerRecord.Evolve, Appointed(), health)
            .When(r => CareerDecisions.ConcludeProbation(r, new ConcludeProbation(ServantId, D(2026, 3, 1), At(2026, 3, 1))))
            .ThenRefusedAs("probation.latsar-missing", RefusalKind.Conflict);
        Given<CareerRecord>(CareerRecord.Evolve, Appointed(), latsar)
            .When(r => CareerDecisions.ConcludeProbation(r, new ConcludeProbation(ServantId, D(2026, 3, 1), At(2026, 3, 1))))
            .ThenRefusedAs("probation.health-missing", RefusalKind.Conflict);
        Given<CareerRecord>(CareerRecord.Evolve, Appointed(), latsar, health)
            .When(r => CareerDecisions.ConcludeProbation(r, new ConcludeProbation(ServantId, D(2026, 2, 1), At(2026, 3, 1))))
            .ThenRefusedAs("probation.tmt-pns", RefusalKind.Invalid);

        Given<CareerRecord>(CareerRecord.Evolve, Appointed(), latsar, health)
            .When(r => CareerDecisions.ConcludeProbation(r, new ConcludeProbation(ServantId, D(2026, 3, 1), At(2026, 3, 1))))
            .Then(new PnsAppointed(ServantId, Formation.InstansiCode, D(2026, 3, 1), "APPOINTMENT-2017", At(2026, 3, 1)));
    }

    [Theory]
    [InlineData(false, true, "latsar not passed")]
    [InlineData(true, false, "not certified physically and mentally healthy")]
    public void A_CPNS_without_a_latsar_pass_or_health_certificate_is_dismissed_R19(bool latsarPassed, bool fit, string reason)
    {
        var latsar = new LatsarRecorded(ServantId, latsarPassed, 113, latsarPassed ? 1141 : 600, D(2025, 9, 30), At(2025, 10, 1));
        var health = new HealthCertificateRecorded(ServantId, fit, D(2026, 1, 15), At(2026, 1, 16));
        Given<CareerRecord>(CareerRecord.Evolve, Appointed(), latsar, health)
            .When(r => CareerDecisions.ConcludeProbation(r, new ConcludeProbation(ServantId, D(2026, 3, 1), At(2026, 3, 1))))
            .Then(new CpnsDismissed(ServantId, Formation.InstansiCode, [reason], "APPOINTMENT-2017", At(2026, 3, 1)));
    }

    [Fact]
    public void A_latsar_pass_needs_113_working_days_and_1141_JP_R19()
    {
        Given<CareerRecord>(CareerRecord.Evolve, Appointed())
            .When(r => CareerDecisions.RecordLatsar(r, new RecordLatsar(ServantId, true, 112, 1141, D(2025, 9, 30), At(2025, 10, 1))))
            .ThenRefusedAs("latsar.incomplete", RefusalKind.Rule);
        Given<CareerRecord>(CareerRecord.Evolve, Appointed())
            .When(r => CareerDecisions.RecordLatsar(r, new RecordLatsar(ServantId, true, 113, 1140, D(2025, 9, 30), At(2025, 10, 1))))
            .ThenRefusedAs("latsar.incomplete", RefusalKind.Rule);
        Given<CareerRecord>(CareerRecord.Evolve, Appointed())
            .When(r => CareerDecisions.RecordLatsar(r, new RecordLatsar(ServantId, true, 113, 1141, D(2025, 9, 30), At(2025, 10, 1))))
            .ThenSingle<LatsarRecorded>();
        Given<CareerRecord>(CareerRecord.Evolve, Imported())
            .When(r => CareerDecisions.RecordLatsar(r, new RecordLatsar(ServantId, true, 113, 1141, D(2025, 9, 30), At(2025, 10, 1))))
            .ThenRefusedAs("probation.not-cpns", RefusalKind.Conflict);
    }

    [Fact]
    public void A_workforce_row_imports_once_and_the_same_row_again_appends_nothing()
    {
        var row = new ImportWorkforceRecord(ServantId, Instansi, D(2005, 3, 1), D(2006, 3, 1), Rank.Parse("III/b"), D(2021, 4, 1), Education.S1, PositionKind.Pelaksana, null, Rank.Parse("III/d"),
            new Dictionary<int, Predicate> { [2024] = Predicate.Baik, [2023] = Predicate.SangatBaik }, [ServiceExamLevel.I], null, ImportedAt);
        var imported = Given<CareerRecord>(CareerRecord.Evolve).When(r => CareerDecisions.Import(r, row)).ThenSingle<WorkforceRecordImported>();
        var record = Record(imported);
        Assert.Equal((ServantStatus.Pns, "III/b", Predicate.SangatBaik), (record.Status, record.Rank.Code, record.PredicateOf(2023)));

        Given<CareerRecord>(CareerRecord.Evolve, imported)
            .When(r => CareerDecisions.Import(r, row with { Now = ImportedAt.AddDays(1), Predicates = new Dictionary<int, Predicate> { [2023] = Predicate.SangatBaik, [2024] = Predicate.Baik } }))
            .ThenNothing();
        Given<CareerRecord>(CareerRecord.Evolve, imported)
            .When(r => CareerDecisions.Import(r, row with { Rank = Rank.Parse("III/c") }))
            .ThenRefusedAs("workforce.different-data", RefusalKind.Conflict);
        Given<CareerRecord>(CareerRecord.Evolve)
            .When(r => CareerDecisions.Import(r, row with { RankSince = D(2004, 1, 1) }))
            .ThenRefusedAs("workforce.dates", RefusalKind.Invalid);
        Given<CareerRecord>(CareerRecord.Evolve)
            .When(r => CareerDecisions.Import(r, row with { Position = PositionKind.Fungsional }))
            .ThenRefusedAs("position.functional-level", RefusalKind.Invalid);
    }

    [Fact]
    public void Facts_are_recorded_once_and_in_order()
    {
        var imported = Imported();
        Given<CareerRecord>(CareerRecord.Evolve, imported)
            .When(r => CareerDecisions.RatePerformance(r, new RatePerformance(ServantId, 2024, Predicate.SangatBaik, At(2025, 1, 10))))
            .ThenRefusedAs("skp.already-rated", RefusalKind.Conflict);
        Given<CareerRecord>(CareerRecord.Evolve, imported)
            .When(r => CareerDecisions.RatePerformance(r, new RatePerformance(ServantId, 2024, Predicate.Baik, At(2025, 1, 10))))
            .ThenNothing();
        Given<CareerRecord>(CareerRecord.Evolve, imported with { Predicates = new Dictionary<int, Predicate>() })
            .When(r => CareerDecisions.RatePerformance(r, new RatePerformance(ServantId, 2024, Predicate.Kurang, At(2025, 1, 10))))
            .Then(new PerformanceRated(ServantId, 2024, Predicate.Kurang, At(2025, 1, 10)));
        Given<CareerRecord>(CareerRecord.Evolve, imported)
            .When(r => CareerDecisions.AssignPosition(r, new AssignPosition(ServantId, PositionKind.Fungsional, "Analis Kebijakan", null, null, D(2025, 1, 1), At(2025, 1, 1))))
            .ThenRefusedAs("position.functional-level", RefusalKind.Invalid);
        Given<CareerRecord>(CareerRecord.Evolve, imported)
            .When(r => CareerDecisions.AssignPosition(r, new AssignPosition(ServantId, PositionKind.Pelaksana, "Pengadministrasi", null, null, D(2010, 1, 1), At(2025, 1, 1))))
            .ThenRefusedAs("position.out-of-order", RefusalKind.Invalid);
        Given<CareerRecord>(CareerRecord.Evolve, imported)
            .When(r => CareerDecisions.ImposeSentence(r, new ImposeDisciplinarySentence(ServantId, "KEP-1", DisciplineLevel.Light, D(2025, 2, 1), D(2025, 1, 1), At(2025, 1, 1))))
            .ThenRefusedAs("discipline.period", RefusalKind.Invalid);
        Given<CareerRecord>(CareerRecord.Evolve, imported)
            .When(r => CareerDecisions.RecordCreditPoints(r, new RecordCreditPoints(ServantId, 12m, D(2025, 1, 1), At(2025, 1, 1))))
            .ThenRefusedAs("credit-points.not-functional", RefusalKind.Rule);
        Given<CareerRecord>(CareerRecord.Evolve, imported)
            .When(r => CareerDecisions.Unblock(r, new UnblockServices(ServantId, "BKN-X", D(2025, 1, 1), At(2025, 1, 1))))
            .ThenRefusedAs("block.unknown", RefusalKind.NotFound);
        Given<CareerRecord>(CareerRecord.Evolve)
            .When(r => CareerDecisions.RecordEducation(r, new RecordEducation(ServantId, Education.S2, D(2025, 1, 1), At(2025, 1, 1))))
            .ThenRefusedAs("career.not-found", RefusalKind.NotFound);
    }
}
