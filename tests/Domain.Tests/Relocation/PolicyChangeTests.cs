using Merit.Deciding;
using Merit.Relocation;
using Xunit;
using static Merit.Tests.Relocation.RelocationFixtures;

namespace Merit.Tests.Relocation;

/// <summary>A new policy is a new document; a wave keeps the policy it was opened under, and its decisions replay under it.</summary>
public class PolicyChangeTests
{
    /// <summary>A candidate document as a later policy might read: no marital ordering, a higher minimum, families housed.</summary>
    private static readonly RelocationPolicy Candidate = RelocationPolicies.Read("""
        {
          "version": "IKN-CANDIDATE",
          "effectiveFrom": "2025-07-01",
          "sources": [ "test document" ],
          "gates": [ { "criterion": "UnitInWave" }, { "criterion": "AssessmentMinimum", "minimum": 70 } ],
          "ordering": [ { "criterion": "AssessmentScore" } ],
          "maxAccompanyingFamily": 4
        }
        """);

    [Fact]
    public void The_shipped_2024_policy_reads_as_the_brief_states_it()
    {
        var policy = Policy2024;
        Assert.Equal(new DateOnly(2024, 7, 1), policy.EffectiveFrom);
        Assert.Equal(OrderingCriterion.MaritalStatus, policy.Ordering[0].Criterion);
        Assert.Equal([MaritalStatus.Unmarried, MaritalStatus.Married], policy.Ordering[0].Order!);
        Assert.Equal(60m, policy.Gates.Single(g => g.Criterion == GateCriterion.AssessmentMinimum).Minimum);
        Assert.Equal(0, policy.MaxAccompanyingFamily);
        Assert.Contains(policy.Sources, s => s.StartsWith("[I]", StringComparison.Ordinal));
    }

    [Fact]
    public void Two_waves_under_two_policies_rank_the_same_people_differently_and_each_replays_under_its_own()
    {
        var (wave1, quota1) = Opened("IKN-T1", units: 1);
        var (wave2, quota2) = Opened("IKN-T2", units: 1, policy: Candidate);

        // The same two employees in both waves: a married one with a high score, an unmarried one with a lower one.
        var w1 = new[] { Nominate(wave1, 1, Facts(95m, MaritalStatus.Married)), Nominate(wave1, 2, Facts(72m)) };
        var w2 = new[] { Nominate(wave2, 1, Facts(95m, MaritalStatus.Married), policy: Candidate), Nominate(wave2, 2, Facts(72m), policy: Candidate) };
        Assert.All(w1, d => Assert.Equal("IKN-2024", d.Events.OfType<RelocationScreened>().Single().PolicyVersion));
        Assert.All(w2, d => Assert.Equal("IKN-CANDIDATE", d.Events.OfType<RelocationScreened>().Single().PolicyVersion));
        Assert.Equal(2, w2[0].Events.OfType<RelocationScreened>().Single().Checks.Count);

        var selection1 = RelocationDecisions.Select(quota1, Policy2024, w1.Select(d => Case(d)), new SelectForInstansi(quota1.Id, Now));
        var selection2 = RelocationDecisions.Select(quota2, Candidate, w2.Select(d => Case(d)), new SelectForInstansi(quota2.Id, Now));
        Assert.Equal([Case(w1[1]).Id], selection1.Events.OfType<InstansiSelectionDecided>().Single().Selected);
        Assert.Equal([Case(w2[0]).Id], selection2.Events.OfType<InstansiSelectionDecided>().Single().Selected);

        // Replay: the wave-1 quota and cases rebuilt from their events, decided again under the policy the events name.
        var replayedQuota = new object[] { new HousingQuotaAllotted(quota1.Id, wave1.Id, Instansi, 1, "IKN-2024", Now) }.Aggregate((HousingQuota?)null, HousingQuota.Evolve)!;
        var named = RelocationPolicies.Find(replayedQuota.PolicyVersion)!;
        var again = RelocationDecisions.Select(replayedQuota, named, w1.Select(d => Case(d)), new SelectForInstansi(quota1.Id, Now));
        Assert.Equal(Describe(selection1), Describe(again));

        // A policy cannot be swapped under a wave: the quota says which version decides it.
        new Outcome(RelocationDecisions.Select(quota1, Candidate, w1.Select(d => Case(d)), new SelectForInstansi(quota1.Id, Now))).ThenRefused("relocation.policy-mismatch");
    }

    [Fact]
    public void The_later_policy_houses_family_members_the_2024_policy_does_not()
    {
        var (wave2, quota2) = Opened("IKN-T2", units: 1, policy: Candidate);
        var c = Case(Nominate(wave2, 1, Facts(80m), policy: Candidate));
        var selection = RelocationDecisions.Select(quota2, Candidate, [c], new SelectForInstansi(quota2.Id, Now));
        c = After(c, selection);
        c = After(c, RelocationDecisions.Notify(c, new NotifySelected(c.Id, new DateOnly(2025, 8, 1), Now)));
        c = After(c, RelocationDecisions.Accept(c, new AcceptRelocation(c.Id, new DateOnly(2025, 8, 2), Now)));
        var arrival = RelocationDecisions.Arrive(c, Candidate, new RecordArrival(c.Id, new DateOnly(2025, 9, 1), 4, Now));
        Assert.Equal((4, "IKN-CANDIDATE"), (arrival.Events.OfType<RelocationArrived>().Single().FamilyMembers, arrival.Events.OfType<RelocationArrived>().Single().PolicyVersion));
        new Outcome(RelocationDecisions.Arrive(c, Candidate, new RecordArrival(c.Id, new DateOnly(2025, 9, 1), 5, Now))).ThenRefused("relocation.family-members");
    }

    private static string Describe(Decision decision) =>
        string.Join('\n', decision.Events.Select(e => e.GetType().Name + System.Text.Json.JsonSerializer.Serialize(e, e.GetType())));
}
