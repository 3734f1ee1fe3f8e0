using System.Text.Json;
using System.Text.Json.Serialization;
using Merit.Analytics.WhatIf;
using Merit.Recruitment;
using Xunit;

namespace Merit.Tests.Analytics;

/// <summary>A recorded round decided again under a variant rule set (docs/adr/0039).</summary>
public class WhatIfTests
{
    private static readonly JsonSerializerOptions Json = new() { Converters = { new JsonStringEnumConverter() } };

    private static string Own(string version = "CPNS-2024") => RuleSetCatalog.Document(version)!;

    /// <summary>The round's own document with a few members replaced, as an analyst derives a variant.</summary>
    private static RuleSet Variant(string version, Action<System.Text.Json.Nodes.JsonObject> change, string from = "CPNS-2024")
    {
        var document = System.Text.Json.Nodes.JsonNode.Parse(Own(from))!.AsObject();
        document["version"] = version;
        change(document);
        var (variant, refusal) = VariantRuleSet.Read(RuleSetCatalog.Get(from), document.ToJsonString());
        Assert.Null(refusal);
        return variant!.Rules;
    }

    /// <summary>
    /// One umum formation, one place, quota 3. SKD (TWK/TIU/TKP, total): A 100/120/170 (390), B 90/100/165 (355),
    /// C 80/90/162 (332), D 70/85/180 (335), E 60/150/200 (410), F 95/95/161 (351). Under TKP ≥ 166 only A and D meet
    /// the threshold; both go to the SKB, A scores 70, D 90: final A = 0.4 × 390/550 × 100 + 0.6 × 70 = 70.364,
    /// D = 0.4 × 335/550 × 100 + 0.6 × 90 = 78.364, so D passes.
    /// </summary>
    private static RecordedRound HandRound()
    {
        var round = new RecordedRound();
        round.AdvanceTo(RoundStage.Announcement);
        var formation = round.Open("F-1", "INST01", "Analis Kebijakan", "Jakarta", FormationCategory.Umum, 1);
        round.AdvanceTo(RoundStage.Registration);
        var people = new (string Number, Sex Sex, int Twk, int Tiu, int Tkp)[]
        {
            ("A", Sex.F, 100, 120, 170), ("B", Sex.F, 90, 100, 165), ("C", Sex.F, 80, 90, 162),
            ("D", Sex.M, 70, 85, 180), ("E", Sex.M, 60, 150, 200), ("F", Sex.M, 95, 95, 161),
        };
        var applications = people.Select(p => (p, round.Register(formation, p.Number, p.Sex, new DateOnly(1998, 1, 1)))).ToList();
        round.AdvanceTo(RoundStage.AdministrativeSelection);
        applications.ForEach(x => round.Verify(x.Item2, AdministrativeResult.MS));
        round.AdvanceTo(RoundStage.Skd);
        applications.ForEach(x => round.Skd(x.Item2, new SkdScore(x.p.Twk, x.p.Tiu, x.p.Tkp)));
        round.AdvanceTo(RoundStage.Skb);
        round.CutOffs();
        round.Skb(applications[0].Item2, 70m);
        round.Skb(applications[3].Item2, 90m);
        round.AdvanceTo(RoundStage.Integration);
        round.Finals();
        return round;
    }

    [Fact]
    public void A_lower_TKP_threshold_on_a_hand_computed_round_gives_the_counts_worked_out_by_hand()
    {
        var round = HandRound();
        var variant = Variant("CPNS-2024-TKP160", d => d["thresholds"]!["umum"]!["subtestMinimums"]!["TKP"] = 160);

        var (outcome, rows) = round.WhatIf(variant);

        // Under TKP ≥ 160, B (165), C (162) and F (161) meet it too; E still fails TWK. Ranked by total: A 390, B 355,
        // F 351, D 335, C 332: the quota of 3 admits A, B, F. B and F never sat the SKB, so only A is ranked, and passes.
        var actual = outcome.Actual.Total;
        var decided = outcome.Variant.Total;
        Assert.Equal((6L, 6L, 6L, 2L, 2L, 1L, 1L), (actual.Registered, actual.Ms, actual.SkdScored, actual.ThresholdMet, actual.AdmittedToSkb, actual.FinalPass, actual.Selected));
        Assert.Equal((6L, 6L, 6L, 5L, 3L, 1L, 1L), (decided.Registered, decided.Ms, decided.SkdScored, decided.ThresholdMet, decided.AdmittedToSkb, decided.FinalPass, decided.Selected));
        Assert.Equal(2L, decided.AdmittedWithoutSkbResult);
        Assert.Equal(2L, outcome.Remarks.AdmittedWithoutSkbResult);
        Assert.Equal((1L, 1L), (outcome.Changes.NewlySelected, outcome.Changes.NoLongerSelected));
        Assert.Equal(
            [
                "BelowThreshold -> OverQuota: 1",
                "BelowThreshold -> AdmittedWithoutSkbResult: 2",
                "NotPassed -> Passed: 1",
                "Passed -> OverQuota: 1",
            ],
            outcome.Changes.Transitions.Select(t => $"{t.From} -> {t.To}: {t.Applicants}"));

        var row = Assert.Single(rows);
        Assert.Equal((3, 335, 3, 351), (row.Actual.Quota!.Value, row.Actual.CutOffTotal!.Value, row.Variant.Quota!.Value, row.Variant.CutOffTotal!.Value));
        Assert.Equal((0, 0), (row.Actual.Vacant, row.Variant.Vacant));

        // By sex: D (M) was selected; under the variant A (F) is.
        Assert.Equal(["F:0", "M:1"], outcome.Actual.BySex.Select(g => $"{g.Key}:{g.Counts.Selected}"));
        Assert.Equal(["F:1", "M:0"], outcome.Variant.BySex.Select(g => $"{g.Key}:{g.Counts.Selected}"));
        Assert.Equal(["F:1/0", "M:0/1"], outcome.Changes.BySex.Select(c => $"{c.Key}:{c.NewlySelected}/{c.NoLongerSelected}"));
    }

    [Fact]
    public void A_one_times_quota_and_equal_weights_change_the_hand_round_as_computed()
    {
        var round = HandRound();

        // Quota 1 × 1: only A (total 390) goes to the SKB; D (335) is over the quota. A alone is ranked and passes.
        var quota = round.WhatIf(Variant("CPNS-2024-Q1", d => d["skbQuotaMultiplier"] = 1)).Outcome;
        Assert.Equal((1L, 1L), (quota.Variant.Total.AdmittedToSkb, quota.Variant.Total.Selected));
        Assert.Equal(["NotPassed -> Passed: 1", "Passed -> OverQuota: 1"], quota.Changes.Transitions.Select(t => $"{t.From} -> {t.To}: {t.Applicants}"));

        // SKD weight 0.9: A = 0.9 × 70.909 + 0.1 × 70 = 70.818, D = 0.9 × 60.909 + 0.1 × 90 = 63.818: A passes.
        var weights = round.WhatIf(Variant("CPNS-2024-W90", d => d["finalWeights"] = new System.Text.Json.Nodes.JsonObject { ["skd"] = 0.9m, ["skb"] = 0.1m })).Outcome;
        Assert.Equal(["NotPassed -> Passed: 1", "Passed -> NotPassed: 1"], weights.Changes.Transitions.Select(t => $"{t.From} -> {t.To}: {t.Applicants}"));
    }

    [Fact]
    public void The_round_s_own_rule_set_reproduces_what_was_decided_byte_for_byte_in_every_formation()
    {
        var round = GeneratedRound(seed: 7);
        Assert.True(round.WithDecisionsAfterFinal().Count > 0, "the round has optimisation placements or withdrawals");
        var reasons = round.Events.OfType<FinalResultDecided>().SelectMany(d => d.Entries).Select(e => e.Reason).ToList();
        Assert.Contains(reasons, r => r.Contains("older applicant", StringComparison.Ordinal));

        var (outcome, rows) = round.WhatIf(round.Rules);

        Assert.Equal(JsonSerializer.Serialize(outcome.Actual, Json), JsonSerializer.Serialize(outcome.Variant, Json));
        Assert.Empty(outcome.Changes.Transitions);
        Assert.Equal(round.Formations.Count, rows.Count);
        Assert.All(rows, r => Assert.Equal(JsonSerializer.Serialize(r.Actual, Json), JsonSerializer.Serialize(r.Variant, Json)));
        Assert.Equal(new WhatIfRemarks(0, 0, 0, 0), outcome.Remarks);
        Assert.True(outcome.Actual.Total.PlacedByOptimisation > 0 && outcome.Actual.Total.Withdrawn > 0 && outcome.Actual.Total.ReferredToPanselnas >= 0);

        // The same document under another version name is a variant like any other, and still changes nothing.
        var renamed = round.WhatIf(Variant("CPNS-2024-COPY", _ => { })).Outcome;
        Assert.Equal(JsonSerializer.Serialize(outcome, Json), JsonSerializer.Serialize(renamed, Json));
    }

    [Fact]
    public void A_variant_changes_the_generated_round_and_its_counts_add_up()
    {
        var round = GeneratedRound(seed: 7);
        var (outcome, rows) = round.WhatIf(Variant("CPNS-2024-TKP150", d => d["thresholds"]!["umum"]!["subtestMinimums"]!["TKP"] = 150));

        Assert.True(outcome.Variant.Total.ThresholdMet > outcome.Actual.Total.ThresholdMet);
        Assert.NotEmpty(outcome.Changes.Transitions);
        foreach (var summary in new[] { outcome.Actual, outcome.Variant })
        {
            foreach (var dimension in OutcomeSummary.Dimensions)
            {
                Assert.Equal(summary.Total.ByName(), Sum(summary.Dimension(dimension).Select(g => g.Counts)));
            }
        }

        Assert.Equal(outcome.Variant.Total.ByName(), Sum(rows.Select(r => r.Variant.Counts)));
        Assert.Equal(outcome.Changes.NewlySelected - outcome.Changes.NoLongerSelected, outcome.Variant.Total.Selected - outcome.Actual.Total.Selected);
        Assert.True(outcome.Changes.Transitions.Sum(t => t.Applicants) >= outcome.Changes.NewlySelected + outcome.Changes.NoLongerSelected);
    }

    [Fact]
    public void A_variant_must_keep_the_round_s_test_and_categories_and_name_itself()
    {
        var own = RuleSetCatalog.Get("CPNS-2024");
        string With(Action<System.Text.Json.Nodes.JsonObject> change)
        {
            var document = System.Text.Json.Nodes.JsonNode.Parse(Own())!.AsObject();
            change(document);
            return document.ToJsonString();
        }

        Assert.Equal("what-if.version-taken", VariantRuleSet.Read(own, With(d => d["skbQuotaMultiplier"] = 2)).Refusal!.Code);
        Assert.Equal("what-if.version-taken", VariantRuleSet.Read(own, With(d => { d["version"] = "CPNS-2023"; d["skbQuotaMultiplier"] = 2; })).Refusal!.Code);
        Assert.Equal("what-if.other-kind", VariantRuleSet.Read(own, With(d => { d["version"] = "V"; d["kind"] = "Pppk"; })).Refusal!.Code);
        Assert.Equal("what-if.other-test", VariantRuleSet.Read(own, With(d => { d["version"] = "V"; d["skd"]!["subtests"]![0]!["maximum"] = 200; })).Refusal!.Code);
        Assert.Equal("what-if.category-missing", VariantRuleSet.Read(own, With(d => { d["version"] = "V"; d["thresholds"]!.AsObject().Remove("papua"); })).Refusal!.Code);
        Assert.Equal("what-if.rule-set-invalid", VariantRuleSet.Read(own, "{\"version\": \"V\"}").Refusal!.Code);
        Assert.Equal("what-if.rule-set-invalid", VariantRuleSet.Read(own, "not json").Refusal!.Code);

        var (same, refusal) = VariantRuleSet.Read(own, Own());
        Assert.Null(refusal);
        Assert.Equal(64, same!.Sha256.Length);
    }

    private static Dictionary<string, long> Sum(IEnumerable<OutcomeCounts> counts)
    {
        var sum = OutcomeCounts.Names.ToDictionary(n => n, _ => 0L, StringComparer.Ordinal);
        foreach (var c in counts)
        {
            foreach (var (name, value) in c.ByName())
            {
                sum[name] += value;
            }
        }

        return sum;
    }

    /// <summary>
    /// Two positions over twelve formations of mixed categories and allocations; scores drawn so that some formations
    /// stay vacant (optimisation fills them from the position's other formations), planted exact ties (same SKD, SKB
    /// and IPK, so age decides), SKB absentees, and one passer who withdraws.
    /// </summary>
    public static RecordedRound GeneratedRound(int seed)
    {
        var random = new Random(seed);
        var round = new RecordedRound();
        var categories = new[] { FormationCategory.Umum, FormationCategory.Umum, FormationCategory.Umum, FormationCategory.Cumlaude, FormationCategory.Disabilitas, FormationCategory.Kalimantan };
        var formations = Enumerable.Range(0, 12)
            .Select(i => round.Open($"F-{i:00}", $"INST{i % 4}", i % 2 == 0 ? "Analis Kebijakan" : "Pranata Komputer", $"Lokasi {i % 3}", categories[i % categories.Length], 1 + (i % 3)))
            .ToList();
        round.AdvanceTo(RoundStage.Registration);
        var applications = new List<Application>();
        for (var n = 0; n < 240; n++)
        {
            // Formations 10 and 11 draw few applicants: vacancies for optimisation.
            var formation = formations[n < 4 ? 10 + (n % 2) : random.Next(10)];
            applications.Add(round.Register(formation, $"24{n:000000}", random.Next(2) == 0 ? Sex.F : Sex.M, new DateOnly(1994, 1, 1).AddDays(random.Next(3000)), 3.00m + (random.Next(3) / 4m)));
        }

        round.AdvanceTo(RoundStage.AdministrativeSelection);
        applications.ForEach(a => round.Verify(a, random.Next(10) == 0 ? AdministrativeResult.TMS : AdministrativeResult.MS));
        round.AdvanceTo(RoundStage.Skd);
        var last = new Dictionary<Guid, SkdScore>();
        foreach (var a in applications.Where(a => round.Current(a).Administrative == AdministrativeResult.MS))
        {
            if (random.Next(20) == 0)
            {
                round.SkdAbsent(a);
                continue;
            }

            var score = random.Next(8) == 0 && last.TryGetValue(a.FormationId, out var earlier)
                ? earlier
                : new SkdScore(5 * random.Next(10, 31), 5 * random.Next(12, 36), random.Next(140, 226));
            last[a.FormationId] = score;
            round.Skd(a, score);
        }

        round.AdvanceTo(RoundStage.Skb);
        round.CutOffs();
        var skbByScore = new Dictionary<SkdScore, decimal>();
        foreach (var a in applications.Select(round.Current).Where(a => Outcomes.IsAdmitted(a.CutOff)))
        {
            if (random.Next(15) == 0)
            {
                round.Skb(a, null);
                continue;
            }

            // Equal SKD scores get equal SKB scores: full ties up to the IPK and age.
            if (!skbByScore.TryGetValue(a.Skd!, out var skb))
            {
                skbByScore[a.Skd!] = skb = (4000 + random.Next(6001)) / 100m;
            }

            round.Skb(a, skb);
        }

        round.AdvanceTo(RoundStage.Integration);
        round.Finals();
        round.AdvanceTo(RoundStage.Optimisation);
        var passer = applications.Select(round.Current).First(a => a.IsPasser);
        round.Withdraw(passer);
        Assert.True(round.Optimise() > 0);
        return round;
    }
}
