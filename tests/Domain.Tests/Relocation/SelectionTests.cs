using Merit.Deciding;
using Merit.Relocation;
using Xunit;
using static Merit.Tests.Relocation.RelocationFixtures;

namespace Merit.Tests.Relocation;

/// <summary>Ranking by the policy's ordering keys, selection within the housing units, the wait list, and the case's follow-through.</summary>
public class SelectionTests
{
    private static Decision Select(HousingQuota quota, params RelocationCase[] cases) =>
        RelocationDecisions.Select(quota, Policy2024, cases, new SelectForInstansi(quota.Id, Now));

    private static RelocationCase Eligible(RelocationWave wave, int servant, decimal score = 75m, MaritalStatus marital = MaritalStatus.Unmarried, int day = 5) =>
        Case(Nominate(wave, servant, Facts(score, marital), new DateOnly(2024, 8, day)));

    [Fact]
    public void Unmarried_employees_come_before_married_ones_whatever_their_score_R41()
    {
        var (wave, quota) = Opened(units: 1);
        var married = Eligible(wave, 1, score: 95m, marital: MaritalStatus.Married);
        var unmarried = Eligible(wave, 2, score: 61m);

        var decision = Select(quota, married, unmarried);

        var decided = decision.Events.OfType<InstansiSelectionDecided>().Single();
        Assert.Equal([unmarried.Id], decided.Selected);
        Assert.Equal([married.Id], decided.WaitListed);
        Assert.Equal("IKN-2024", decided.PolicyVersion);
        Assert.Equal((RelocationStatus.Selected, 1), (After(unmarried, decision).Status, After(unmarried, decision).Rank!.Value));
        Assert.Equal((RelocationStatus.WaitListed, 2), (After(married, decision).Status, After(married, decision).Rank!.Value));
    }

    [Fact]
    public void Within_one_marital_status_a_higher_assessment_score_comes_first()
    {
        var (wave, quota) = Opened(units: 3);
        var cases = new[] { Eligible(wave, 1, 70m), Eligible(wave, 2, 90m), Eligible(wave, 3, 80m) };
        var decided = Select(quota, cases).Events.OfType<InstansiSelectionDecided>().Single();
        Assert.Equal([cases[1].Id, cases[2].Id, cases[0].Id], decided.Selected);
    }

    [Fact]
    public void At_an_equal_score_the_earlier_nomination_comes_first_then_the_case_id()
    {
        var (wave, quota) = Opened(units: 3);
        var later = Eligible(wave, 1, day: 9);
        var earlier = Eligible(wave, 2, day: 6);
        var sameDayA = Eligible(wave, 3, day: 12);
        var sameDayB = Eligible(wave, 4, day: 12);
        var tied = new[] { sameDayA, sameDayB }.OrderBy(c => c.Id.ToString("N"), StringComparer.Ordinal).ToList();

        var decided = Select(quota, later, sameDayB, earlier, sameDayA).Events.OfType<InstansiSelectionDecided>().Single();

        Assert.Equal([earlier.Id, later.Id, tied[0].Id], decided.Selected);
        Assert.Equal([tied[1].Id], decided.WaitListed);
    }

    [Fact]
    public void Ineligible_and_other_instansi_s_cases_are_not_ranked()
    {
        var (wave, quota) = Opened(units: 5);
        var ineligible = Case(Nominate(wave, 1, Facts(score: 10m)));
        var eligible = Eligible(wave, 2);
        var decided = Select(quota, ineligible, eligible).Events.OfType<InstansiSelectionDecided>().Single();
        Assert.Equal([eligible.Id], decided.Selected);
        Assert.Empty(decided.WaitListed);
    }

    [Fact]
    public void When_the_quota_is_exhausted_the_rest_wait_and_no_unit_can_be_offered()
    {
        var (wave, quota) = Opened(units: 2);
        var cases = Enumerable.Range(1, 5).Select(n => Eligible(wave, n, 60m + n)).ToArray();

        var decision = Select(quota, cases);
        var after = After(quota, decision);

        Assert.Equal(2, decision.Events.OfType<RelocationSelected>().Count());
        Assert.Equal([3, 4, 5], decision.Events.OfType<RelocationWaitListed>().Select(w => w.Rank));
        Assert.Equal((0, 3), (after.FreeUnits, after.WaitList.Count));
        new Outcome(RelocationDecisions.OfferFreedUnit(after, After(cases[2], decision), new OfferFreedUnit(quota.Id, Now))).ThenRefused("relocation.no-free-unit");
        new Outcome(Select(after, cases)).ThenRefused("relocation.selection-decided");
    }

    [Fact]
    public void A_withdrawal_frees_the_unit_and_the_first_of_the_wait_list_is_offered_it_as_a_decision_of_its_own()
    {
        var (wave, quota) = Opened(units: 1);
        var first = Eligible(wave, 1, 90m);
        var second = Eligible(wave, 2, 80m);
        var third = Eligible(wave, 3, 70m);
        var selection = Select(quota, first, second, third);
        quota = After(quota, selection);
        (first, second, third) = (After(first, selection), After(second, selection), After(third, selection));

        var withdrawal = RelocationDecisions.Withdraw(first, quota, new WithdrawNomination(first.Id, "family reasons", new DateOnly(2024, 8, 20), Now));
        new Outcome(withdrawal).Then(
            new RelocationWithdrawn(first.Id, wave.Id, Instansi, "family reasons", new DateOnly(2024, 8, 20), Now),
            new HousingUnitReleased(quota.Id, wave.Id, Instansi, first.Id, "withdrawn", Now));
        quota = After(quota, withdrawal);
        Assert.Equal(1, quota.FreeUnits);

        var offer = RelocationDecisions.OfferFreedUnit(quota, second, new OfferFreedUnit(quota.Id, Now));
        new Outcome(offer).Then(
            new WaitListPromoted(quota.Id, wave.Id, Instansi, second.Id, "IKN-2024", Now),
            new RelocationSelected(second.Id, wave.Id, Instansi, 2, true, "IKN-2024", Now));
        quota = After(quota, offer);
        Assert.Equal([second.Id], quota.Occupants);
        Assert.Equal([third.Id], quota.WaitList);

        // Only the first of the wait list can be offered a unit.
        new Outcome(RelocationDecisions.OfferFreedUnit(quota with { Units = 2 }, third, new OfferFreedUnit(quota.Id, Now))).Then(
            new WaitListPromoted(quota.Id, wave.Id, Instansi, third.Id, "IKN-2024", Now),
            new RelocationSelected(third.Id, wave.Id, Instansi, 3, true, "IKN-2024", Now));
        new Outcome(RelocationDecisions.OfferFreedUnit(After(quota, withdrawal) with { Units = 3, WaitList = [third.Id, first.Id] }, first, new OfferFreedUnit(quota.Id, Now)))
            .ThenRefused("relocation.wait-list-stale");
    }

    [Fact]
    public void A_wait_listed_withdrawal_leaves_the_wait_list_without_freeing_a_unit()
    {
        var (wave, quota) = Opened(units: 1);
        var first = Eligible(wave, 1, 90m);
        var second = Eligible(wave, 2, 80m);
        var selection = Select(quota, first, second);
        var withdrawal = RelocationDecisions.Withdraw(After(second, selection), After(quota, selection), new WithdrawNomination(second.Id, "retires", new DateOnly(2024, 8, 20), Now));
        Assert.IsType<WaitListLeft>(withdrawal.Events[1]);
        var quotaAfter = After(After(quota, selection), withdrawal);
        Assert.Equal((0, 0), (quotaAfter.FreeUnits, quotaAfter.WaitList.Count));
    }

    [Fact]
    public void A_selected_case_is_notified_accepts_or_defers_arrives_within_the_family_limit_and_completes()
    {
        var (wave, quota) = Opened(units: 1);
        var c = Eligible(wave, 1);
        c = After(c, Select(quota, c));

        new Outcome(RelocationDecisions.Accept(c, new AcceptRelocation(c.Id, new DateOnly(2024, 8, 20), Now))).ThenRefused("relocation.wrong-status");
        c = After(c, RelocationDecisions.Notify(c, new NotifySelected(c.Id, new DateOnly(2024, 8, 15), Now)));
        new Outcome(RelocationDecisions.Defer(c, new DeferRelocation(c.Id, "child's school year", new DateOnly(2024, 8, 1), new DateOnly(2024, 8, 16), Now))).ThenRefused("relocation.deferral-date");
        c = After(c, RelocationDecisions.Defer(c, new DeferRelocation(c.Id, "child's school year", new DateOnly(2025, 1, 6), new DateOnly(2024, 8, 16), Now)));
        Assert.Equal((RelocationStatus.Deferred, "child's school year", new DateOnly(2025, 1, 6)), (c.Status, c.DeferralReason, c.DeferredUntil!.Value));
        new Outcome(RelocationDecisions.Arrive(c, Policy2024, new RecordArrival(c.Id, new DateOnly(2025, 1, 6), 0, Now))).ThenRefused("relocation.deferred");

        c = After(c, RelocationDecisions.Accept(c, new AcceptRelocation(c.Id, new DateOnly(2024, 12, 20), Now)));
        // The 2024 policy: married employees first go without their family; nobody is housed beside them.
        new Outcome(RelocationDecisions.Arrive(c, Policy2024, new RecordArrival(c.Id, new DateOnly(2025, 1, 6), 1, Now))).ThenRefused("relocation.family-members");
        var arrival = RelocationDecisions.Arrive(c, Policy2024, new RecordArrival(c.Id, new DateOnly(2025, 1, 6), 0, Now));
        new Outcome(arrival).Then(new RelocationArrived(c.Id, wave.Id, Instansi, new DateOnly(2025, 1, 6), 0, 154, "IKN-2024", Now));
        c = After(c, arrival);
        c = After(c, RelocationDecisions.Complete(c, new CompleteRelocation(c.Id, new DateOnly(2025, 3, 1), Now)));
        Assert.Equal(RelocationStatus.Completed, c.Status);
        new Outcome(RelocationDecisions.Withdraw(c, quota, new WithdrawNomination(c.Id, "late", new DateOnly(2025, 3, 2), Now))).ThenRefused("relocation.wrong-status");
    }

    [Fact]
    public void Declining_frees_the_unit_on_the_quota_stream()
    {
        var (wave, quota) = Opened(units: 1);
        var c = Eligible(wave, 1);
        var selection = Select(quota, c);
        c = After(c, RelocationDecisions.Notify(After(c, selection), new NotifySelected(c.Id, new DateOnly(2024, 8, 15), Now)));
        var decline = RelocationDecisions.Decline(c, new DeclineRelocation(c.Id, "spouse's work", new DateOnly(2024, 8, 18), Now));
        Assert.Equal(1, After(After(quota, selection), decline).FreeUnits);
        Assert.Equal(RelocationStatus.Declined, After(c, decline).Status);
    }
}
