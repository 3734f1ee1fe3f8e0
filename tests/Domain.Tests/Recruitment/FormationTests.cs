using Merit.Recruitment;
using Xunit;
using static Merit.Tests.Recruitment.Fixtures;
using static Merit.Tests.Scenario;

namespace Merit.Tests.Recruitment;

public class FormationTests
{
    private static OpenFormation Open(FormationCategory category) =>
        new(RoundId, "F-001", "A5EB03E23CCCF6A0E040640A040252AD", "Analis Kebijakan Ahli Pertama", "Jakarta", category, 2, EducationLevel.S1, Opened);

    [Fact]
    public void A_formation_opens_during_the_announcement() =>
        Given<Formation>(Formation.Evolve)
            .When(f => FormationDecisions.Open(RoundIn(RoundStage.Announcement), f, Open(FormationCategory.Umum)))
            .Then(FormationOpened());

    [Fact]
    public void A_formation_cannot_open_once_administrative_selection_began() =>
        Given<Formation>(Formation.Evolve)
            .When(f => FormationDecisions.Open(RoundIn(RoundStage.AdministrativeSelection), f, Open(FormationCategory.Umum)))
            .ThenRefused("round.wrong-stage");

    [Fact]
    public void The_same_code_cannot_open_twice() =>
        Given<Formation>(Formation.Evolve, FormationOpened())
            .When(f => FormationDecisions.Open(RoundIn(RoundStage.Registration), f, Open(FormationCategory.Umum)))
            .ThenRefused("formation.exists");

    [Fact]
    public void A_category_without_a_threshold_in_the_rule_set_is_refused()
    {
        // The 2023 rule set carries only the sourced umum thresholds.
        var refusal = Given<Formation>(Formation.Evolve)
            .When(f => FormationDecisions.Open(RoundIn(RoundStage.Announcement, "CPNS-2023"), f, Open(FormationCategory.Cumlaude)))
            .ThenRefused("formation.category-not-in-rule-set");
        Assert.Equal("category", refusal.Field);
    }
}
