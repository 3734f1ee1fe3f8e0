using Merit.Recruitment;
using Merit.Recruitment.Ranking;
using Xunit;
using static Merit.Tests.Recruitment.Fixtures;

namespace Merit.Tests.Recruitment.Ranking;

public class SkdCutOffTests
{
    private static readonly RuleSet Rules = RuleSetCatalog.Get("CPNS-2024");

    /// <summary>An applicant who sat the SKD, with the threshold assessed as the SKD decision records it.</summary>
    private static SkdCandidate Sat(string registrationNumber, int twk, int tiu, int tkp, FormationCategory category = FormationCategory.Umum)
    {
        var score = new SkdScore(twk, tiu, tkp);
        var assessment = SkdRules.Assess(Rules.ThresholdFor(category)!, score);
        return new SkdCandidate(ApplicationDecisions.IdFor(RoundId, registrationNumber), registrationNumber, score, assessment.Met, assessment.Shortfalls);
    }

    private static CutOffResult CutOff(int allocation, params SkdCandidate[] candidates) =>
        SkdCutOff.Decide(candidates, allocation, FormationCategory.Umum, Rules);

    /// <summary>The list as an auditor reads it: registration number, rank (- when unranked), outcome.</summary>
    private static void ThenList(CutOffResult result, params string[] expected) =>
        Assert.Equal(expected, result.Entries.Select(e => $"{e.RegistrationNumber} {e.Rank?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"} {e.Outcome}"));

    private static string ReasonOf(CutOffResult result, string registrationNumber) =>
        result.Entries.Single(e => e.RegistrationNumber == registrationNumber).Reason;

    [Fact]
    public void Passers_within_three_times_the_allocation_are_admitted_the_rest_excluded_R13()
    {
        // Given one formation (quota 3 × 1) and five threshold passers with distinct totals
        var candidates = new[]
        {
            Sat("24100005", 65, 80, 166),
            Sat("24100001", 100, 120, 190),
            Sat("24100004", 70, 80, 170),
            Sat("24100002", 95, 115, 185),
            Sat("24100003", 90, 100, 180),
        };

        // When the cut-off is decided
        var result = CutOff(1, candidates);

        // Then the best three go to the SKB
        Assert.Equal(3, result.Quota);
        Assert.Equal(3, result.Admitted);
        ThenList(result, "24100001 1 Admitted", "24100002 2 Admitted", "24100003 3 Admitted", "24100004 4 OverQuota", "24100005 5 OverQuota");
        Assert.Equal("admitted: rank 3 within quota 3 (3 × 1)", ReasonOf(result, "24100003"));
        Assert.Equal("excluded: rank 4 beyond quota 3 (3 × 1)", ReasonOf(result, "24100004"));
        var entry = result.Entries[0];
        Assert.Equal((100, 120, 190, 410), (entry.Twk, entry.Tiu, entry.Tkp, entry.Total));
        Assert.Equal(ApplicationDecisions.IdFor(RoundId, "24100001"), entry.ApplicationId);
    }

    [Fact]
    public void Fewer_passers_than_the_quota_are_all_admitted_R13()
    {
        // Given one formation (quota 3) where only two of three applicants met the threshold (the brief's example)
        var result = CutOff(1, Sat("24100001", 65, 80, 166), Sat("24100002", 60, 120, 200), Sat("24100003", 80, 90, 170));

        // Then both passers go to the SKB, and no one else
        Assert.Equal(3, result.Quota);
        Assert.Equal(2, result.Admitted);
        ThenList(result, "24100003 1 Admitted", "24100001 2 Admitted", "24100002 - BelowThreshold");
    }

    [Fact]
    public void Ties_at_the_boundary_are_all_admitted_R13()
    {
        // Given two formations (quota 6): five clear places, then three applicants equal on every criterion at
        // places 6 to 8, then one below them
        var result = CutOff(
            2,
            Sat("24100001", 120, 140, 200),
            Sat("24100002", 115, 135, 195),
            Sat("24100003", 110, 130, 190),
            Sat("24100004", 105, 125, 185),
            Sat("24100005", 100, 120, 180),
            Sat("24100008", 95, 100, 172),
            Sat("24100006", 95, 100, 172),
            Sat("24100007", 95, 100, 172),
            Sat("24100009", 95, 100, 171));

        // Then all three tied applicants share rank 6 and are admitted: eight for a quota of six
        Assert.Equal(6, result.Quota);
        Assert.Equal(8, result.Admitted);
        ThenList(
            result,
            "24100001 1 Admitted",
            "24100002 2 Admitted",
            "24100003 3 Admitted",
            "24100004 4 Admitted",
            "24100005 5 Admitted",
            "24100006 6 Admitted",
            "24100007 6 AdmittedOnTie",
            "24100008 6 AdmittedOnTie",
            "24100009 9 OverQuota");
        Assert.Equal("admitted: rank 6 within quota 6 (3 × 2)", ReasonOf(result, "24100006"));
        Assert.Equal("admitted on tie at the boundary: total 367, TKP 172, TIU 100, TWK 95 equal to rank 6", ReasonOf(result, "24100007"));
        Assert.Equal("excluded: rank 9 beyond quota 6 (3 × 2)", ReasonOf(result, "24100009"));
    }

    [Fact]
    public void A_tied_group_that_starts_inside_the_quota_is_admitted_whole_R13()
    {
        // Given quota 3 and three applicants tied at rank 2
        var result = CutOff(1, Sat("24100001", 100, 100, 200), Sat("24100003", 90, 90, 180), Sat("24100002", 90, 90, 180), Sat("24100004", 90, 90, 180));

        // Then the one listed fourth is admitted on the tie with rank 2
        Assert.Equal(4, result.Admitted);
        ThenList(result, "24100001 1 Admitted", "24100002 2 Admitted", "24100003 2 Admitted", "24100004 2 AdmittedOnTie");
        Assert.Equal("admitted on tie at the boundary: total 360, TKP 180, TIU 90, TWK 90 equal to rank 2", ReasonOf(result, "24100004"));
    }

    [Fact]
    public void Equal_totals_are_ordered_by_TKP_then_TIU_and_TWK_is_then_implied_R13()
    {
        // Given four applicants with total 380: TKP decides between 24100001 and the rest, TIU between
        // 24100002 and 24100003; equal total, TKP and TIU leave TWK equal too, so TWK can never decide alone
        var result = CutOff(
            1,
            Sat("24100004", 100, 100, 180),
            Sat("24100002", 100, 95, 185),
            Sat("24100001", 90, 100, 190),
            Sat("24100003", 95, 100, 185));

        // Then the order is by TKP, then TIU, and the quota of three cuts the fourth
        ThenList(result, "24100001 1 Admitted", "24100003 2 Admitted", "24100002 3 Admitted", "24100004 4 OverQuota");
    }

    [Fact]
    public void The_subtest_order_comes_from_the_rule_set_R13()
    {
        // Given a rule set whose cut-off order starts with TWK (the order one outlet reports, brief 8.1)
        var twkFirst = Rules with { Skd = Rules.Skd with { CutOffOrder = ["TWK", "TIU", "TKP"] } };
        var candidates = new[] { Sat("24100001", 90, 100, 190), Sat("24100002", 100, 100, 180) };

        // When the same applicants are cut under each
        var byTkp = SkdCutOff.Decide(candidates, 0, FormationCategory.Umum, Rules);
        var byTwk = SkdCutOff.Decide(candidates, 0, FormationCategory.Umum, twkFirst);

        // Then the order follows the rule set's data
        ThenList(byTkp, "24100001 1 OverQuota", "24100002 2 OverQuota");
        ThenList(byTwk, "24100002 1 OverQuota", "24100001 2 OverQuota");
    }

    [Fact]
    public void Applicants_equal_on_every_criterion_share_a_rank_and_the_next_rank_skips_R13()
    {
        // Given two applicants fully tied behind the best one
        var result = CutOff(
            3,
            Sat("24100004", 80, 90, 170),
            Sat("24100003", 90, 95, 175),
            Sat("24100002", 90, 95, 175),
            Sat("24100001", 100, 100, 200));

        // Then the ranks are 1, 2, 2, 4, the tied ones listed by registration number
        ThenList(result, "24100001 1 Admitted", "24100002 2 Admitted", "24100003 2 Admitted", "24100004 4 Admitted");
    }

    [Fact]
    public void Below_threshold_applicants_are_excluded_unranked_with_their_shortfalls_R13()
    {
        // Given an umum formation: a high total that fails on TWK (the brief's example), a plain pass, and a
        // double shortfall
        var result = CutOff(2, Sat("24100003", 60, 120, 200), Sat("24100001", 65, 80, 166), Sat("24100002", 50, 75, 200));

        // Then only the passer is ranked; the others follow by registration number, each with its shortfalls
        Assert.Equal(1, result.Admitted);
        ThenList(result, "24100001 1 Admitted", "24100002 - BelowThreshold", "24100003 - BelowThreshold");
        Assert.Equal("excluded: below threshold: TIU 75 < 80, TWK 50 < 65 (umum, rule set CPNS-2024)", ReasonOf(result, "24100002"));
        Assert.Equal("excluded: below threshold: TWK 60 < 65 (umum, rule set CPNS-2024)", ReasonOf(result, "24100003"));
    }

    [Fact]
    public void A_khusus_formation_names_its_category_and_total_shortfall_R13()
    {
        // Given a cumlaude formation (total ≥ 311 and TIU ≥ 85, R10)
        var candidates = new[]
        {
            Sat("24100001", 40, 85, 186, FormationCategory.Cumlaude),
            Sat("24100002", 40, 80, 180, FormationCategory.Cumlaude),
        };

        // When the cut-off is decided for that category
        var result = SkdCutOff.Decide(candidates, 1, FormationCategory.Cumlaude, Rules);

        // Then the reason names both shortfalls and the category
        ThenList(result, "24100001 1 Admitted", "24100002 - BelowThreshold");
        Assert.Equal("excluded: below threshold: total 300 < 311, TIU 80 < 85 (cumlaude, rule set CPNS-2024)", ReasonOf(result, "24100002"));
    }

    [Fact]
    public void A_formation_without_passers_or_without_places_admits_no_one_R13()
    {
        var nobody = CutOff(1);
        Assert.Equal((3, 0), (nobody.Quota, nobody.Admitted));
        Assert.Empty(nobody.Entries);

        var noPlaces = CutOff(0, Sat("24100001", 100, 100, 200));
        Assert.Equal(0, noPlaces.Admitted);
        Assert.Equal("excluded: rank 1 beyond quota 0 (3 × 0)", ReasonOf(noPlaces, "24100001"));
    }

    [Fact]
    public void Inconsistent_input_is_a_caller_error()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CutOff(-1, Sat("24100001", 100, 100, 200)));
        Assert.Throws<ArgumentException>(() => CutOff(1, Sat("24100001", 100, 100, 200), Sat("24100001", 90, 100, 200)));
        Assert.Throws<ArgumentException>(() => SkdCutOff.Decide([Sat("24100001", 100, 100, 200)], 1, FormationCategory.Cumlaude, RuleSetCatalog.Get("CPNS-2023")));
    }

    [Fact]
    public void The_same_applicants_in_any_order_give_the_identical_list_R13()
    {
        // Given a formation with ties inside, at and beyond the boundary, and applicants below the threshold
        var candidates = new[]
        {
            Sat("24100001", 100, 100, 200), Sat("24100002", 90, 95, 175), Sat("24100003", 90, 95, 175),
            Sat("24100004", 95, 90, 175), Sat("24100005", 80, 90, 170), Sat("24100006", 80, 90, 170),
            Sat("24100007", 80, 90, 170), Sat("24100008", 65, 80, 166), Sat("24100009", 60, 150, 200),
            Sat("24100010", 65, 75, 225), Sat("24100011", 65, 80, 166),
        };
        var expected = CutOff(2, candidates);

        // When the input comes in other orders
        var random = new Random(2024);
        for (var i = 0; i < 50; i++)
        {
            var shuffled = candidates.ToArray();
            random.Shuffle(shuffled);
            var result = CutOff(2, shuffled);

            // Then the result is identical, entry by entry
            Assert.Equal(expected.Quota, result.Quota);
            Assert.Equal(expected.Admitted, result.Admitted);
            Assert.Equal(expected.Entries, result.Entries);
        }
    }

    [Fact]
    public void The_cut_off_matches_a_brute_force_count_on_seeded_random_formations_R13()
    {
        var random = new Random(20241020);
        var admittedOnTie = 0;
        for (var round = 0; round < 300; round++)
        {
            // Given a formation with scores drawn from narrow ranges, so that ties are frequent
            var allocation = random.Next(0, 4);
            var numbers = Enumerable.Range(1, 40).Select(n => $"2410{n:0000}").ToArray();
            random.Shuffle(numbers);
            var candidates = numbers.Take(random.Next(0, 25))
                .Select(n => Sat(n, 60 + (5 * random.Next(0, 3)), 80 + (5 * random.Next(0, 2)), 166 + random.Next(0, 3)))
                .ToArray();

            // When the cut-off is decided
            var result = CutOff(allocation, candidates);

            // Then it agrees with counting, for every passer, who is strictly better and who is equal but listed first
            Assert.Equal(BruteForce(candidates, 3 * allocation), result.Entries.Select(e => (e.RegistrationNumber, e.Rank, e.Outcome)).ToList());
            Assert.Equal(result.Entries.Count(e => e.Outcome is CutOffOutcome.Admitted or CutOffOutcome.AdmittedOnTie), result.Admitted);
            Assert.True(result.Admitted >= Math.Min(result.Quota, candidates.Count(c => c.ThresholdMet)));
            admittedOnTie += result.Entries.Count(e => e.Outcome == CutOffOutcome.AdmittedOnTie);
        }

        // The draw did exercise ties across the boundary.
        Assert.True(admittedOnTie > 20, $"only {admittedOnTie} admitted on a tie");
    }

    /// <summary>R13 written independently: the sort key is spelled out as total, TKP, TIU, TWK.</summary>
    private static List<(string, int?, CutOffOutcome)> BruteForce(SkdCandidate[] candidates, int quota)
    {
        static (int, int, int, int) Key(SkdCandidate c) => (c.Score.Twk + c.Score.Tiu + c.Score.Tkp, c.Score.Tkp, c.Score.Tiu, c.Score.Twk);
        var passers = candidates.Where(c => c.ThresholdMet).ToArray();
        var ranked = new List<(string Number, int Rank, CutOffOutcome Outcome)>();
        foreach (var p in passers)
        {
            var better = passers.Count(q => Key(q).CompareTo(Key(p)) > 0);
            var equalListedBefore = passers.Count(q => Key(q) == Key(p) && string.CompareOrdinal(q.RegistrationNumber, p.RegistrationNumber) < 0);
            var rank = better + 1;
            var position = better + equalListedBefore + 1;
            var outcome = rank > quota ? CutOffOutcome.OverQuota : position > quota ? CutOffOutcome.AdmittedOnTie : CutOffOutcome.Admitted;
            ranked.Add((p.RegistrationNumber, rank, outcome));
        }

        return ranked
            .OrderBy(r => r.Rank).ThenBy(r => r.Number, StringComparer.Ordinal)
            .Select(r => (r.Number, (int?)r.Rank, r.Outcome))
            .Concat(candidates.Where(c => !c.ThresholdMet).OrderBy(c => c.RegistrationNumber, StringComparer.Ordinal).Select(c => (c.RegistrationNumber, (int?)null, CutOffOutcome.BelowThreshold)))
            .ToList();
    }
}
