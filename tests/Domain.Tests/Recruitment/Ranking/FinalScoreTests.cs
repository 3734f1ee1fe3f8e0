using System.Globalization;
using Merit.Recruitment;
using Merit.Recruitment.Ranking;
using Xunit;

namespace Merit.Tests.Recruitment.Ranking;

public class FinalScoreTests
{
    private static readonly RuleSet Rules = RuleSetCatalog.Get("CPNS-2024");

    private static FinalCandidate Candidate(string registrationNumber, int twk, int tiu, int tkp, decimal? skb) =>
        new(ApplicationDecisions.IdFor(Fixtures.RoundId, registrationNumber), registrationNumber, new SkdScore(twk, tiu, tkp), skb, 3.50m, new DateOnly(1995, 1, 1), null);

    [Fact]
    public void The_CPNS_2024_example_0_40_of_380_over_550_plus_0_60_of_80_displays_75_636_R14()
    {
        // 0.40 × (380/550 × 100) + 0.60 × 80 = 75.6363…; kept exact as final × 550 = 0.40 × 100 × 380 + 0.60 × 80 × 550.
        Assert.Equal(41600m, FinalScore.Scaled(380, 80m, Rules));
        Assert.Equal(75.636m, FinalScore.Rounded(380, 80m, Rules));
        Assert.Equal("75.636", FinalScore.Rounded(380, 80m, Rules).ToString(CultureInfo.InvariantCulture));
    }

    [Fact]
    public void The_display_has_three_decimals_rounded_half_away_from_zero_R14()
    {
        Assert.Equal(83.605m, FinalScore.Rounded(405, 90.25m, Rules)); // 83.60454…
        Assert.Equal(81.545m, FinalScore.Rounded(420, 85m, Rules)); // 81.54545…
        Assert.Equal("76.000", FinalScore.Rounded(550, 60m, Rules).ToString(CultureInfo.InvariantCulture));
        Assert.Equal("0.000", FinalScore.Rounded(0, 0m, Rules).ToString(CultureInfo.InvariantCulture));

        // With the shipped weights a final has no exact midpoint, so the midpoint is checked on scaled values:
        // 550.275 / 550 = 1.0005 exactly.
        Assert.Equal(1.001m, FinalScore.Rounded(550.275m, Rules));
        Assert.Equal(1.000m, FinalScore.Rounded(550.2749m, Rules));
    }

    [Fact]
    public void Finals_that_round_equal_but_differ_exactly_are_ordered_by_the_exact_value_R14()
    {
        // 0.40 × 388/5.5 + 0.60 × 80 = 76.21818…; 0.40 × 380/5.5 + 0.60 × 80.97 = 76.21836…
        var higherSkd = Candidate("24100001", 100, 100, 188, 80m);
        var higherFinal = Candidate("24100002", 100, 100, 180, 80.97m);
        Assert.Equal(FinalScore.Rounded(388, 80m, Rules), FinalScore.Rounded(380, 80.97m, Rules));

        var comparer = FinalScore.ExactComparer(Rules);
        Assert.True(comparer.Compare(higherFinal, higherSkd) > 0);
        Assert.True(comparer.Compare(higherSkd, higherFinal) < 0);
        Assert.Equal(0, comparer.Compare(higherSkd, higherSkd with { RegistrationNumber = "24100003" }));
    }

    [Fact]
    public void Equal_exact_finals_compare_equal_whatever_their_parts_R14()
    {
        // 413 and 76 against 380 and 80: both exactly 75.6363…
        Assert.Equal(FinalScore.Scaled(413, 76m, Rules), FinalScore.Scaled(380, 80m, Rules));
        Assert.Equal(0, FinalScore.ExactComparer(Rules).Compare(Candidate("24100001", 100, 113, 200, 76m), Candidate("24100002", 100, 100, 180, 80m)));
    }

    [Fact]
    public void A_candidate_without_an_SKB_score_compares_below_every_score_R14()
    {
        var comparer = FinalScore.ExactComparer(Rules);
        Assert.True(comparer.Compare(Candidate("24100001", 150, 175, 225, null), Candidate("24100002", 0, 0, 0, 0m)) < 0);
        Assert.Equal(0, comparer.Compare(Candidate("24100001", 150, 175, 225, null), Candidate("24100002", 0, 0, 0, null)));
    }
}
