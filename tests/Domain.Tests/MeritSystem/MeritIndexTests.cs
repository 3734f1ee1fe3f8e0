using Merit.Career;
using Merit.MeritSystem;
using Xunit;
using static Merit.Tests.Scenario;

namespace Merit.Tests.MeritSystem;

/// <summary>The merit-system index (R02) and the IP ASN (R03) as versioned scoring policies.</summary>
public class MeritIndexTests
{
    private static readonly DateTimeOffset Now = new(2025, 3, 1, 9, 0, 0, TimeSpan.FromHours(7));
    private static readonly MeritIndexPolicy Policy = MeritIndexPolicies.Find("MERIT-INDEX-2018")!;

    private static List<AspectScore> Aspects(params decimal[] scores) =>
        Policy.Aspects.Select((a, i) => new AspectScore(a.Code, scores[i % scores.Length], [$"SK-{a.Code}-2024"])).ToList();

    [Theory]
    [InlineData(100, "I", "Buruk")]
    [InlineData(174, "I", "Buruk")]
    [InlineData(174.9, "I", "Buruk")]
    [InlineData(175, "II", "Kurang")]
    [InlineData(249, "II", "Kurang")]
    [InlineData(250, "III", "Baik")]
    [InlineData(324, "III", "Baik")]
    [InlineData(325, "IV", "Sangat Baik")]
    [InlineData(400, "IV", "Sangat Baik")]
    public void The_category_is_a_pure_function_of_the_score_R02(double score, string category, string label)
    {
        var band = Policy.BandOf((decimal)score)!;
        Assert.Equal((category, label), (band.Category, band.Label));
    }

    [Theory]
    [InlineData(99.9)]
    [InlineData(400.5)]
    public void A_score_outside_100_to_400_has_no_category_R02(double score) => Assert.Null(Policy.BandOf((decimal)score));

    [Fact]
    public void A_self_assessment_is_recorded_with_its_evidence_and_verified_by_someone_else_into_its_category()
    {
        var submit = new SubmitMeritSelfAssessment("INST01", 2024, "MERIT-INDEX-2018", Aspects(40), "asesor-inst01", Now);
        var submitted = Assert.IsType<MeritSelfAssessmentSubmitted>(Assert.Single(MeritAssessmentDecisions.Submit(null, submit).Events));
        Assert.Equal(320m, submitted.Score);
        Assert.Equal(MeritAssessmentDecisions.IdFor("INST01", 2024), submitted.AssessmentId);

        // The overseer lowers two aspects: 6 × 40 + 2 × 30 = 300, category III Baik.
        Given<MeritAssessment>(MeritAssessment.Evolve, submitted)
            .When(a => MeritAssessmentDecisions.Verify(a, new VerifyMeritAssessment(submitted.AssessmentId, Aspects(40, 40, 40, 40, 40, 40, 30, 30), "verifikator-bkn", "BKN", Now.AddDays(30))))
            .Then(new MeritAssessmentVerified(submitted.AssessmentId, "INST01", 2024, Aspects(40, 40, 40, 40, 40, 40, 30, 30), 300m, "III", "Baik", 320m, "verifikator-bkn", "BKN", "MERIT-INDEX-2018", Now.AddDays(30)));

        Given<MeritAssessment>(MeritAssessment.Evolve, submitted)
            .When(a => MeritAssessmentDecisions.Verify(a, new VerifyMeritAssessment(submitted.AssessmentId, Aspects(40), "asesor-inst01", "BKN", Now)))
            .ThenRefused("merit.verifier-is-assessor");
        Given<MeritAssessment>(MeritAssessment.Evolve, submitted)
            .When(a => MeritAssessmentDecisions.Submit(a, submit))
            .ThenRefused("merit.already-submitted");
    }

    [Fact]
    public void Aspects_outside_their_range_without_evidence_or_missing_are_refused()
    {
        SubmitMeritSelfAssessment With(List<AspectScore> aspects) => new("INST01", 2024, "MERIT-INDEX-2018", aspects, "asesor", Now);
        Assert.Equal("merit.aspect-range", MeritAssessmentDecisions.Submit(null, With(Aspects(51))).Refusal!.Code);
        Assert.Equal("merit.aspects", MeritAssessmentDecisions.Submit(null, With(Aspects(40).Skip(1).ToList())).Refusal!.Code);
        Assert.Equal("merit.evidence", MeritAssessmentDecisions.Submit(null, With(Aspects(40).Select(a => a with { Evidence = [] }).ToList())).Refusal!.Code);
        Assert.Equal("merit.policy-unknown", MeritAssessmentDecisions.Submit(null, With(Aspects(40)) with { PolicyVersion = "NISM-2025" }).Refusal!.Code);
    }

    [Theory]
    [InlineData(91, "Sangat Tinggi")]
    [InlineData(90.99, "Tinggi")]
    [InlineData(81, "Tinggi")]
    [InlineData(80, "Sedang")]
    [InlineData(71, "Sedang")]
    [InlineData(70, "Rendah")]
    [InlineData(61, "Rendah")]
    [InlineData(60, "Sangat Rendah")]
    [InlineData(0, "Sangat Rendah")]
    public void The_IP_ASN_band_follows_R03(double total, string band) =>
        Assert.Equal(band, IpAsnRuleSet.Catalog.Get("IP-ASN-2018").BandOf((decimal)total).Label);

    [Fact]
    public void The_IP_ASN_is_computed_from_the_career_record_by_hand()
    {
        var id = Guid.NewGuid();
        var record = new object[]
        {
            new CpnsAppointed(id, null, null, "INST01", "Analis", Education.S1, Rank.Parse("III/a"), new DateOnly(2020, 3, 1), "APPOINTMENT-2017", Now),
            new LatsarRecorded(id, true, 113, 1141, new DateOnly(2020, 10, 1), Now),
            new PerformanceRated(id, 2023, Predicate.SangatBaik, Now),
            new PerformanceRated(id, 2024, Predicate.Baik, Now),
            new EducationRecorded(id, Education.S2, new DateOnly(2023, 6, 1), Now),
            new DisciplinarySentenceImposed(id, "SK-1/2024", DisciplineLevel.Light, new DateOnly(2024, 7, 1), new DateOnly(2024, 12, 31), Now),
        }.Aggregate((CareerRecord?)null, CareerRecord.Evolve)!;
        var rules = IpAsnRuleSet.Catalog.Get("IP-ASN-2018");

        // S2 90; latsar 40; Baik (2024) 80; a light sentence within the year 60:
        // 0.25 × 90 + 0.40 × 40 + 0.30 × 80 + 0.05 × 60 = 22.5 + 16 + 24 + 3 = 65.5: Rendah.
        var score = ProfessionalismIndex.Compute(record, new DateOnly(2025, 3, 1), rules);
        Assert.Equal((90m, 40m, 80m, 60m, 65.5m, "Rendah"), (score.Qualification, score.Competence, score.Performance, score.Discipline, score.Total, score.Band));

        // In 2022: S1 80, latsar 40, unrated 0, no sentence 100: 20 + 16 + 0 + 5 = 41.
        var earlier = ProfessionalismIndex.Compute(record, new DateOnly(2022, 1, 1), rules);
        Assert.Equal((80m, 0m, 100m, 41m, "Sangat Rendah"), (earlier.Qualification, earlier.Performance, earlier.Discipline, earlier.Total, earlier.Band));
    }
}
