using Merit.Recruitment;
using Merit.Recruitment.Ranking;
using Xunit;
using static Merit.Tests.Recruitment.Cases;
using static Merit.Tests.Recruitment.Fixtures;
using static Merit.Tests.Scenario;

namespace Merit.Tests.Recruitment;

public class AppealTests
{
    private static readonly TimeSpan Wib = TimeSpan.FromHours(7);

    // The round entered AdministrativeAppeal at 00:00 WIB on 22 Aug 2024: a 3-day window is 22–24 Aug, closing at the
    // end of the 24th in WIB; the instansi answers by the end of the 26th; a re-announcement is due by the end of the 31st.
    private static readonly Round AdministrativeWindow = RoundIn(RoundStage.AdministrativeAppeal);

    private static DateTimeOffset Wib8(int month, int day, int hour = 0, int minute = 0) => new(2024, month, day, hour, minute, 0, Wib);

    private static object[] TmsApplicant() => [Registered(), Verified(Registered(), AdministrativeResult.TMS)];

    private static AppealFiled Filed(AppealWindow window = AppealWindow.Administrative) =>
        new(Registered().ApplicationId, Registered().FormationId, window, "x", "CPNS-2024", Wib8(8, 22, 9));

    private static FileAppeal File(DateTimeOffset at, bool newDocuments = false) =>
        new(Registered().ApplicationId, AppealWindow.Administrative, "Ijazah sudah diunggah, verifikator keliru", newDocuments, at);

    [Fact]
    public void The_window_opens_on_the_day_of_the_announcement_and_lasts_three_calendar_days_R07()
    {
        Assert.Equal(Wib8(8, 22), AdministrativeWindow.StageSince);
        Assert.Equal(new DateOnly(2024, 8, 24), AppealDecisions.WindowLastDay(AdministrativeWindow));
        Assert.Equal(Wib8(8, 25), AppealDecisions.WindowClosesAt(AdministrativeWindow));

        // Entered at 15:00: still the end of the third calendar day, not 72 hours later.
        var afternoon = AdministrativeWindow with { StageSince = Wib8(8, 22, 15) };
        Assert.Equal(Wib8(8, 25), AppealDecisions.WindowClosesAt(afternoon));
    }

    [Fact]
    public void A_TMS_applicant_appeals_up_to_the_end_of_the_windows_last_day_R07() =>
        Given<Application>(Application.Evolve, TmsApplicant())
            .When(a => AppealDecisions.File(AdministrativeWindow, a!, File(Wib8(8, 24, 23, 59))))
            .Then(new AppealFiled(Registered().ApplicationId, Registered().FormationId, AppealWindow.Administrative, "Ijazah sudah diunggah, verifikator keliru", "CPNS-2024", Wib8(8, 24, 23, 59)));

    [Fact]
    public void An_appeal_after_the_end_of_the_last_day_in_the_rounds_zone_is_refused_R07()
    {
        Given<Application>(Application.Evolve, TmsApplicant())
            .When(a => AppealDecisions.File(AdministrativeWindow, a!, File(Wib8(8, 25))))
            .ThenRefused("appeal.out-of-window");

        // 20:00 UTC on the 24th is 03:00 WIB on the 25th: after the window, though the UTC date is still the 24th.
        Given<Application>(Application.Evolve, TmsApplicant())
            .When(a => AppealDecisions.File(AdministrativeWindow, a!, File(new DateTimeOffset(2024, 8, 24, 20, 0, 0, TimeSpan.Zero))))
            .ThenRefused("appeal.out-of-window");
    }

    [Fact]
    public void A_second_appeal_in_the_same_window_is_refused_R07() =>
        Given<Application>(Application.Evolve, [.. TmsApplicant(), Filed()])
            .When(a => AppealDecisions.File(AdministrativeWindow, a!, File(Wib8(8, 23))))
            .ThenRefused("appeal.once-per-window");

    [Fact]
    public void New_documents_cannot_be_added_in_an_appeal_R07() =>
        Given<Application>(Application.Evolve, TmsApplicant())
            .When(a => AppealDecisions.File(AdministrativeWindow, a!, File(Wib8(8, 23), newDocuments: true)))
            .ThenRefused("appeal.no-new-documents");

    [Fact]
    public void An_appeal_outside_the_appeal_stage_is_refused_R05() =>
        Given<Application>(Application.Evolve, TmsApplicant())
            .When(a => AppealDecisions.File(RoundIn(RoundStage.Skd), a!, File(Wib8(8, 23))))
            .ThenRefused("round.wrong-stage");

    [Fact]
    public void An_appeal_is_accepted_only_for_the_instansis_fault_R07()
    {
        var given = Given<Application>(Application.Evolve, [.. TmsApplicant(), Filed()]);
        given.When(a => AppealDecisions.Answer(AdministrativeWindow, a!, new AnswerAppeal(a!.Id, AppealWindow.Administrative, Accept: true, FaultOfInstansi: false, "berkas pelamar tidak lengkap", Wib8(8, 23))))
            .ThenRefused("appeal.fault-of-applicant");
        given.When(a => AppealDecisions.Answer(AdministrativeWindow, a!, new AnswerAppeal(a!.Id, AppealWindow.Administrative, Accept: true, FaultOfInstansi: true, "verifikator keliru", Wib8(8, 23))))
            .Then(new AppealAnswered(Registered().ApplicationId, Registered().FormationId, AppealWindow.Administrative, true, true, "verifikator keliru", "CPNS-2024", Wib8(8, 23)));
    }

    [Fact]
    public void The_instansi_answers_an_administrative_appeal_by_the_end_of_the_second_day_after_the_window_R07()
    {
        var given = Given<Application>(Application.Evolve, [.. TmsApplicant(), Filed()]);
        given.When(a => AppealDecisions.Answer(AdministrativeWindow, a!, new AnswerAppeal(a!.Id, AppealWindow.Administrative, false, false, "berkas tidak lengkap", Wib8(8, 26, 23, 59))))
            .Then(new AppealAnswered(Registered().ApplicationId, Registered().FormationId, AppealWindow.Administrative, false, false, "berkas tidak lengkap", "CPNS-2024", Wib8(8, 26, 23, 59)));
        given.When(a => AppealDecisions.Answer(AdministrativeWindow, a!, new AnswerAppeal(a!.Id, AppealWindow.Administrative, false, false, "berkas tidak lengkap", Wib8(8, 27))))
            .ThenRefused("appeal.answer-late");
    }

    [Fact]
    public void An_accepted_appeal_is_reannounced_as_MS_by_the_end_of_the_seventh_day_after_the_window_R07()
    {
        var id = Registered().ApplicationId;
        object[] history =
        [
            .. TmsApplicant(),
            Filed(),
            new AppealAnswered(id, Registered().FormationId, AppealWindow.Administrative, true, true, "verifikator keliru", "CPNS-2024", Wib8(8, 23)),
        ];
        Given<Application>(Application.Evolve, history)
            .When(a => AppealDecisions.Reannounce(AdministrativeWindow, a!, new ReannounceAdministrativeResult(id, Wib8(8, 31, 23, 59))))
            .Then(new AdministrativeResultReannounced(id, Registered().FormationId, AdministrativeResult.MS, "CPNS-2024", Wib8(8, 31, 23, 59)));
        Given<Application>(Application.Evolve, history)
            .When(a => AppealDecisions.Reannounce(AdministrativeWindow, a!, new ReannounceAdministrativeResult(id, Wib8(9, 1))))
            .ThenRefused("appeal.reannouncement-late");
    }

    [Fact]
    public void A_rejected_appeal_cannot_be_reannounced() =>
        Given<Application>(Application.Evolve,
            [.. TmsApplicant(), Filed(),
            new AppealAnswered(Registered().ApplicationId, Registered().FormationId, AppealWindow.Administrative, false, false, "berkas tidak lengkap", "CPNS-2024", Wib8(8, 23))])
            .When(a => AppealDecisions.Reannounce(AdministrativeWindow, a!, new ReannounceAdministrativeResult(a!.Id, Wib8(8, 26))))
            .ThenRefused("appeal.not-accepted");

    // The final window: the round entered FinalAppeal at 00:00 WIB on 26 Aug 2024, so 26–28 Aug, answered within it.
    private static readonly Round FinalWindow = RoundIn(RoundStage.FinalAppeal);
    private static readonly FormationOpened OneSeat = Opening("F-001", allocation: 1);

    private static Application FinalSitter(string number, decimal skb, FinalStatus status, params object[] more) =>
        Sitter(OneSeat, number, (100, 100, 180), skb, status, false, more);

    private static object[] DecidedFinal() =>
    [
        OneSeat,
        new SkdCutOffDecided(OneSeat.FormationId, RoundId, "F-001", FormationCategory.Umum, 1, 3, 2, [], "CPNS-2024", Now),
        new FinalResultDecided(OneSeat.FormationId, RoundId, "F-001", 1, 1, false, [], "CPNS-2024", Now),
    ];

    [Fact]
    public void The_instansi_answers_a_final_appeal_within_its_window_R07()
    {
        var loser = FinalSitter("L", 70m, FinalStatus.TL, new AppealFiled(ApplicationDecisions.IdFor(RoundId, "L"), OneSeat.FormationId, AppealWindow.Final, "nilai SKB salah input", "CPNS-2024", Wib8(8, 26, 9)));
        Assert.Equal("appeal.answer-late", AppealDecisions.Answer(FinalWindow, loser, new AnswerAppeal(loser.Id, AppealWindow.Final, true, true, "salah input", Wib8(8, 29))).Refusal!.Code);
    }

    [Fact]
    public void An_accepted_final_appeal_reopens_the_formations_final_result_which_is_corrected_and_reannounced_R07()
    {
        // The instansi keyed L's SKB as 70 instead of 95: L should have passed instead of W.
        var winner = FinalSitter("W", 90m, FinalStatus.PL);
        var id = ApplicationDecisions.IdFor(RoundId, "L");
        var loser = FinalSitter("L", 70m, FinalStatus.TL, new AppealFiled(id, OneSeat.FormationId, AppealWindow.Final, "nilai SKB salah input", "CPNS-2024", Wib8(8, 26, 9)));

        var answer = AppealDecisions.Answer(FinalWindow, loser, new AnswerAppeal(id, AppealWindow.Final, true, true, "nilai SKB salah input oleh instansi", Wib8(8, 27)));
        Assert.Equal([typeof(AppealAnswered), typeof(FinalResultReopened)], answer.Events.Select(e => e.GetType()));
        var reopened = DecidedFinal().Append(answer.Events[1]).ToArray();
        loser = Application.Evolve(loser, answer.Events[0])!;

        var formation = Fold(reopened);
        Assert.True(formation.FinalReopened);
        var corrected = SkbDecisions.Record(FinalWindow, formation, loser, new RecordSkbResult(id, 95m, null, Wib8(8, 28)));
        loser = Application.Evolve(loser, Assert.IsType<SkbResultRecorded>(corrected.Events.Single()))!;
        Assert.Equal("round.wrong-stage", SkbDecisions.Record(FinalWindow, formation, winner, new RecordSkbResult(winner.Id, 50m, null, Wib8(8, 28))).Refusal!.Code);

        var reannounced = SelectionDecisions.DecideFinal(FinalWindow, formation, [winner, loser], new Dictionary<Guid, DateOnly>(), new DecideFinalResult(formation.Id, Wib8(8, 30)));
        var decided = Assert.IsType<FinalResultDecided>(reannounced.Events[0]);
        Assert.True(decided.Reannouncement);
        Assert.Equal(["L P/L", "W TL"], decided.Entries.Select(e => $"{e.RegistrationNumber} {e.Status.Code()}"));

        // By the end of the seventh day after the window's last day (28 Aug): 4 September.
        Assert.Equal("appeal.reannouncement-late", SelectionDecisions.DecideFinal(FinalWindow, formation, [winner, loser], new Dictionary<Guid, DateOnly>(), new DecideFinalResult(formation.Id, Wib8(9, 5))).Refusal!.Code);
        // The round leaves the final appeal only once the reopened result is re-announced.
        Assert.Equal("appeal.final-not-reannounced", AppealDecisions.Unreannounced(FinalWindow, [formation])!.Code);
        Assert.Null(AppealDecisions.Unreannounced(FinalWindow, [Formation.Evolve(formation, decided)!]));

        // Once re-announced, the formation is decided again: nothing more is decided in the appeal stage.
        Assert.Equal("round.wrong-stage", SelectionDecisions.DecideFinal(FinalWindow, Formation.Evolve(formation, decided)!, [winner, loser], new Dictionary<Guid, DateOnly>(), new DecideFinalResult(formation.Id, Wib8(8, 30))).Refusal!.Code);
    }
}
