using System.Globalization;
using Merit.Recruitment;
using Merit.Recruitment.Ranking;
using Xunit;
using static Merit.Tests.Recruitment.Fixtures;

namespace Merit.Tests.Recruitment.Ranking;

public class FinalRankingTests
{
    private static readonly RuleSet Rules = RuleSetCatalog.Get("CPNS-2024");
    private static readonly DateOnly Born = new(1995, 6, 15);

    /// <summary>An SKB participant; a null SKB score means absent.</summary>
    private static FinalCandidate Sat(string registrationNumber, int twk, int tiu, int tkp, decimal? skb, decimal? gpa = 3.50m, DateOnly? born = null, FinalStatus? preset = null) =>
        new(ApplicationDecisions.IdFor(RoundId, registrationNumber), registrationNumber, new SkdScore(twk, tiu, tkp), skb, gpa, born ?? Born, preset);

    private static FinalResult Rank(int allocation, params FinalCandidate[] candidates) => FinalRanking.Decide(candidates, allocation, Rules);

    /// <summary>The list as announced: registration number, rank (- when unranked), status.</summary>
    private static void ThenList(FinalResult result, params string[] expected) =>
        Assert.Equal(expected, result.Entries.Select(e => $"{e.RegistrationNumber} {e.Rank?.ToString(CultureInfo.InvariantCulture) ?? "-"} {e.Status}"));

    private static string ReasonOf(FinalResult result, string registrationNumber) =>
        result.Entries.Single(e => e.RegistrationNumber == registrationNumber).Reason;

    [Fact]
    public void The_top_of_the_allocation_by_final_score_pass_and_the_rest_are_TL_R16()
    {
        // Given two places and four participants with distinct finals
        var result = Rank(
            2,
            Sat("24100004", 70, 80, 200, 60m), // 61.455
            Sat("24100002", 90, 110, 200, 82.5m), // 78.591
            Sat("24100001", 100, 110, 210, 85m), // 81.545
            Sat("24100003", 80, 90, 190, 70m)); // 68.182

        // Then the best two pass
        Assert.Equal((2, 2, false), (result.Allocation, result.Passed, result.UnresolvedTieAtBoundary));
        ThenList(result, "24100001 1 PL", "24100002 2 PL", "24100003 3 TL", "24100004 4 TL");
        Assert.Equal("passed: rank 1 of allocation 2, final 81.545", ReasonOf(result, "24100001"));
        Assert.Equal("not passed: rank 3 beyond allocation 2, final 68.182", ReasonOf(result, "24100003"));
        var first = result.Entries[0];
        Assert.Equal((420, 85m, 81.545m), (first.SkdTotal, first.SkbScore, first.FinalScore));
    }

    [Fact]
    public void The_exact_final_decides_even_when_the_displayed_finals_are_equal_R14()
    {
        // Given 76.21818… (higher SKD) and 76.21836… (higher SKB): both display 76.218
        var result = Rank(1, Sat("24100001", 100, 100, 188, 80m), Sat("24100002", 100, 100, 180, 80.97m));

        // Then the exactly higher final passes; no tie-break was involved
        ThenList(result, "24100002 1 PL", "24100001 2 TL");
        Assert.All(result.Entries, e => Assert.Equal(76.218m, e.FinalScore));
        Assert.Equal("passed: rank 1 of allocation 1, final 76.218", ReasonOf(result, "24100002"));
        Assert.Equal("not passed: rank 2 beyond allocation 1, final 76.218", ReasonOf(result, "24100001"));
    }

    [Fact]
    public void An_equal_final_is_broken_first_by_the_SKD_total_R15()
    {
        // Given exactly equal finals of 75.6363…: 413 with SKB 76, and 380 with SKB 80
        var result = Rank(1, Sat("24100002", 100, 113, 200, 76m), Sat("24100001", 100, 100, 180, 80m));

        // Then the higher SKD total ranks first
        ThenList(result, "24100002 1 PL", "24100001 2 TL");
        Assert.Equal("passed: rank 1 of allocation 1, final 75.636 (tie on final broken by SKD total 413 > 380 with 24100001)", ReasonOf(result, "24100002"));
        Assert.Equal("not passed: rank 2 beyond allocation 1, final 75.636 (tie on final broken by SKD total 380 < 413 with 24100002)", ReasonOf(result, "24100001"));
    }

    [Fact]
    public void An_equal_final_and_SKD_total_is_broken_by_TKP_R15()
    {
        // Given a clear first place, then two finals of exactly 80.100 with total 330 (the reason the brief quotes)
        var result = Rank(2, Sat("24100007", 75, 90, 165, 93.5m), Sat("24100001", 100, 120, 190, 90m), Sat("24100003", 70, 90, 170, 93.5m));

        // Then TKP 170 takes the second place
        ThenList(result, "24100001 1 PL", "24100003 2 PL", "24100007 3 TL");
        Assert.Equal("passed: rank 1 of allocation 2, final 83.818", ReasonOf(result, "24100001"));
        Assert.Equal("passed: rank 2 of allocation 2, final 80.100 (tie on final broken by TKP 170 > 165 with 24100007)", ReasonOf(result, "24100003"));
        Assert.Equal("not passed: rank 3 beyond allocation 2, final 80.100 (tie on final broken by TKP 165 < 170 with 24100003)", ReasonOf(result, "24100007"));
    }

    [Fact]
    public void An_equal_final_total_and_TKP_is_broken_by_TIU_and_TWK_is_then_equal_too_R15()
    {
        // Equal total, TKP and TIU leave TWK equal, so TWK never decides alone while the total comes first.
        var result = Rank(1, Sat("24100001", 70, 90, 170, 80m), Sat("24100002", 65, 95, 170, 80m));

        ThenList(result, "24100002 1 PL", "24100001 2 TL");
        Assert.Equal("passed: rank 1 of allocation 1, final 72.000 (tie on final broken by TIU 95 > 90 with 24100001)", ReasonOf(result, "24100002"));
    }

    [Fact]
    public void Equal_scores_are_broken_by_the_GPA_and_none_ranks_lowest_R15()
    {
        var result = Rank(
            2,
            Sat("24100001", 80, 90, 180, 80m, gpa: 3.75m),
            Sat("24100002", 80, 90, 180, 80m, gpa: 3.80m),
            Sat("24100003", 80, 90, 180, 80m, gpa: null),
            Sat("24100004", 80, 90, 180, 80m, gpa: 2.00m));

        ThenList(result, "24100002 1 PL", "24100001 2 PL", "24100004 3 TL", "24100003 4 TL");
        Assert.Equal(
            "passed: rank 2 of allocation 2, final 73.455 (tie on final broken by GPA 3.75 < 3.80 with 24100002; tie on final broken by GPA 3.75 > 2.00 with 24100004)",
            ReasonOf(result, "24100001"));
        Assert.Equal("not passed: rank 4 beyond allocation 2, final 73.455 (tie on final broken by GPA none < 2.00 with 24100004)", ReasonOf(result, "24100003"));
    }

    [Fact]
    public void Equal_scores_and_GPA_put_the_older_applicant_first_without_showing_the_birth_date_R15()
    {
        var result = Rank(1, Sat("24100001", 80, 90, 180, 80m, born: new DateOnly(1996, 2, 1)), Sat("24100002", 80, 90, 180, 80m, born: new DateOnly(1994, 5, 1)));

        ThenList(result, "24100002 1 PL", "24100001 2 TL");
        Assert.Equal("passed: rank 1 of allocation 1, final 73.455 (tie on final broken by older applicant with 24100001)", ReasonOf(result, "24100002"));
        Assert.Equal("not passed: rank 2 beyond allocation 1, final 73.455 (tie on final broken by younger applicant with 24100002)", ReasonOf(result, "24100001"));
        Assert.All(result.Entries, e => Assert.DoesNotContain("199", e.Reason, StringComparison.Ordinal));
    }

    [Fact]
    public void An_erased_birth_date_ranks_after_a_known_one_in_the_last_tie_break_and_says_so_R15()
    {
        var erased = Sat("24100001", 80, 90, 180, 80m) with { BirthDate = null };
        var result = Rank(1, erased, Sat("24100002", 80, 90, 180, 80m, born: new DateOnly(2000, 1, 1)));

        ThenList(result, "24100002 1 PL", "24100001 2 TL");
        Assert.Equal("not passed: rank 2 beyond allocation 1, final 73.455 (tie on final broken by birth date erased, after a known one with 24100002)", ReasonOf(result, "24100001"));
        Assert.Equal("passed: rank 1 of allocation 1, final 73.455 (tie on final broken by known birth date, before an erased one with 24100001)", ReasonOf(result, "24100002"));
    }

    [Fact]
    public void Two_erased_birth_dates_stay_tied_and_a_tie_across_the_last_place_is_referred_R15_R16()
    {
        var result = Rank(1, Sat("24100001", 80, 90, 180, 80m) with { BirthDate = null }, Sat("24100002", 80, 90, 180, 80m) with { BirthDate = null });

        Assert.True(result.UnresolvedTieAtBoundary);
        Assert.Equal(0, result.Passed);
    }

    [Fact]
    public void Applicants_equal_on_every_criterion_share_a_rank_and_pass_together_when_they_fit_R15()
    {
        // Given three places: one clear first, two fully tied, one behind
        var result = Rank(
            3,
            Sat("24100004", 70, 80, 170, 70m),
            Sat("24100003", 80, 90, 180, 80m),
            Sat("24100002", 80, 90, 180, 80m),
            Sat("24100001", 100, 100, 200, 90m));

        // Then ranks are 1, 2, 2, 4 and both tied applicants pass
        Assert.Equal((3, false), (result.Passed, result.UnresolvedTieAtBoundary));
        ThenList(result, "24100001 1 PL", "24100002 2 PL", "24100003 2 PL", "24100004 4 TL");
        Assert.Equal("passed: rank 2 of allocation 3, final 73.455 (tied on every criterion with 24100003)", ReasonOf(result, "24100002"));
    }

    [Fact]
    public void A_full_tie_across_the_last_place_passes_no_one_of_the_group_and_is_referred_to_Panselnas_R16()
    {
        // Given two places: one clear first, then two applicants equal on every criterion, then one behind
        var result = Rank(
            2,
            Sat("24100001", 100, 100, 200, 90m),
            Sat("24100003", 80, 90, 180, 80m),
            Sat("24100002", 80, 90, 180, 80m),
            Sat("24100004", 70, 80, 170, 70m));

        // Then neither tied applicant passes automatically; the place stays open for Panselnas
        Assert.Equal((1, true), (result.Passed, result.UnresolvedTieAtBoundary));
        ThenList(result, "24100001 1 PL", "24100002 2 TL", "24100003 2 TL", "24100004 4 TL");
        Assert.Equal(
            "tied on every criterion across the last place; referred to Panselnas (rank 2 of allocation 2, final 73.455; tied on every criterion with 24100003)",
            ReasonOf(result, "24100002"));
        Assert.StartsWith("tied on every criterion across the last place; referred to Panselnas", ReasonOf(result, "24100003"), StringComparison.Ordinal);
        Assert.Equal("not passed: rank 4 beyond allocation 2, final 65.273", ReasonOf(result, "24100004"));
    }

    [Fact]
    public void Absent_disqualified_and_withdrawn_applicants_are_not_ranked_and_take_no_place_R16()
    {
        // Given two places, the two best SKD results among applicants who did not complete the SKB
        var result = Rank(
            2,
            Sat("24100001", 150, 175, 225, null),
            Sat("24100002", 150, 175, 220, 100m, preset: FinalStatus.DIS),
            Sat("24100003", 150, 175, 215, 95m, preset: FinalStatus.APS),
            Sat("24100006", 80, 90, 180, 80m),
            Sat("24100004", 150, 175, 210, null, preset: FinalStatus.TH),
            Sat("24100005", 70, 80, 170, 70m));

        // Then the two who completed the SKB pass, the others follow by registration number
        Assert.Equal(2, result.Passed);
        ThenList(result, "24100006 1 PL", "24100005 2 PL", "24100001 - TH", "24100002 - DIS", "24100003 - APS", "24100004 - TH");
        Assert.Equal("absent from SKB (TH)", ReasonOf(result, "24100001"));
        Assert.Equal("disqualified (DIS)", ReasonOf(result, "24100002"));
        Assert.Equal("withdrew (APS)", ReasonOf(result, "24100003"));
        var disqualified = result.Entries.Single(e => e.Status == FinalStatus.DIS);
        Assert.Equal((545, 100m, (decimal?)null), (disqualified.SkdTotal, disqualified.SkbScore, disqualified.FinalScore));
    }

    [Fact]
    public void An_allocation_larger_than_the_participants_passes_every_ranked_one_R16()
    {
        var result = Rank(5, Sat("24100001", 100, 100, 200, 90m), Sat("24100002", 80, 90, 180, 80m), Sat("24100003", 80, 90, 180, 80m), Sat("24100004", 80, 90, 180, null));

        Assert.Equal((3, false), (result.Passed, result.UnresolvedTieAtBoundary));
        ThenList(result, "24100001 1 PL", "24100002 2 PL", "24100003 2 PL", "24100004 - TH");
        Assert.Empty(Rank(5).Entries);
    }

    [Fact]
    public void No_places_pass_no_one_and_leave_no_tie_unresolved_R16()
    {
        var result = Rank(0, Sat("24100001", 80, 90, 180, 80m), Sat("24100002", 80, 90, 180, 80m));

        Assert.Equal((0, false), (result.Passed, result.UnresolvedTieAtBoundary));
        ThenList(result, "24100001 1 TL", "24100002 1 TL");
    }

    [Fact]
    public void Inconsistent_input_is_a_caller_error()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Rank(-1, Sat("24100001", 80, 90, 180, 80m)));
        Assert.Throws<ArgumentException>(() => Rank(1, Sat("24100001", 80, 90, 180, 80m, preset: FinalStatus.PL)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Rank(1, Sat("24100001", 80, 90, 180, 100.01m)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Rank(1, Sat("24100001", 80, 90, 180, -1m)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Rank(1, Sat("24100001", 80, 90, 180, 80.125m)));
        Assert.Throws<ArgumentException>(() => Rank(1, Sat("24100001", 80, 90, 180, 80m), Sat("24100001", 70, 90, 180, 80m)));
        ThenList(Rank(1, Sat("24100001", 80, 90, 180, 80.100m)), "24100001 1 PL");
    }

    [Fact]
    public void The_same_participants_in_any_order_give_the_identical_list_R16()
    {
        // Given ties at every level, a full tie across the last place and every unranked status
        var candidates = new[]
        {
            Sat("24100001", 100, 113, 200, 76m), Sat("24100002", 100, 100, 180, 80m), Sat("24100003", 70, 90, 170, 93.5m),
            Sat("24100004", 75, 90, 165, 93.5m), Sat("24100005", 80, 90, 180, 80m, gpa: 3.9m), Sat("24100006", 80, 90, 180, 80m, gpa: null),
            Sat("24100007", 80, 90, 180, 80m, born: new DateOnly(1990, 1, 1)), Sat("24100008", 80, 90, 180, 80m), Sat("24100009", 80, 90, 180, 80m),
            Sat("24100010", 80, 90, 180, null), Sat("24100011", 80, 90, 180, 80m, preset: FinalStatus.APS), Sat("24100012", 80, 90, 180, 80m, preset: FinalStatus.DIS),
        };
        var expected = Rank(7, candidates);
        Assert.True(expected.UnresolvedTieAtBoundary);

        var random = new Random(2024);
        for (var i = 0; i < 50; i++)
        {
            var shuffled = candidates.ToArray();
            random.Shuffle(shuffled);
            var result = Rank(7, shuffled);

            Assert.Equal((expected.Allocation, expected.Passed, expected.UnresolvedTieAtBoundary), (result.Allocation, result.Passed, result.UnresolvedTieAtBoundary));
            Assert.Equal(expected.Entries, result.Entries);
        }
    }

    [Fact]
    public void The_ranking_matches_a_brute_force_count_on_seeded_random_formations_R14_R15_R16()
    {
        // The brute force uses integer arithmetic for CPNS-2024: final × 5,500,000 = 400,000 × SKD + 33,000 × SKB × 100.
        Assert.Equal((0.40m, 0.60m, 550), (Rules.FinalWeights.Skd, Rules.FinalWeights.Skb, Rules.Skd.Maximum));
        var random = new Random(20250101);
        var unresolvedSeen = 0;
        for (var round = 0; round < 300; round++)
        {
            // Given participants drawn so that exact ties of the final (380 + 80 against 413 + 76) and of every
            // tie-break level are frequent
            var allocation = random.Next(0, 5);
            var numbers = Enumerable.Range(1, 40).Select(n => $"2410{n:0000}").ToArray();
            random.Shuffle(numbers);
            var candidates = numbers.Take(random.Next(0, 16)).Select(n =>
            {
                var (twk, tiu, tkp, skb) = random.Next(0, 4) switch
                {
                    0 => (100, 100, 180, 80m),
                    1 => (100, 113, 200, 76m),
                    2 => (95, 105, 180, 80m),
                    _ => (100, 100, 180 + random.Next(0, 2), 80m + (random.Next(0, 2) * 0.01m)),
                };
                decimal?[] gpas = [null, 3.50m, 3.80m];
                FinalStatus?[] presets = [null, null, null, null, null, null, null, FinalStatus.TH, FinalStatus.DIS, FinalStatus.APS];
                var preset = presets[random.Next(presets.Length)];
                return Sat(n, twk, tiu, tkp, preset == FinalStatus.TH ? null : skb, gpas[random.Next(3)], new DateOnly(1995, 1, 1).AddDays(random.Next(0, 2)), preset);
            }).ToArray();

            // When the final ranking is decided
            var result = Rank(allocation, candidates);

            // Then it agrees with counting, for every ranked participant, who is strictly better and who is equal
            var (expected, unresolved) = BruteForce(candidates, allocation);
            Assert.Equal(expected, result.Entries.Select(e => (e.RegistrationNumber, e.Rank, e.Status, e.FinalScore)).ToList());
            Assert.Equal(unresolved, result.UnresolvedTieAtBoundary);
            Assert.Equal(result.Entries.Count(e => e.Status == FinalStatus.PL), result.Passed);
            Assert.True(result.Passed <= allocation);
            unresolvedSeen += unresolved ? 1 : 0;
        }

        Assert.True(unresolvedSeen > 10, $"only {unresolvedSeen} unresolved ties");
    }

    /// <summary>R14–R16 written independently, with an integer key and exact integer rounding of the display.</summary>
    private static (List<(string, int?, FinalStatus, decimal?)> Entries, bool Unresolved) BruteForce(FinalCandidate[] candidates, int allocation)
    {
        static long Scaled(FinalCandidate c) => (400_000L * c.Skd.Total) + (33_000L * (long)(c.SkbScore!.Value * 100m));
        static (long, int, int, int, int, decimal, int) Key(FinalCandidate c) =>
            (Scaled(c), c.Skd.Total, c.Skd.Tkp, c.Skd.Tiu, c.Skd.Twk, c.Gpa ?? -1m, -(c.BirthDate ?? DateOnly.MaxValue).DayNumber);

        var ranked = candidates.Where(c => c.PresetStatus is null && c.SkbScore is not null).ToArray();
        var unresolved = false;
        var rows = new List<(string Number, int Rank, FinalStatus Status, decimal Final)>();
        foreach (var p in ranked)
        {
            var rank = ranked.Count(q => Key(q).CompareTo(Key(p)) > 0) + 1;
            var last = rank + ranked.Count(q => Key(q) == Key(p)) - 1;
            unresolved |= rank <= allocation && last > allocation;
            var display = ((Scaled(p) * 1000) + 2_750_000) / 5_500_000 / 1000m;
            rows.Add((p.RegistrationNumber, rank, last <= allocation ? FinalStatus.PL : FinalStatus.TL, display));
        }

        var entries = rows
            .OrderBy(r => r.Rank).ThenBy(r => r.Number, StringComparer.Ordinal)
            .Select(r => (r.Number, (int?)r.Rank, r.Status, (decimal?)r.Final))
            .Concat(candidates.Where(c => !ranked.Contains(c)).OrderBy(c => c.RegistrationNumber, StringComparer.Ordinal)
                .Select(c => (c.RegistrationNumber, (int?)null, c.PresetStatus ?? FinalStatus.TH, (decimal?)null)))
            .ToList();
        return (entries, unresolved);
    }
}
