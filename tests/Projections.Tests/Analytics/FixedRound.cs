using Merit.Deciding;
using Merit.Recruitment;
using Merit.Recruitment.Ranking;
using Xunit;

namespace Merit.Tests.Analytics;

/// <summary>
/// A small CPNS 2024 round taken through every stage by the domain's own decisions (so reasons and tie notes are
/// the real ones), folding each event into the aggregates as the event store would. Three formations, twelve
/// applicants; the numbers the analytics must show are worked out by hand in the tests.
/// </summary>
public sealed class FixedRound
{
    public const string Code = "CPNS-2024-AN";

    /// <summary>When the round opened; every other time is an offset from a stage's opening.</summary>
    public static readonly DateTimeOffset T0 = new(2024, 8, 19, 8, 0, 0, TimeSpan.FromHours(7));

    public static readonly Guid RoundId = RoundDecisions.IdFor(Code);

    /// <summary>Days after <see cref="T0"/> at which each stage after Announcement opens.</summary>
    public static readonly IReadOnlyDictionary<RoundStage, int> OpensOnDay = new Dictionary<RoundStage, int>
    {
        [RoundStage.Registration] = 1,
        [RoundStage.AdministrativeSelection] = 10,
        [RoundStage.AdministrativeAppeal] = 20,
        [RoundStage.Skd] = 30,
        [RoundStage.Skb] = 50,
        [RoundStage.Integration] = 70,
        [RoundStage.FinalAppeal] = 75,
        [RoundStage.Optimisation] = 80,
        [RoundStage.Appointment] = 90,
        [RoundStage.Closed] = 120,
    };

    private readonly Dictionary<Guid, Formation> formations = [];
    private readonly Dictionary<Guid, Application> applications = [];
    private readonly Dictionary<Guid, DateOnly> birthDates = [];
    private readonly Dictionary<string, Guid> byNumber = new(StringComparer.Ordinal);
    private Round? round;

    /// <summary>The events in the order they were decided, with the stream each belongs to, in phases appended together.</summary>
    public List<List<(Guid Stream, object Event)>> Phases { get; } = [[]];

    public static Guid FormationId(string code) => FormationDecisions.IdFor(RoundId, code);

    public Guid Application(string number) => byNumber[number];

    public static DateTimeOffset At(RoundStage stage, double hours) => T0.AddDays(OpensOnDay[stage]).AddHours(hours);

    public static FixedRound Build()
    {
        var r = new FixedRound();
        r.Decide(RoundDecisions.Open(null, new OpenRound(Code, "CPNS 2024 analytics", "CPNS-2024", T0)));
        r.OpenFormation("A-UMUM-JKT", "I-1", "Jakarta", FormationCategory.Umum, 1);
        r.OpenFormation("B-DIS-SMD", "I-1", "Samarinda", FormationCategory.Disabilitas, 1);
        r.OpenFormation("C-UMUM-JKT", "I-2", "Jakarta", FormationCategory.Umum, 2);

        r.Advance(RoundStage.Registration);
        foreach (var (number, formation, sex) in new[]
        {
            ("a1", "A-UMUM-JKT", Sex.F), ("a2", "A-UMUM-JKT", Sex.M), ("a3", "A-UMUM-JKT", Sex.F), ("a4", "A-UMUM-JKT", Sex.M),
            ("a5", "A-UMUM-JKT", Sex.F), ("a6", "A-UMUM-JKT", Sex.M), ("a7", "A-UMUM-JKT", Sex.F),
            ("b1", "B-DIS-SMD", Sex.F), ("b2", "B-DIS-SMD", Sex.M),
            ("c1", "C-UMUM-JKT", Sex.M), ("c2", "C-UMUM-JKT", Sex.F), ("c3", "C-UMUM-JKT", Sex.M),
        })
        {
            r.Register(number, formation, sex);
        }

        r.NextPhase();
        r.Advance(RoundStage.AdministrativeSelection);
        foreach (var number in new[] { "a1", "a2", "a3", "a4", "a5", "c1", "c2", "c3" })
        {
            r.Verify(number, AdministrativeResult.MS, 2);
        }

        r.Verify("a6", AdministrativeResult.TMS, 2);
        r.Verify("a7", AdministrativeResult.TMS, 2);
        r.Verify("b1", AdministrativeResult.MS, 26);
        r.Verify("b2", AdministrativeResult.MS, 26);

        r.Advance(RoundStage.AdministrativeAppeal);
        var appealOpened = At(RoundStage.AdministrativeAppeal, 0);
        foreach (var number in new[] { "a6", "a7" })
        {
            r.Decide(AppealDecisions.File(r.round!, r.applications[r.Application(number)], new FileAppeal(r.Application(number), AppealWindow.Administrative, "berkas sudah lengkap", false, appealOpened.AddHours(1))));
        }

        r.Decide(AppealDecisions.Answer(r.round!, r.applications[r.Application("a7")], new AnswerAppeal(r.Application("a7"), AppealWindow.Administrative, true, true, "kesalahan verifikator", appealOpened.AddHours(25))));
        r.Decide(AppealDecisions.Answer(r.round!, r.applications[r.Application("a6")], new AnswerAppeal(r.Application("a6"), AppealWindow.Administrative, false, false, "ijazah tidak sesuai", appealOpened.AddHours(49))));
        r.Decide(AppealDecisions.Reannounce(r.round!, r.applications[r.Application("a7")], new ReannounceAdministrativeResult(r.Application("a7"), appealOpened.AddHours(50))));

        r.NextPhase();
        r.Advance(RoundStage.Skd);
        r.Skd("a1", 100, 120, 180);
        r.Skd("a2", 95, 120, 185);
        r.Skd("a3", 80, 90, 170);
        r.Skd("a4", 60, 120, 200);
        r.SkdAbsent("a5");
        r.Skd("a7", 80, 90, 170);
        r.Skd("b1", 30, 60, 196);
        r.Skd("b2", 50, 55, 200);
        r.Skd("c1", 90, 100, 190);
        r.Skd("c2", 60, 100, 190);
        r.SkdAbsent("c3");

        r.NextPhase();
        r.Advance(RoundStage.Skb);
        foreach (var code in new[] { "A-UMUM-JKT", "B-DIS-SMD", "C-UMUM-JKT" })
        {
            var formation = r.formations[FormationId(code)];
            r.Decide(SelectionDecisions.DecideSkdCutOff(r.round!, formation, r.applications.Values.ToList(), new DecideSkdCutOff(formation.Id, At(RoundStage.Skb, 1))));
        }

        r.Skb("a1", 80m);
        r.Skb("a2", 80m);
        r.Skb("a3", 70m);
        r.Decide(SkbDecisions.RecordAbsence(r.round!, r.applications[r.Application("a7")], new RecordSkbAbsence(r.Application("a7"), At(RoundStage.Skb, 5))));
        r.Skb("b1", 75.5m);
        r.Skb("c1", 85m);

        r.NextPhase();
        r.Advance(RoundStage.Integration);
        foreach (var code in new[] { "A-UMUM-JKT", "B-DIS-SMD", "C-UMUM-JKT" })
        {
            var formation = r.formations[FormationId(code)];
            r.Decide(SelectionDecisions.DecideFinal(r.round!, formation, r.applications.Values.ToList(), r.birthDates, new DecideFinalResult(formation.Id, At(RoundStage.Integration, 2))));
        }

        r.Advance(RoundStage.FinalAppeal);
        r.Advance(RoundStage.Optimisation);
        var c = r.formations[FormationId("C-UMUM-JKT")];
        var pool = AppointmentDecisions.Pool(c, r.applications.Values.Select(a => (r.formations[a.FormationId], a)), RuleSetCatalog.Get("CPNS-2024"));
        var candidate = pool[0].Application.Id;
        r.Decide(AppointmentDecisions.ProposeOptimisation(r.round!, c, pool, pool[0].Application, new ProposeOptimisation(c.Id, candidate, "usul PPK", At(RoundStage.Optimisation, 3))));
        r.Decide(AppointmentDecisions.DecideOptimisationProposal(r.round!, r.formations[c.Id], r.applications[candidate], new DecideOptimisationProposal(c.Id, candidate, true, "disetujui Panselnas", At(RoundStage.Optimisation, 4))));
        r.Decide(AppointmentDecisions.Withdraw(r.round!, r.applications[r.Application("a2")], new WithdrawAfterPassing(r.Application("a2"), "mengundurkan diri", At(RoundStage.Optimisation, 6))));

        r.NextPhase();
        r.Advance(RoundStage.Appointment);
        foreach (var number in new[] { "a1", "b1", "c1" })
        {
            var id = r.Application(number);
            r.Decide(AppointmentDecisions.IssueNip(r.round!, r.applications[id], new IssueNip(id, new DateOnly(2025, 3, 1), r.birthDates[id], 0, At(RoundStage.Appointment, 24))));
        }

        return r;
    }

    private void NextPhase() => Phases.Add([]);

    private void OpenFormation(string code, string instansi, string location, FormationCategory category, int allocation) =>
        Decide(FormationDecisions.Open(round!, null, new OpenFormation(RoundId, code, instansi, "Analis Kebijakan", location, category, allocation, EducationLevel.S1, T0.AddHours(1))));

    private void Advance(RoundStage to) => Decide(RoundDecisions.Advance(round!, new AdvanceRoundStage(RoundId, to, At(to, 0))));

    private void Register(string number, string formationCode, Sex sex)
    {
        var birth = new DateOnly(1996, 1, 1).AddDays(byNumber.Count * 40);
        var command = new RegisterApplicant(RoundId, FormationId(formationCode), number, Guid.NewGuid(), sex, birth, EducationLevel.S1, 3.25m, At(RoundStage.Registration, 2));
        var id = ApplicationDecisions.IdFor(RoundId, number);
        byNumber[number] = id;
        birthDates[id] = birth;
        Decide(ApplicationDecisions.Register(round!, formations[command.FormationId], null, false, command));
    }

    private void Verify(string number, AdministrativeResult result, double hours) =>
        Decide(ApplicationDecisions.Verify(round!, applications[Application(number)], new VerifyApplication(Application(number), result, result == AdministrativeResult.MS ? "lengkap" : "ijazah tidak sesuai", At(RoundStage.AdministrativeSelection, hours))));

    private void Skd(string number, int twk, int tiu, int tkp)
    {
        var application = applications[Application(number)];
        Decide(ApplicationDecisions.RecordSkd(round!, formations[application.FormationId], application, new RecordSkdResult(application.Id, new SkdScore(twk, tiu, tkp), At(RoundStage.Skd, 3))));
    }

    private void SkdAbsent(string number) =>
        Decide(SkdStageDecisions.RecordAbsence(round!, applications[Application(number)], new RecordSkdAbsence(Application(number), At(RoundStage.Skd, 3))));

    private void Skb(string number, decimal score)
    {
        var application = applications[Application(number)];
        Decide(SkbDecisions.Record(round!, formations[application.FormationId], application, new RecordSkbResult(application.Id, score, null, At(RoundStage.Skb, 5))));
    }

    private void Decide(Decision decision)
    {
        Assert.False(decision.IsRefused, decision.ToString() + " " + decision.Refusal?.Message);
        foreach (var e in decision.Events)
        {
            var stream = e switch
            {
                IApplicationEvent a => a.ApplicationId,
                IFormationEvent f => f.FormationId,
                RoundOpened o => o.RoundId,
                RoundStageAdvanced s => s.RoundId,
                _ => throw new InvalidOperationException($"No stream for {e.GetType().Name}."),
            };
            switch (e)
            {
                case IApplicationEvent:
                    applications[stream] = Merit.Recruitment.Application.Evolve(applications.GetValueOrDefault(stream), e)!;
                    break;
                case IFormationEvent:
                    formations[stream] = Formation.Evolve(formations.GetValueOrDefault(stream), e)!;
                    break;
                default:
                    round = Round.Evolve(round, e);
                    break;
            }

            Phases[^1].Add((stream, e));
        }
    }
}
