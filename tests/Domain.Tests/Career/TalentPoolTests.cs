using Merit.Career;
using Merit.Deciding;
using Xunit;
using static Merit.Tests.Career.CareerFixtures;
using static Merit.Tests.Scenario;

namespace Merit.Tests.Career;

/// <summary>The 9-box by the configured matrix and the succession group (R39); the track-record screen (R40).</summary>
public class TalentPoolTests
{
    private static readonly DateOnly MappedOn = D(2025, 11, 1);

    private static TalentMapped Map(CareerRecord record, PerformanceLevel? performance, PotentialLevel potential, InstansiTalentMatrix? matrix = null) =>
        new Outcome(TalentDecisions.Map(record, matrix, new MapTalent(ServantId, 2025, performance, potential, MappedOn, At(2025, 11, 1))))
            .ThenSingle<TalentMapped>();

    [Theory]
    [InlineData(PerformanceLevel.Above, PotentialLevel.Low, 4)]
    [InlineData(PerformanceLevel.Above, PotentialLevel.Medium, 7)]
    [InlineData(PerformanceLevel.Above, PotentialLevel.High, 9)]
    [InlineData(PerformanceLevel.Meets, PotentialLevel.Low, 2)]
    [InlineData(PerformanceLevel.Meets, PotentialLevel.Medium, 5)]
    [InlineData(PerformanceLevel.Meets, PotentialLevel.High, 8)]
    [InlineData(PerformanceLevel.Below, PotentialLevel.Low, 1)]
    [InlineData(PerformanceLevel.Below, PotentialLevel.Medium, 3)]
    [InlineData(PerformanceLevel.Below, PotentialLevel.High, 6)]
    public void The_default_matrix_numbers_the_boxes_4_7_9_2_5_8_1_3_6_and_7_to_9_are_the_succession_group_R39(PerformanceLevel performance, PotentialLevel potential, int box)
    {
        var mapped = Map(Record(Imported()), performance, potential);
        Assert.Equal((box, "TALENT-2020", "TALENT-2020"), (mapped.Box, mapped.MatrixVersion, mapped.RuleSetVersion));
        Assert.Equal(box >= 7, mapped.InSuccessionBox);
        Assert.Equal(box >= 7, mapped.SuccessionCandidate);
    }

    [Fact]
    public void An_instansi_matrix_numbers_the_boxes_its_own_way_R39()
    {
        var cells = new Dictionary<PerformanceLevel, IReadOnlyDictionary<PotentialLevel, int>>
        {
            [PerformanceLevel.Above] = new Dictionary<PotentialLevel, int> { [PotentialLevel.Low] = 7, [PotentialLevel.Medium] = 8, [PotentialLevel.High] = 9 },
            [PerformanceLevel.Meets] = new Dictionary<PotentialLevel, int> { [PotentialLevel.Low] = 4, [PotentialLevel.Medium] = 5, [PotentialLevel.High] = 6 },
            [PerformanceLevel.Below] = new Dictionary<PotentialLevel, int> { [PotentialLevel.Low] = 1, [PotentialLevel.Medium] = 2, [PotentialLevel.High] = 3 },
        };
        var adopted = Given<InstansiTalentMatrix>(InstansiTalentMatrix.Evolve)
            .When(m => TalentDecisions.Adopt(m, new AdoptTalentMatrix(Instansi, "KEMENKEU-2023", new TalentMatrix(cells, [7, 8, 9]), At(2025, 1, 1))))
            .ThenSingle<TalentMatrixAdopted>();
        var matrix = InstansiTalentMatrix.Evolve(null, adopted);

        var mapped = Map(Record(Imported()), PerformanceLevel.Above, PotentialLevel.Low, matrix);
        Assert.Equal((7, "KEMENKEU-2023", true), (mapped.Box, mapped.MatrixVersion, mapped.InSuccessionBox));
        Assert.Equal(4, Map(Record(Imported()), PerformanceLevel.Above, PotentialLevel.Low).Box);

        Given<InstansiTalentMatrix>(InstansiTalentMatrix.Evolve, adopted)
            .When(m => TalentDecisions.Adopt(m, new AdoptTalentMatrix(Instansi, "KEMENKEU-2023", new TalentMatrix(cells, [7, 8, 9]), At(2025, 2, 1))))
            .ThenRefusedAs("talent.matrix-version", RefusalKind.Conflict);
    }

    [Fact]
    public void A_matrix_numbers_each_box_once()
    {
        var cells = CareerRuleSets.Talent.Get("TALENT-2020").Matrix.ToDictionary(r => r.Key, r => r.Value);
        cells[PerformanceLevel.Below] = new Dictionary<PotentialLevel, int> { [PotentialLevel.Low] = 1, [PotentialLevel.Medium] = 1, [PotentialLevel.High] = 6 };
        Given<InstansiTalentMatrix>(InstansiTalentMatrix.Evolve)
            .When(m => TalentDecisions.Adopt(m, new AdoptTalentMatrix(Instansi, "X-1", new TalentMatrix(cells, [7, 8, 9]), At(2025, 1, 1))))
            .ThenRefusedAs("talent.matrix", RefusalKind.Invalid);
        Given<InstansiTalentMatrix>(InstansiTalentMatrix.Evolve)
            .When(m => TalentDecisions.Adopt(m, new AdoptTalentMatrix(Instansi, "X-2", new TalentMatrix(CareerRuleSets.Talent.Get("TALENT-2020").Matrix, [10]), At(2025, 1, 1))))
            .ThenRefusedAs("talent.matrix", RefusalKind.Invalid);
    }

    [Theory]
    [InlineData(DisciplineLevel.Medium, 2024, false)]
    [InlineData(DisciplineLevel.Heavy, 2024, false)]
    [InlineData(DisciplineLevel.Light, 2024, true)]
    [InlineData(DisciplineLevel.Heavy, 2022, true)]
    public void A_medium_or_heavy_sentence_in_the_last_2_years_fails_the_track_record_screen_R40(DisciplineLevel level, int year, bool passes)
    {
        var sentence = new DisciplinarySentenceImposed(ServantId, "KEP-T", level, D(year, 1, 1), D(year, 6, 30), ImportedAt);
        var mapped = Map(Record(Imported(), sentence), PerformanceLevel.Above, PotentialLevel.High);
        Assert.Equal(9, mapped.Box);
        Assert.True(mapped.InSuccessionBox);
        Assert.Equal(passes, mapped.TrackRecordPassed);
        Assert.Equal(passes, mapped.SuccessionCandidate);
        Assert.Equal(passes ? 0 : 1, mapped.TrackRecordFindings.Count);
    }

    [Fact]
    public void An_ethics_violation_in_the_last_2_years_fails_the_screen_R40()
    {
        Assert.False(Map(Record(Imported(), new EthicsViolationRecorded(ServantId, "KE-1", D(2024, 3, 1), ImportedAt)), PerformanceLevel.Above, PotentialLevel.High).TrackRecordPassed);
        Assert.True(Map(Record(Imported(), new EthicsViolationRecorded(ServantId, "KE-1", D(2023, 10, 31), ImportedAt)), PerformanceLevel.Above, PotentialLevel.High).TrackRecordPassed);
    }

    [Fact]
    public void Without_a_given_level_the_performance_axis_comes_from_the_last_two_SKP_years()
    {
        Assert.Equal(PerformanceLevel.Above, Map(Record(Imported(predicates: GoodPredicates((2024, Predicate.SangatBaik), (2023, Predicate.SangatBaik)))), null, PotentialLevel.Medium).Performance);
        Assert.Equal(PerformanceLevel.Meets, Map(Record(Imported(predicates: GoodPredicates((2024, Predicate.SangatBaik)))), null, PotentialLevel.Medium).Performance);
        Assert.Equal(PerformanceLevel.Below, Map(Record(Imported(predicates: GoodPredicates((2023, Predicate.ButuhPerbaikan)))), null, PotentialLevel.Medium).Performance);

        var none = Record(Imported(predicates: new Dictionary<int, Predicate>()));
        Assert.Equal("talent.performance-unknown", TalentDecisions.Map(none, null, new MapTalent(ServantId, 2025, null, PotentialLevel.High, MappedOn, At(2025, 11, 1))).Refusal!.Code);
    }
}
