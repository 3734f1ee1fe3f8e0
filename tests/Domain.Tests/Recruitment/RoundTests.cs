using Merit.Recruitment;
using Xunit;
using static Merit.Tests.Recruitment.Fixtures;
using static Merit.Tests.Scenario;

namespace Merit.Tests.Recruitment;

public class RoundTests
{
    [Fact]
    public void A_round_opens_under_a_known_rule_set() =>
        Given<Round>(Round.Evolve)
            .When(round => RoundDecisions.Open(round, new OpenRound("CPNS-2024", "CPNS 2024", "CPNS-2024", Opened)))
            .Then(new RoundOpened(RoundId, "CPNS-2024", "CPNS 2024", "CPNS-2024", Opened));

    [Fact]
    public void An_unknown_rule_set_is_refused_naming_the_field()
    {
        var refusal = Given<Round>(Round.Evolve)
            .When(round => RoundDecisions.Open(round, new OpenRound("CPNS-2099", "CPNS 2099", "CPNS-2099", Opened)))
            .ThenRefused("rule-set.unknown");
        Assert.Equal("ruleSetVersion", refusal.Field);
    }

    [Fact]
    public void A_round_cannot_be_opened_twice() =>
        Given<Round>(Round.Evolve, RoundHistory(RoundStage.Announcement))
            .When(round => RoundDecisions.Open(round, new OpenRound("CPNS-2024", "CPNS 2024", "CPNS-2024", Opened)))
            .ThenRefused("round.exists");

    [Fact]
    public void Stages_advance_one_at_a_time() =>
        Given<Round>(Round.Evolve, RoundHistory(RoundStage.Registration))
            .When(round => RoundDecisions.Advance(round!, new AdvanceRoundStage(RoundId, RoundStage.AdministrativeSelection, Now)))
            .Then(new RoundStageAdvanced(RoundId, RoundStage.Registration, RoundStage.AdministrativeSelection, Now));

    [Fact]
    public void Skipping_a_stage_is_refused_with_the_stage_needed_R05()
    {
        var refusal = Given<Round>(Round.Evolve, RoundHistory(RoundStage.Registration))
            .When(round => RoundDecisions.Advance(round!, new AdvanceRoundStage(RoundId, RoundStage.Skd, Now)))
            .ThenRefused("round.stage-order");
        Assert.Equal(nameof(RoundStage.AdministrativeAppeal), refusal.RequiredStage);
    }

    [Fact]
    public void Both_shipped_rule_sets_load_with_their_blueprint()
    {
        foreach (var version in new[] { "CPNS-2023", "CPNS-2024" })
        {
            var rules = RuleSetCatalog.Get(version);
            Assert.Equal(550, rules.Skd.Maximum);
            Assert.Equal(["TKP", "TIU", "TWK"], rules.Skd.CutOffOrder);
            Assert.Equal(3, rules.SkbQuotaMultiplier);
            Assert.Equal(1m, rules.FinalWeights.Skd + rules.FinalWeights.Skb);
        }
    }
}
