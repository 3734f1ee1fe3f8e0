using Merit.Recruitment;
using Merit.Recruitment.Announcements;
using Merit.Recruitment.Ranking;
using Xunit;
using static Merit.Tests.Recruitment.Fixtures;

namespace Merit.Tests.Recruitment;

/// <summary>The lists announcements publish, built from recorded decisions, and the decision to issue one (docs/adr/0045).</summary>
public class AnnouncementTests
{
    private const string Instansi = "A5EB03E23CCCF6A0E040640A040252AD";
    private static readonly DateTimeOffset Decided = new(2024, 9, 14, 20, 0, 0, TimeSpan.Zero); // 15 September in Jakarta

    private static readonly Formation F1 = Formation.Evolve(null, FormationOpened(code: "F-001"))!;
    private static readonly Formation F2 = Formation.Evolve(null, FormationOpened(code: "F-002"))!;

    private static Application Applicant(string number, Formation formation, AdministrativeResult? administrative = AdministrativeResult.MS) =>
        new(ApplicationDecisions.IdFor(RoundId, number), RoundId, formation.Id, number, Guid.NewGuid(), Sex.F, EducationLevel.S1, 3.5m, administrative, null, null);

    /// <summary>Decision events as recorded: each at the next sequence number, with a hash of its own.</summary>
    private static List<RecordedDecision> Recorded(params object[] events) =>
        events.Select((e, i) => new RecordedDecision(e, Guid.NewGuid(), 100 + i, $"hash{i}", Decided.AddMinutes(i))).ToList();

    private static AnnouncementList List(AnnouncementKind kind, RoundStage stage, IReadOnlyList<Application> applications, IReadOnlyList<RecordedDecision> recorded) =>
        AnnouncementLists.Build(kind, RoundIn(stage), Instansi, [F1, F2], applications, new Dictionary<Guid, Formation> { [F1.Id] = F1, [F2.Id] = F2 }, recorded);

    private static AdministrativeVerificationRecorded Verified(Application a, AdministrativeResult result, string reason = "Dokumen lengkap") =>
        new(a.Id, a.FormationId, result, reason, "CPNS-2024", Decided);

    [Fact]
    public void The_list_after_the_appeals_shows_the_result_re_announced_and_names_every_decision_it_comes_from()
    {
        Application kept = Applicant("24100001", F1), changed = Applicant("24100002", F1), rejected = Applicant("24100003", F2);
        var recorded = Recorded(
            Verified(kept, AdministrativeResult.MS),
            Verified(changed, AdministrativeResult.TMS, "ijazah tidak terbaca"),
            Verified(rejected, AdministrativeResult.TMS, "ijazah tidak sesuai"),
            new AppealFiled(changed.Id, changed.FormationId, AppealWindow.Administrative, "ijazah terbaca", "CPNS-2024", Decided),
            new AppealFiled(rejected.Id, rejected.FormationId, AppealWindow.Administrative, "ijazah sesuai", "CPNS-2024", Decided),
            new AppealAnswered(changed.Id, changed.FormationId, AppealWindow.Administrative, true, true, "kesalahan verifikator", "CPNS-2024", Decided),
            new AppealAnswered(rejected.Id, rejected.FormationId, AppealWindow.Administrative, false, false, "ijazah memang tidak sesuai", "CPNS-2024", Decided),
            new AdministrativeResultReannounced(changed.Id, changed.FormationId, AdministrativeResult.MS, "CPNS-2024", Decided));

        var first = List(AnnouncementKind.Administrative, RoundStage.Skd, [kept, changed, rejected], recorded);
        Assert.Equal(
            [["F-001", "24100001", "", "MS", ""], ["F-001", "24100002", "", "TMS", "ijazah tidak terbaca"], ["F-002", "24100003", "", "TMS", "ijazah tidak sesuai"]],
            first.Rows.Select(r => r.Cells.Prepend(r.FormationCode).ToArray()));
        Assert.Equal([100L, 101, 102], first.Decisions.Select(d => d.Sequence));

        var after = List(AnnouncementKind.AdministrativeAfterAppeal, RoundStage.Skd, [kept, changed, rejected], recorded);
        Assert.Equal(
            [["24100001", "", "MS", "", ""], ["24100002", "", "MS", "", "note.result-changed|TMS|MS"], ["24100003", "", "TMS", "ijazah tidak sesuai", "note.appeal-rejected"]],
            after.Rows.Select(r => r.Cells.ToArray()));
        Assert.Equal([100L, 101, 102, 105, 106, 107], after.Decisions.Select(d => d.Sequence)); // the filings are not decisions
        Assert.Empty(after.Pending);
        Assert.NotEqual(first.ListDigest(), after.ListDigest());
    }

    [Fact]
    public void An_unanswered_appeal_leaves_the_list_after_the_appeals_incomplete_and_it_is_not_issued()
    {
        var waiting = Applicant("24100002", F1);
        var list = List(AnnouncementKind.AdministrativeAfterAppeal, RoundStage.Skd, [waiting], Recorded(
            Verified(waiting, AdministrativeResult.TMS),
            new AppealFiled(waiting.Id, waiting.FormationId, AppealWindow.Administrative, "x", "CPNS-2024", Decided)));

        Assert.Equal(["the appeal of application 24100002 is not answered"], list.Pending);
        var refusal = AnnouncementDecisions.Issue(RoundIn(RoundStage.Skd), [], list, 1, Issue(AnnouncementKind.AdministrativeAfterAppeal)).Refusal;
        Assert.Equal("announcement.incomplete", refusal!.Code);
    }

    private static IssueAnnouncement Issue(AnnouncementKind kind, string? number = null, DateOnly? date = null) =>
        new(RoundId, kind, Instansi, number, date, Now);

    private static AnnouncementList Administrative(params AdministrativeResult[] results)
    {
        var applications = results.Select((_, i) => Applicant($"2410000{i}", F1)).ToList();
        return List(AnnouncementKind.Administrative, RoundStage.AdministrativeAppeal, applications, Recorded(applications.Select((a, i) => (object)Verified(a, results[i])).ToArray()));
    }

    [Fact]
    public void An_announcement_waits_for_its_stage_its_seal_and_then_carries_a_number_and_date_derived_from_the_events()
    {
        var list = Administrative(AdministrativeResult.MS, AdministrativeResult.TMS);
        Assert.Equal("announcement.list-not-closed", AnnouncementDecisions.Issue(RoundIn(RoundStage.AdministrativeSelection), [], list, 1, Issue(AnnouncementKind.Administrative)).Refusal!.Code);
        Assert.Equal("announcement.not-sealed", AnnouncementDecisions.Issue(RoundIn(RoundStage.AdministrativeAppeal), [], list, null, Issue(AnnouncementKind.Administrative)).Refusal!.Code);

        var issued = Assert.IsType<AnnouncementIssued>(Assert.Single(AnnouncementDecisions.Issue(RoundIn(RoundStage.AdministrativeAppeal), [], list, 7, Issue(AnnouncementKind.Administrative)).Events));
        Assert.Equal(
            new AnnouncementIssued(AnnouncementDecisions.IdFor(RoundId, AnnouncementKind.Administrative, Instansi), RoundId, AnnouncementKind.Administrative, Instansi, 1,
                $"ADM-1/{Instansi}/CPNS-2024", new DateOnly(2024, 9, 15), "CPNS-2024", 100, 101, 2, list.DecisionsDigest(), 7, list.ListDigest(), 2, Now),
            issued);
    }

    [Fact]
    public void The_same_list_again_issues_nothing_a_changed_list_is_a_new_edition_and_numbers_and_dates_are_checked()
    {
        var round = RoundIn(RoundStage.AdministrativeAppeal);
        var list = Administrative(AdministrativeResult.MS, AdministrativeResult.TMS);
        var first = (AnnouncementIssued)AnnouncementDecisions.Issue(round, [], list, 1, Issue(AnnouncementKind.Administrative, "800/1/PANSEL/2024", new DateOnly(2024, 9, 16))).Events[0];

        Assert.Empty(AnnouncementDecisions.Issue(round, [first], list, 1, Issue(AnnouncementKind.Administrative, "800/1/PANSEL/2024")).Events);
        Assert.Equal("announcement.unchanged", AnnouncementDecisions.Issue(round, [first], list, 1, Issue(AnnouncementKind.Administrative, "800/2/PANSEL/2024")).Refusal!.Code);

        var changed = Administrative(AdministrativeResult.MS, AdministrativeResult.MS);
        Assert.Equal("announcement.number-used", AnnouncementDecisions.Issue(round, [first], changed, 1, Issue(AnnouncementKind.Administrative, "800/1/PANSEL/2024")).Refusal!.Code);
        Assert.Equal("announcement.date-before-decisions", AnnouncementDecisions.Issue(round, [first], changed, 1, Issue(AnnouncementKind.Administrative, "800/2/PANSEL/2024", new DateOnly(2024, 9, 14))).Refusal!.Code);
        var second = (AnnouncementIssued)AnnouncementDecisions.Issue(round, [first], changed, 1, Issue(AnnouncementKind.Administrative)).Events[0];
        Assert.Equal((2, $"ADM-2/{Instansi}/CPNS-2024"), (second.Edition, second.Number));
    }

    [Fact]
    public void A_PPPK_round_has_no_SKB_admission_to_announce() =>
        Assert.Equal("announcement.no-skb", AnnouncementDecisions.Issue(RoundIn(RoundStage.Integration, "PPPK-2024"), [], Administrative(AdministrativeResult.MS), 1, Issue(AnnouncementKind.SkbAdmission)).Refusal!.Code);

    [Fact]
    public void The_final_list_shows_a_withdrawal_as_APS_and_an_optimisation_placement_as_P_L_2_in_its_new_formation()
    {
        Application passer = Applicant("24100001", F1), second = Applicant("24100002", F1), placed = Applicant("24100003", F2) with { Skd = new SkdScore(100, 120, 180), SkbScore = 80m };
        FinalEntry Entry(Application a, int rank, FinalStatus status) => new(a.Id, a.RegistrationNumber, 400, 82.5m, 78.125m, rank, status, "");
        var recorded = Recorded(
            new FinalResultDecided(F1.Id, RoundId, F1.Code, 1, 1, false, [Entry(passer, 1, FinalStatus.PL), Entry(second, 2, FinalStatus.TL)], "CPNS-2024", Decided),
            new FinalResultDecided(F2.Id, RoundId, F2.Code, 1, 1, false, [Entry(placed, 1, FinalStatus.TL)], "CPNS-2024", Decided),
            new PlaceVacatedByWithdrawal(F1.Id, passer.Id, false, "CPNS-2024", Decided),
            new PlacedByOptimisation(placed.Id, F2.Id, F1.Id, AppointmentDecisions.OptimisationCode, 1, "", "CPNS-2024", Decided),
            new VacancyFilledByOptimisation(F1.Id, placed.Id, F2.Id, "CPNS-2024", Decided));

        var list = List(AnnouncementKind.FinalResult, RoundStage.Optimisation, [passer, second, placed], recorded);

        Assert.Equal(
            [
                ["F-001", "24100001", "", "400", "82.50", "78.125", "1", "APS", "note.withdrew"],
                ["F-001", "24100002", "", "400", "82.50", "78.125", "2", "TL", ""],
                ["F-001", "24100003", "", "400", "80.00", "", "", "P/L-2", "note.placed-from|F-002"],
                ["F-002", "24100003", "", "400", "82.50", "78.125", "1", "TL", "note.placed-in|F-001"],
            ],
            list.Rows.Select(r => r.Cells.Prepend(r.FormationCode).ToArray()));
        Assert.Equal(5, list.Decisions.Count);
        Assert.Equal(placed.PersonId, list.Rows[2].PersonId);
    }
}
