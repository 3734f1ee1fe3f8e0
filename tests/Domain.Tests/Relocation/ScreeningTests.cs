using Merit.Career;
using Merit.Relocation;
using Xunit;
using static Merit.Tests.Relocation.RelocationFixtures;

namespace Merit.Tests.Relocation;

/// <summary>Each gate of the 2024 policy (R41, R46) and each refusal of a nomination.</summary>
public class ScreeningTests
{
    private static RelocationScreened Screened(Merit.Deciding.Decision decision) => decision.Events.OfType<RelocationScreened>().Single();

    private static CriterionResult Gate(Merit.Deciding.Decision decision, GateCriterion gate) => Screened(decision).Checks.Single(c => c.Criterion == gate.ToString());

    [Fact]
    public void A_nomination_meeting_every_gate_is_screened_eligible_under_the_wave_s_policy()
    {
        var (wave, _) = Opened();
        var decision = Nominate(wave, 1);

        var nominated = decision.Events.OfType<RelocationNominated>().Single();
        Assert.Equal((RelocationCase.IdFor(wave.Id, Servant(1)), Instansi, Unit), (nominated.CaseId, nominated.InstansiCode, nominated.UnitCode));
        var screened = Screened(decision);
        Assert.True(screened.Eligible);
        Assert.Equal("IKN-2024", screened.PolicyVersion);
        Assert.Equal(Enum.GetNames<GateCriterion>(), screened.Checks.Select(c => c.Criterion));
        Assert.All(screened.Checks, c => Assert.True(c.Met));
        Assert.Equal(RelocationStatus.Eligible, Case(decision).Status);
    }

    [Fact]
    public void A_unit_outside_the_wave_s_priority_units_is_ineligible_with_the_reason()
    {
        var (wave, _) = Opened();
        var decision = Nominate(wave, 1, Facts(unit: "ESELON1-NOT-LISTED"));
        Assert.False(Screened(decision).Eligible);
        var gate = Gate(decision, GateCriterion.UnitInWave);
        Assert.False(gate.Met);
        Assert.Contains("not a priority unit", gate.Finding, StringComparison.Ordinal);
        Assert.Equal(RelocationStatus.Ineligible, Case(decision).Status);
    }

    [Fact]
    public void Without_a_BKN_assessment_both_assessment_gates_fail()
    {
        var (wave, _) = Opened();
        var decision = Nominate(wave, 1, Facts(score: null));
        Assert.False(Gate(decision, GateCriterion.AssessmentPresent).Met);
        Assert.False(Gate(decision, GateCriterion.AssessmentMinimum).Met);
        Assert.False(Screened(decision).Eligible);
    }

    [Theory]
    [InlineData(59.99, false)]
    [InlineData(60, true)]
    public void The_assessment_score_must_reach_the_policy_minimum(decimal score, bool eligible)
    {
        var (wave, _) = Opened();
        var decision = Nominate(wave, 1, Facts(score: score));
        Assert.Equal(eligible, Gate(decision, GateCriterion.AssessmentMinimum).Met);
        Assert.Equal(eligible, Screened(decision).Eligible);
    }

    [Fact]
    public void Fewer_than_five_years_to_retirement_at_the_wave_s_start_fails_and_the_date_is_not_kept()
    {
        var (wave, _) = Opened();
        var retirement = StartsOn.AddYears(5).AddDays(-1);
        var decision = Nominate(wave, 1, Facts(retirement: retirement));
        Assert.False(Gate(decision, GateCriterion.YearsToRetirement).Met);
        Assert.True(Gate(Nominate(wave, 1, Facts(retirement: StartsOn.AddYears(5))), GateCriterion.YearsToRetirement).Met);

        // Only the outcome is recorded: the retirement date (and with it the birth date) is in no event.
        var json = System.Text.Json.JsonSerializer.Serialize(decision.Events.Cast<object>().ToList());
        Assert.DoesNotContain(retirement.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), json, StringComparison.Ordinal);
    }

    [Fact]
    public void A_disciplinary_sentence_in_force_on_the_wave_s_start_fails_one_served_before_does_not()
    {
        var (wave, _) = Opened();
        var inForce = Record(1, new DisciplinarySentenceImposed(Servant(1), "HD-7/2024", DisciplineLevel.Medium, new DateOnly(2024, 1, 1), new DateOnly(2024, 12, 31), Now));
        var served = Record(1, new DisciplinarySentenceImposed(Servant(1), "HD-1/2022", DisciplineLevel.Medium, new DateOnly(2022, 1, 1), new DateOnly(2022, 12, 31), Now));

        var failing = Gate(Nominate(wave, 1, record: inForce), GateCriterion.NoDisciplinarySentence);
        Assert.False(failing.Met);
        Assert.Contains("HD-7/2024", failing.Finding, StringComparison.Ordinal);
        Assert.True(Gate(Nominate(wave, 1, record: served), GateCriterion.NoDisciplinarySentence).Met);
    }

    [Fact]
    public void A_BKN_block_fails_the_screening_R46()
    {
        var (wave, _) = Opened();
        var blocked = Record(1, new ServiceBlocked(Servant(1), "BLK-9", "data mismatch", new DateOnly(2024, 7, 1), Now));
        var decision = Nominate(wave, 1, record: blocked);
        Assert.False(Gate(decision, GateCriterion.NoServiceBlock).Met);
        Assert.False(Screened(decision).Eligible);
    }

    [Fact]
    public void An_instansi_outside_the_wave_cannot_nominate()
    {
        var (wave, _) = Opened();
        var record = Record(1) with { InstansiCode = "C9EB03E23CCCF6A0E040640A040252AD" };
        new Outcome(Nominate(wave, 1, record: record)).ThenRefused("relocation.instansi-not-in-wave");
    }

    [Fact]
    public void A_civil_servant_is_nominated_once_per_wave_and_not_after_the_instansi_s_selection()
    {
        var (wave, quota) = Opened();
        var first = Nominate(wave, 1);
        new Outcome(RelocationDecisions.Nominate(wave, Policy2024, quota, Case(first), Record(1), new Nominate(wave.Id, Servant(1), new DateOnly(2024, 8, 6), Facts(), Now)))
            .ThenRefused("relocation.already-nominated");

        var decided = After(quota, RelocationDecisions.Select(quota, Policy2024, [Case(first)], new SelectForInstansi(quota.Id, Now)));
        new Outcome(RelocationDecisions.Nominate(wave, Policy2024, decided, null, Record(2), new Nominate(wave.Id, Servant(2), new DateOnly(2024, 8, 6), Facts(), Now)))
            .ThenRefused("relocation.selection-decided");
    }

    [Fact]
    public void A_wave_names_a_shipped_policy_and_is_opened_once()
    {
        new Outcome(RelocationDecisions.OpenWave(null, null, OpenCommand(policy: "IKN-1999"))).ThenRefused("relocation.unknown-policy");
        var (wave, _) = Opened();
        new Outcome(RelocationDecisions.OpenWave(wave, Policy2024, OpenCommand())).ThenRefused("relocation.wave-exists");

        var opened = RelocationDecisions.OpenWave(null, Policy2024, OpenCommand(units: 7));
        Assert.Equal([7, 1], opened.Events.OfType<HousingQuotaAllotted>().Select(q => q.Units));
        Assert.All(opened.Events.OfType<HousingQuotaAllotted>(), q => Assert.Equal("IKN-2024", q.PolicyVersion));
    }
}
