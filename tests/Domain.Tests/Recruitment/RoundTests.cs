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
    public void A_round_reads_its_dates_in_the_rule_sets_zone_and_window_unless_it_names_its_own()
    {
        var byRuleSet = RoundIn(RoundStage.Announcement);
        Assert.Equal((RoundTimeZone.WIB, new DateWindow(new DateOnly(2024, 8, 20), new DateOnly(2024, 9, 10))), (byRuleSet.TimeZone, byRuleSet.RegistrationWindow));

        var window = new DateWindow(new DateOnly(2024, 9, 1), new DateOnly(2024, 9, 21));
        var own = new OpenRound("CPNS-2024-IKN", "CPNS 2024 IKN", "CPNS-2024", Opened, RoundTimeZone.WITA, window);
        var opened = Assert.IsType<RoundOpened>(RoundDecisions.Open(null, own).Events.Single());
        var round = Round.Evolve(null, opened)!;
        Assert.Equal((RoundTimeZone.WITA, window), (round.TimeZone, round.RegistrationWindow));

        Assert.Equal("round.registration-window", RoundDecisions.Open(null, own with { Registration = new DateWindow(window.Closes, window.Opens) }).Refusal!.Code);
    }

    [Theory]
    [InlineData(RoundTimeZone.WIB, "2024-09-10T16:59:59Z", "2024-09-10")]
    [InlineData(RoundTimeZone.WIB, "2024-09-10T17:00:00Z", "2024-09-11")]
    [InlineData(RoundTimeZone.WITA, "2024-09-10T16:00:00Z", "2024-09-11")]
    [InlineData(RoundTimeZone.WIT, "2024-09-10T14:59:59Z", "2024-09-10")]
    [InlineData(RoundTimeZone.WIT, "2024-09-10T15:00:00Z", "2024-09-11")]
    public void Every_date_is_the_calendar_day_in_the_rounds_zone(RoundTimeZone zone, string instant, string day)
    {
        var at = DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture), zone.DateOf(at));
        Assert.True(zone.EndOf(zone.DateOf(at)) > at);
        Assert.Equal(zone.DateOf(at).AddDays(1), zone.DateOf(zone.EndOf(zone.DateOf(at))));
    }

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
