using Merit.Career;
using Xunit;
using static Merit.Tests.Career.CareerFixtures;

namespace Merit.Tests.Career;

/// <summary>R28–R32 and R46 as the pure eligibility function, with dates on both sides of 20 May 2025 and 1 Oct 2025.</summary>
public class PromotionEligibilityTests
{
    [Fact]
    public void Worked_example_TMT_1_Mar_2016_at_II_a_is_first_eligible_for_II_b_on_1_Apr_2020_under_the_April_October_regime()
    {
        var record = Record(Imported("II/a", D(2016, 3, 1)));

        Assert.Equal(D(2020, 4, 1), PromotionEligibility.EarliestTmt(record));
        var assessment = Assess(record, D(2020, 4, 1));
        Assert.True(assessment.Eligible, string.Join("; ", assessment.Unmet));
        Assert.Equal(("KP-2002", "II/b"), (assessment.RuleSetVersion, assessment.To!.Value.Code));

        // 1 Mar 2020 has the four years but is no TMT before 1 Oct 2025 (R32).
        var march = Assess(record, D(2020, 3, 1));
        Assert.Equal(["tmt"], march.UnmetCodes());
    }

    [Fact]
    public void Worked_example_under_the_monthly_rule_of_Peraturan_BKN_4_2025_the_TMT_would_be_1_Mar_2020()
    {
        var record = Record(Imported("II/a", D(2016, 3, 1)));
        var monthly = Regime("KP-2025-10");

        Assert.Equal(D(2020, 3, 1), PromotionEligibility.EarliestTmt(record, monthly));
        Assert.True(PromotionEligibility.Assess(record, D(2020, 3, 1), monthly).Eligible);
    }

    [Theory]
    [InlineData(2025, 4, 1, true, "KP-2002")]
    [InlineData(2025, 9, 1, false, "KP-2025-05")]
    [InlineData(2025, 10, 1, true, "KP-2025-10")]
    [InlineData(2025, 11, 1, true, "KP-2025-10")]
    [InlineData(2026, 2, 1, true, "KP-2025-10")]
    [InlineData(2025, 11, 2, false, "KP-2025-10")]
    [InlineData(2001, 1, 1, true, "KP-2000")]
    [InlineData(2003, 1, 1, false, "KP-2002")]
    public void A_TMT_is_allowed_by_the_regime_in_force_on_it_R32(int year, int month, int day, bool allowed, string regime)
    {
        var lookup = PromotionEligibility.RegimeFor(D(year, month, day));
        Assert.Equal(regime, lookup.Rules!.Version);
        Assert.Equal(allowed, lookup.Refusal is null);
        if (!allowed)
        {
            Assert.Equal("promotion.tmt-not-allowed", lookup.Refusal!.Code);
        }
    }

    [Theory]
    [InlineData("2020-03-01", "2020-04-01")]
    [InlineData("2025-02-02", "2025-04-01")]
    [InlineData("2025-06-15", "2025-10-01")]
    [InlineData("2025-09-30", "2025-10-01")]
    [InlineData("2025-10-02", "2025-11-01")]
    [InlineData("2026-03-01", "2026-03-01")]
    public void The_next_allowed_TMT_follows_the_regime_of_each_month_R32(string from, string expected) =>
        Assert.Equal(DateOnly.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), PromotionEligibility.NextAllowedTmt(DateOnly.Parse(from, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void The_superior_rank_rule_applies_up_to_19_May_2025_and_not_from_20_May_2025_R28()
    {
        Assert.True(CareerRuleSets.Promotion.InForceOn(D(2025, 5, 19))!.SuperiorRankRule);
        Assert.False(CareerRuleSets.Promotion.InForceOn(D(2025, 5, 20))!.SuperiorRankRule);
    }

    [Fact]
    public void Before_20_May_2025_the_target_may_not_exceed_the_superiors_rank_after_it_may_R28()
    {
        var record = Record(Imported("III/b", D(2020, 4, 1), Education.S1, superior: "III/b"));

        var april = Assess(record, D(2025, 4, 1));
        Assert.Equal(["superior-rank"], april.UnmetCodes());
        Assert.Equal("KP-2002", april.RuleSetVersion);

        var october = Assess(record, D(2025, 10, 1));
        Assert.True(october.Eligible);
        Assert.Contains("not applied under KP-2025-10", october.Checks.Single(c => c.Code == "superior-rank").Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unrecorded_superiors_rank_fails_the_rule_only_while_it_is_in_force_R28()
    {
        var record = Record(Imported("II/c", D(2020, 4, 1), superior: null));
        Assert.Equal(["superior-rank"], Assess(record, D(2025, 4, 1)).UnmetCodes());
        Assert.True(Assess(record, D(2025, 10, 1)).Eligible);
    }

    [Theory]
    [InlineData(2021, 10, 1, true)]
    [InlineData(2021, 10, 2, false)]
    public void Four_years_in_rank_are_needed_on_the_TMT_R28(int year, int month, int day, bool eligible)
    {
        var assessment = Assess(Record(Imported("II/b", D(year, month, day))), D(2025, 10, 1));
        Assert.Equal(eligible, assessment.Eligible);
        Assert.Equal(eligible ? [] : ["years-in-rank"], assessment.UnmetCodes());
    }

    [Fact]
    public void Each_of_the_last_two_SKP_years_must_be_at_least_Baik_R28()
    {
        var sangatBaik = Record(Imported(predicates: GoodPredicates((2024, Predicate.SangatBaik), (2023, Predicate.SangatBaik))));
        Assert.True(Assess(sangatBaik, D(2025, 10, 1)).Eligible);

        var butuhPerbaikan = Record(Imported(predicates: GoodPredicates((2024, Predicate.ButuhPerbaikan))));
        var assessment = Assess(butuhPerbaikan, D(2025, 10, 1));
        Assert.Equal(["predicates"], assessment.UnmetCodes());
        Assert.Contains("SKP 2024: ButuhPerbaikan", assessment.Checks.Single(c => c.Code == "predicates").Detail, StringComparison.Ordinal);

        // The predicate of 2022 is not one of the last two years for a TMT in 2025.
        Assert.True(Assess(Record(Imported(predicates: GoodPredicates((2022, Predicate.Kurang)))), D(2025, 10, 1)).Eligible);
    }

    [Fact]
    public void A_missing_SKP_year_fails_the_predicate_condition_R28()
    {
        var predicates = GoodPredicates();
        predicates.Remove(2023);
        var assessment = Assess(Record(Imported(predicates: predicates)), D(2025, 4, 1));
        Assert.Equal(["predicates"], assessment.UnmetCodes());
        Assert.Contains("SKP 2023: none recorded", assessment.Checks.Single(c => c.Code == "predicates").Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Education.SD, "I/d", true)]
    [InlineData(Education.SD, "II/a", false)]
    [InlineData(Education.SLTP, "II/b", true)]
    [InlineData(Education.SLTP, "II/c", false)]
    [InlineData(Education.SLTPKejuruan, "II/c", true)]
    [InlineData(Education.SLTA, "III/a", true)]
    [InlineData(Education.SLTA, "III/b", false)]
    [InlineData(Education.D2, "III/b", false)]
    [InlineData(Education.D3, "III/b", true)]
    [InlineData(Education.D3, "III/c", false)]
    [InlineData(Education.S1, "III/c", true)]
    [InlineData(Education.S1, "III/d", false)]
    [InlineData(Education.S2, "III/d", true)]
    [InlineData(Education.Dokter, "IV/a", false)]
    [InlineData(Education.S3, "IV/a", true)]
    [InlineData(Education.S3, "IV/b", false)]
    public void Regular_promotion_stops_at_the_ceiling_of_the_highest_education_R28(Education education, string rank, bool eligible)
    {
        var exams = new[] { ServiceExamLevel.I, ServiceExamLevel.II };
        var assessment = Assess(Record(Imported(rank, D(2020, 4, 1), education, superior: "IV/e", exams: exams)), D(2025, 10, 1));
        Assert.Equal(eligible ? [] : ["education-ceiling"], assessment.UnmetCodes());
    }

    [Fact]
    public void A_higher_education_counts_from_the_day_it_was_acquired_R28()
    {
        var imported = Imported("III/b", D(2020, 4, 1), Education.SLTA);
        var s1 = new EducationRecorded(ServantId, Education.S1, D(2025, 8, 15), ImportedAt);
        Assert.Equal(["education-ceiling"], Assess(Record(imported, s1), D(2025, 4, 1)).UnmetCodes());
        Assert.True(Assess(Record(imported, s1), D(2025, 10, 1)).Eligible);
        Assert.Equal(["education-ceiling"], Assess(Record(imported, s1 with { AcquiredOn = D(2025, 10, 2) }), D(2025, 10, 1)).UnmetCodes());
        Assert.Equal(Education.S1, PromotionEligibility.HighestEducation(Record(imported, s1), D(2025, 10, 1), Regime("KP-2025-10")));
    }

    [Fact]
    public void Crossing_II_to_III_needs_ujian_dinas_I_and_III_to_IV_needs_II_unless_exempt_R30()
    {
        var toIII = Imported("II/d", D(2020, 4, 1), Education.SLTA);
        Assert.Equal(["service-exam"], Assess(Record(toIII), D(2025, 10, 1)).UnmetCodes());
        Assert.True(Assess(Record(toIII, new ServiceExamRecorded(ServantId, ServiceExamLevel.I, true, D(2024, 6, 1), ImportedAt)), D(2025, 10, 1)).Eligible);
        Assert.Equal(["service-exam"], Assess(Record(toIII, new ServiceExamRecorded(ServantId, ServiceExamLevel.I, false, D(2024, 6, 1), ImportedAt)), D(2025, 10, 1)).UnmetCodes());

        var exempt = Assess(Record(toIII, new ServiceExamExemptionGranted(ServantId, ServiceExamLevel.I, "penyesuaian ijazah S1", D(2024, 6, 1), ImportedAt)), D(2025, 10, 1));
        Assert.True(exempt.Eligible);
        Assert.Contains("exempt", exempt.Checks.Single(c => c.Code == "service-exam").Detail, StringComparison.Ordinal);

        var toIV = Imported("III/d", D(2020, 4, 1), Education.S2, exams: [ServiceExamLevel.I]);
        Assert.Equal(["service-exam"], Assess(Record(toIV), D(2025, 10, 1)).UnmetCodes());
        Assert.True(Assess(Record(Imported("III/d", D(2020, 4, 1), Education.S2, exams: [ServiceExamLevel.I, ServiceExamLevel.II])), D(2025, 10, 1)).Eligible);

        // Within a golongan no exam is needed.
        Assert.True(Assess(Record(Imported("III/a", D(2020, 4, 1), Education.S1)), D(2025, 10, 1)).Eligible);
    }

    [Fact]
    public void No_promotion_while_a_disciplinary_sentence_is_in_force_on_the_TMT_R31()
    {
        var imported = Imported("II/b", D(2020, 4, 1));
        var sentence = new DisciplinarySentenceImposed(ServantId, "KEP-1/2025", DisciplineLevel.Medium, D(2025, 1, 1), D(2025, 9, 30), ImportedAt);
        Assert.Equal(["discipline"], Assess(Record(imported, sentence), D(2025, 4, 1)).UnmetCodes());
        Assert.Equal(["discipline"], Assess(Record(imported, sentence with { Until = D(2025, 10, 1) }), D(2025, 10, 1)).UnmetCodes());
        Assert.True(Assess(Record(imported, sentence), D(2025, 10, 1)).Eligible);
    }

    [Fact]
    public void A_BKN_block_makes_the_civil_servant_ineligible_until_it_is_lifted_R46()
    {
        var imported = Imported("II/b", D(2020, 4, 1));
        var blocked = new ServiceBlocked(ServantId, "BKN-BLK-7", "data verification", D(2025, 9, 1), ImportedAt);
        Assert.Equal(["block"], Assess(Record(imported, blocked), D(2025, 10, 1)).UnmetCodes());
        Assert.True(Assess(Record(imported, blocked, new ServiceUnblocked(ServantId, "BKN-BLK-7", D(2025, 9, 20), ImportedAt)), D(2025, 10, 1)).Eligible);
    }

    [Fact]
    public void Every_unmet_condition_is_given_at_once()
    {
        var imported = Imported("II/b", D(2023, 4, 1), predicates: GoodPredicates((2024, Predicate.Kurang)));
        var record = Record(imported, new DisciplinarySentenceImposed(ServantId, "KEP-2/2025", DisciplineLevel.Light, D(2025, 9, 1), D(2025, 12, 31), ImportedAt));
        var assessment = Assess(record, D(2025, 11, 1));
        Assert.Equal(["years-in-rank", "predicates", "discipline"], assessment.UnmetCodes());
        Assert.All(assessment.Checks, c => Assert.False(string.IsNullOrWhiteSpace(c.Rule)));
    }

    [Fact]
    public void A_CPNS_is_not_promoted()
    {
        var appointed = new CpnsAppointed(ServantId, null, null, Instansi, "Analis", Education.S1, Rank.Parse("III/a"), D(2019, 3, 1), "APPOINTMENT-2017", ImportedAt);
        var rated = Enumerable.Range(2023, 2).Select(y => (object)new PerformanceRated(ServantId, y, Predicate.Baik, ImportedAt));
        Assert.Equal(["status"], Assess(Record([appointed, .. rated]), D(2025, 10, 1)).UnmetCodes());
    }

    [Fact]
    public void IV_e_has_no_next_rank()
    {
        var assessment = Assess(Record(Imported("IV/e", D(2015, 4, 1), Education.S3)), D(2025, 10, 1));
        Assert.False(assessment.Eligible);
        Assert.Null(assessment.To);
        Assert.Contains("next-rank", assessment.UnmetCodes());
    }

    [Fact]
    public void A_JF_holder_is_promoted_by_the_functional_route_after_2_years_with_the_credit_points_R29()
    {
        var jf = Imported("III/a", D(2023, 10, 1), Education.S1, PositionKind.Fungsional, FunctionalLevel.AhliPertama, creditPoints: 50m);
        var assessment = Assess(Record(jf), D(2025, 10, 1));
        Assert.True(assessment.Eligible, string.Join("; ", assessment.Unmet));
        Assert.Equal(PromotionRoute.Functional, assessment.Route);
        Assert.All(assessment.Checks.Where(c => c.Code is "years-in-rank" or "predicates"), c => Assert.Equal("R29", c.Rule));

        Assert.Equal(["years-in-rank"], Assess(Record(jf with { RankSince = D(2023, 10, 2) }), D(2025, 10, 1)).UnmetCodes());
        Assert.Equal(["credit-points"], Assess(Record(jf with { CreditPoints = 49.5m }), D(2025, 10, 1)).UnmetCodes());
        Assert.Equal(["credit-points"], Assess(Record(jf with { CreditPoints = null }), D(2025, 10, 1)).UnmetCodes());
        Assert.Equal(["predicates"], Assess(Record(jf with { Predicates = GoodPredicates((2023, Predicate.ButuhPerbaikan)) }), D(2025, 10, 1)).UnmetCodes());
    }

    [Fact]
    public void A_JF_promotion_stays_within_the_rank_band_of_the_level_R29()
    {
        var top = Imported("III/b", D(2022, 10, 1), Education.S1, PositionKind.Fungsional, FunctionalLevel.AhliPertama, creditPoints: 200m);
        Assert.Equal(["jf-band"], Assess(Record(top), D(2025, 10, 1)).UnmetCodes());

        // The education ceiling is a rule of the regular route: an S1 Ahli Madya goes from IV/a to IV/b.
        var madya = Imported("IV/a", D(2022, 10, 1), Education.S1, PositionKind.Fungsional, FunctionalLevel.AhliMadya, creditPoints: 150m);
        Assert.True(Assess(Record(madya), D(2025, 10, 1)).Eligible);
    }

    [Fact]
    public void Ranks_form_the_17_step_ladder_written_as_codes()
    {
        Assert.Equal(17, Rank.All.Count);
        Assert.Equal(["I/a", "II/d", "III/a", "IV/e"], new List<int> { 1, 8, 9, 17 }.Select(s => Rank.OfStep(s).Code));
        Assert.Equal("Penata Muda", Rank.Parse("III/a").Title);
        Assert.Equal(3, Rank.Parse("III/d").Golongan);
        Assert.Equal(Rank.Parse("IV/a"), Rank.Parse("III/d").Next);
        Assert.Null(Rank.Parse("IV/e").Next);
        Assert.False(Rank.TryParse("III/e", out _));
        Assert.Equal("\"III/a\"", System.Text.Json.JsonSerializer.Serialize(Rank.Parse("III/a")));
        Assert.Equal(Rank.Parse("II/c"), System.Text.Json.JsonSerializer.Deserialize<Rank>("\"II/c\""));
    }

    [Fact]
    public void Every_shipped_regime_loads_with_its_tables()
    {
        Assert.Equal(["KP-2000", "KP-2002", "KP-2025-05", "KP-2025-10"], CareerRuleSets.Promotion.RuleSets.Select(r => r.Version));
        foreach (var regime in CareerRuleSets.Promotion.RuleSets)
        {
            Assert.Equal(Enum.GetValues<Education>().Length, regime.EducationCeilings.Count);
            Assert.Equal(Enum.GetValues<FunctionalLevel>().Length, regime.FunctionalLevels.Count);
            Assert.Equal((4, 2), (regime.Regular.YearsInRank, regime.Functional.YearsInRank));
            Assert.NotEmpty(regime.Sources);
        }

        Assert.Equal(12, CareerRuleSets.Promotion.Get("KP-2025-10").AllowedTmtMonths.Count);
        Assert.NotNull(CareerRuleSets.Appointment.InForceOn(D(2024, 1, 1)));
        Assert.NotNull(CareerRuleSets.Jpt.InForceOn(D(2025, 1, 1)));
        Assert.NotNull(CareerRuleSets.Talent.InForceOn(D(2025, 1, 1)));
        Assert.Null(CareerRuleSets.Promotion.InForceOn(D(1999, 1, 1)));
    }

    [Fact]
    public void A_check_keeps_its_detail_as_a_sentence_and_a_check_recorded_without_one_says_its_English()
    {
        var assessment = Assess(Record(Imported("II/a", D(2023, 4, 1))), D(2025, 10, 1));
        var years = assessment.Checks.Single(c => c.Code == "years-in-rank");
        Assert.Equal("{0} since {1}: {2} years reached on {3}", years.Template);
        Assert.Equal(["II/a", "2023-04-01", "4", "2027-04-01"], years.Values!);
        Assert.Equal(years.Detail, years.Sentence().English);
        Assert.All(assessment.Checks, c => Assert.Equal(c.Detail, c.Sentence().English));

        // Said through a catalogue; a check stored before templates were kept has none, and says what it recorded.
        string? Indonesian(string template) => template == "{0} since {1}: {2} years reached on {3}" ? "{0} sejak {1}: {2} tahun tercapai pada {3}" : null;
        Assert.Equal("II/a sejak 2023-04-01: 4 tahun tercapai pada 2027-04-01", years.Sentence().Say(Indonesian));
        var recorded = new PromotionCheck("years-in-rank", "R28", false, "II/a since 2023-04-01: 4 years reached on 2027-04-01");
        Assert.Equal(recorded.Detail, recorded.Sentence().Say(Indonesian));
    }
}
