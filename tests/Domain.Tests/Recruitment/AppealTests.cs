using Merit.Recruitment;
using Xunit;
using static Merit.Tests.Recruitment.Fixtures;
using static Merit.Tests.Scenario;

namespace Merit.Tests.Recruitment;

public class AppealTests
{
    // The round entered AdministrativeAppeal (the announcement) on Opened + 4 days; the window is 3 days (R07).
    private static readonly DateTimeOffset Announced = RoundIn(RoundStage.AdministrativeAppeal).StageSince;

    private static object[] TmsApplicant() => [Registered(), Verified(Registered(), AdministrativeResult.TMS)];

    private static FileAppeal File(DateTimeOffset at, bool newDocuments = false) =>
        new(Registered().ApplicationId, AppealWindow.Administrative, "Ijazah sudah diunggah, verifikator keliru", newDocuments, at);

    [Fact]
    public void A_TMS_applicant_appeals_within_three_days_R07() =>
        Given<Application>(Application.Evolve, TmsApplicant())
            .When(a => AppealDecisions.File(RoundIn(RoundStage.AdministrativeAppeal), a!, File(Announced.AddDays(3))))
            .Then(new AppealFiled(Registered().ApplicationId, Registered().FormationId, AppealWindow.Administrative, "Ijazah sudah diunggah, verifikator keliru", "CPNS-2024", Announced.AddDays(3)));

    [Fact]
    public void An_appeal_after_the_window_is_refused_R07() =>
        Given<Application>(Application.Evolve, TmsApplicant())
            .When(a => AppealDecisions.File(RoundIn(RoundStage.AdministrativeAppeal), a!, File(Announced.AddDays(3).AddMinutes(1))))
            .ThenRefused("appeal.out-of-window");

    [Fact]
    public void A_second_appeal_in_the_same_window_is_refused_R07()
    {
        var filed = new AppealFiled(Registered().ApplicationId, Registered().FormationId, AppealWindow.Administrative, "x", "CPNS-2024", Announced.AddDays(1));
        Given<Application>(Application.Evolve, TmsApplicant().Append(filed).ToArray())
            .When(a => AppealDecisions.File(RoundIn(RoundStage.AdministrativeAppeal), a!, File(Announced.AddDays(2))))
            .ThenRefused("appeal.once-per-window");
    }

    [Fact]
    public void New_documents_cannot_be_added_in_an_appeal_R07() =>
        Given<Application>(Application.Evolve, TmsApplicant())
            .When(a => AppealDecisions.File(RoundIn(RoundStage.AdministrativeAppeal), a!, File(Announced.AddDays(1), newDocuments: true)))
            .ThenRefused("appeal.no-new-documents");

    [Fact]
    public void An_appeal_outside_the_appeal_stage_is_refused_R05() =>
        Given<Application>(Application.Evolve, TmsApplicant())
            .When(a => AppealDecisions.File(RoundIn(RoundStage.Skd), a!, File(Announced.AddDays(1))))
            .ThenRefused("round.wrong-stage");

    [Fact]
    public void An_appeal_is_accepted_only_for_the_instansis_fault_R07()
    {
        var filed = new AppealFiled(Registered().ApplicationId, Registered().FormationId, AppealWindow.Administrative, "x", "CPNS-2024", Announced.AddDays(1));
        var given = Given<Application>(Application.Evolve, TmsApplicant().Append(filed).ToArray());
        given.When(a => AppealDecisions.Answer(RoundIn(RoundStage.AdministrativeAppeal), a!, new AnswerAppeal(a!.Id, AppealWindow.Administrative, Accept: true, FaultOfInstansi: false, "berkas pelamar tidak lengkap", Announced.AddDays(2))))
            .ThenRefused("appeal.fault-of-applicant");
        given.When(a => AppealDecisions.Answer(RoundIn(RoundStage.AdministrativeAppeal), a!, new AnswerAppeal(a!.Id, AppealWindow.Administrative, Accept: true, FaultOfInstansi: true, "verifikator keliru", Announced.AddDays(2))))
            .Then(new AppealAnswered(Registered().ApplicationId, Registered().FormationId, AppealWindow.Administrative, true, true, "verifikator keliru", "CPNS-2024", Announced.AddDays(2)));
    }

    [Fact]
    public void An_accepted_appeal_is_reannounced_as_MS_within_seven_days_of_the_window_closing_R07()
    {
        var id = Registered().ApplicationId;
        object[] history =
        [
            .. TmsApplicant(),
            new AppealFiled(id, Registered().FormationId, AppealWindow.Administrative, "x", "CPNS-2024", Announced.AddDays(1)),
            new AppealAnswered(id, Registered().FormationId, AppealWindow.Administrative, true, true, "verifikator keliru", "CPNS-2024", Announced.AddDays(2)),
        ];
        var closes = Announced.AddDays(3);
        Given<Application>(Application.Evolve, history)
            .When(a => AppealDecisions.Reannounce(RoundIn(RoundStage.AdministrativeAppeal), a!, new ReannounceAdministrativeResult(id, closes.AddDays(7))))
            .Then(new AdministrativeResultReannounced(id, Registered().FormationId, AdministrativeResult.MS, "CPNS-2024", closes.AddDays(7)));
        Given<Application>(Application.Evolve, history)
            .When(a => AppealDecisions.Reannounce(RoundIn(RoundStage.AdministrativeAppeal), a!, new ReannounceAdministrativeResult(id, closes.AddDays(7).AddHours(1))))
            .ThenRefused("appeal.reannouncement-late");
    }

    [Fact]
    public void A_rejected_appeal_cannot_be_reannounced() =>
        Given<Application>(Application.Evolve,
            [.. TmsApplicant(),
            new AppealFiled(Registered().ApplicationId, Registered().FormationId, AppealWindow.Administrative, "x", "CPNS-2024", Announced.AddDays(1)),
            new AppealAnswered(Registered().ApplicationId, Registered().FormationId, AppealWindow.Administrative, false, false, "berkas tidak lengkap", "CPNS-2024", Announced.AddDays(2))])
            .When(a => AppealDecisions.Reannounce(RoundIn(RoundStage.AdministrativeAppeal), a!, new ReannounceAdministrativeResult(a!.Id, Announced.AddDays(4))))
            .ThenRefused("appeal.not-accepted");
}
