using Merit.Recruitment;
using Xunit;
using static Merit.Tests.Recruitment.Fixtures;
using static Merit.Tests.Scenario;

namespace Merit.Tests.Recruitment;

public class SkdTests
{
    private static Outcome Record(FormationCategory category, int twk, int tiu, int tkp, RoundStage stage = RoundStage.Skd)
    {
        var registered = Registered(category);
        return Given<Application>(Application.Evolve, registered, Verified(registered))
            .When(a => ApplicationDecisions.RecordSkd(RoundIn(stage), FormationIn(category), a!, new RecordSkdResult(registered.ApplicationId, new SkdScore(twk, tiu, tkp), Now)));
    }

    private static SkdResultRecorded Recorded(FormationCategory category, int twk, int tiu, int tkp, bool met, params string[] shortfalls)
    {
        var registered = Registered(category);
        return new SkdResultRecorded(registered.ApplicationId, registered.FormationId, twk, tiu, tkp, twk + tiu + tkp, category, met, shortfalls, "CPNS-2024", Now);
    }

    [Fact]
    public void Umum_threshold_met_on_every_subtest_R09() =>
        Record(FormationCategory.Umum, 65, 80, 166).Then(Recorded(FormationCategory.Umum, 65, 80, 166, true));

    [Fact]
    public void Umum_high_total_still_fails_on_TWK_R09() =>
        // The brief's example: 60/120/200, total 380, fails on TWK.
        Record(FormationCategory.Umum, 60, 120, 200).Then(Recorded(FormationCategory.Umum, 60, 120, 200, false, "TWK 60 < 65"));

    [Fact]
    public void Kalimantan_uses_the_umum_thresholds_R11() =>
        Record(FormationCategory.Kalimantan, 65, 75, 200).Then(Recorded(FormationCategory.Kalimantan, 65, 75, 200, false, "TIU 75 < 80"));

    [Theory]
    [InlineData(FormationCategory.Cumlaude)]
    [InlineData(FormationCategory.Diaspora)]
    public void Cumlaude_and_diaspora_need_total_311_and_TIU_85_without_subtest_minimums_R10(FormationCategory category)
    {
        // TWK 40 would fail umum; here only total and TIU count.
        Record(category, 40, 85, 186).Then(Recorded(category, 40, 85, 186, true));
        Record(category, 40, 80, 200).Then(Recorded(category, 40, 80, 200, false, "TIU 80 < 85"));
        Record(category, 40, 85, 185).Then(Recorded(category, 40, 85, 185, false, "total 310 < 311"));
    }

    [Theory]
    [InlineData(FormationCategory.Disabilitas)]
    [InlineData(FormationCategory.Papua)]
    [InlineData(FormationCategory.DaerahTertinggal)]
    public void Disability_Papua_and_daerah_tertinggal_need_total_286_and_TIU_60_R11(FormationCategory category)
    {
        Record(category, 30, 60, 196).Then(Recorded(category, 30, 60, 196, true));
        Record(category, 30, 55, 201).Then(Recorded(category, 30, 55, 201, false, "TIU 55 < 60"));
        Record(category, 30, 60, 195).Then(Recorded(category, 30, 60, 195, false, "total 285 < 286"));
    }

    [Theory]
    [InlineData(151, 80, 166, "twk")]
    [InlineData(62, 80, 166, "twk")] // TWK in steps of 5
    [InlineData(65, 180, 166, "tiu")]
    [InlineData(65, 81, 166, "tiu")]
    [InlineData(65, 80, 226, "tkp")]
    [InlineData(-5, 80, 166, "twk")]
    public void Scores_outside_the_blueprint_are_refused_naming_the_subtest_R08(int twk, int tiu, int tkp, string field)
    {
        var refusal = Record(FormationCategory.Umum, twk, tiu, tkp).ThenRefused("skd.out-of-range");
        Assert.Equal(field, refusal.Field);
    }

    [Fact]
    public void SKD_results_need_the_SKD_stage_R05() =>
        Record(FormationCategory.Umum, 65, 80, 166, RoundStage.AdministrativeAppeal).ThenRefused("round.wrong-stage");

    [Fact]
    public void Only_MS_applicants_sit_the_SKD()
    {
        var registered = Registered();
        Given<Application>(Application.Evolve, registered, Verified(registered, AdministrativeResult.TMS))
            .When(a => ApplicationDecisions.RecordSkd(RoundIn(RoundStage.Skd), FormationIn(), a!, new RecordSkdResult(registered.ApplicationId, new SkdScore(65, 80, 166), Now)))
            .ThenRefused("skd.not-qualified");
    }

    [Fact]
    public void A_second_result_for_the_same_applicant_is_refused()
    {
        var registered = Registered();
        Given<Application>(Application.Evolve, registered, Verified(registered), Recorded(FormationCategory.Umum, 65, 80, 166, true))
            .When(a => ApplicationDecisions.RecordSkd(RoundIn(RoundStage.Skd), FormationIn(), a!, new RecordSkdResult(registered.ApplicationId, new SkdScore(100, 100, 200), Now)))
            .ThenRefused("skd.already-recorded");
    }
}
