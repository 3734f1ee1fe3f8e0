using Merit.Career;
using Merit.Deciding;
using Xunit;
using static Merit.Tests.Career.CareerFixtures;
using static Merit.Tests.Scenario;

namespace Merit.Tests.Career;

/// <summary>Propose, approve, reject, take effect: each decision names its regime; refusals append nothing.</summary>
public class PromotionDecisionTests
{
    private static readonly Guid FirstProposal = PromotionDecisions.ProposalIdFor(ServantId, 1);

    private static PromotionProposed Proposed(WorkforceRecordImported imported, DateOnly tmt) =>
        (PromotionProposed)PromotionDecisions.Propose(Record(imported), new ProposePromotion(ServantId, tmt, At(2025, 9, 1))).Events.Single();

    [Fact]
    public void The_worked_example_runs_II_a_to_II_b_on_1_Apr_2020_and_II_c_on_1_Apr_2024_under_KP_2002()
    {
        var imported = Imported("II/a", D(2016, 3, 1));
        var proposed = Given<CareerRecord>(CareerRecord.Evolve, imported)
            .When(r => PromotionDecisions.Propose(r, new ProposePromotion(ServantId, D(2020, 4, 1), At(2020, 2, 10))))
            .ThenSingle<PromotionProposed>();
        Assert.Equal((Rank.Parse("II/a"), Rank.Parse("II/b"), "KP-2002", PromotionRoute.Regular), (proposed.From, proposed.To, proposed.RuleSetVersion, proposed.Route));
        Assert.All(proposed.Checks, c => Assert.True(c.Met));

        var approved = new PromotionApproved(ServantId, proposed.ProposalId, Instansi, proposed.To, proposed.Tmt, "SK-KP-2020/001", "KP-2002", At(2020, 3, 1));
        Given<CareerRecord>(CareerRecord.Evolve, imported, proposed)
            .When(r => PromotionDecisions.Approve(r, new ApprovePromotion(ServantId, proposed.ProposalId, "SK-KP-2020/001", At(2020, 3, 1))))
            .Then(approved);

        var tookEffect = Given<CareerRecord>(CareerRecord.Evolve, imported, proposed, approved)
            .When(r => PromotionDecisions.Apply(r, new ApplyPromotion(ServantId, proposed.ProposalId, At(2020, 4, 1))))
            .ThenSingle<PromotionTookEffect>();
        var atIIb = Record(imported, proposed, approved, tookEffect);
        Assert.Equal((Rank.Parse("II/b"), D(2020, 4, 1)), (atIIb.Rank, atIIb.RankSince));
        Assert.Null(atIIb.Proposal);

        Assert.Equal(D(2024, 4, 1), PromotionEligibility.EarliestTmt(atIIb));
        var second = Given<CareerRecord>(CareerRecord.Evolve, imported, proposed, approved, tookEffect)
            .When(r => PromotionDecisions.Propose(r, new ProposePromotion(ServantId, D(2024, 4, 1), At(2024, 2, 1))))
            .ThenSingle<PromotionProposed>();
        Assert.Equal(("II/c", "KP-2002"), (second.To.Code, second.RuleSetVersion));
        Assert.NotEqual(proposed.ProposalId, second.ProposalId);

        Given<CareerRecord>(CareerRecord.Evolve, imported, proposed, approved, tookEffect)
            .When(r => PromotionDecisions.Propose(r, new ProposePromotion(ServantId, D(2024, 3, 1), At(2024, 2, 1))))
            .ThenRefusedAs("promotion.tmt-not-allowed", RefusalKind.Rule);
    }

    [Fact]
    public void A_proposal_for_a_monthly_TMT_after_1_Oct_2025_names_the_new_regime()
    {
        var proposed = Proposed(Imported("III/a", D(2021, 11, 1), Education.S1), D(2025, 11, 1));
        Assert.Equal(("KP-2025-10", "III/b"), (proposed.RuleSetVersion, proposed.To.Code));
    }

    [Fact]
    public void An_ineligible_proposal_is_refused_naming_every_unmet_condition()
    {
        var refusal = Given<CareerRecord>(CareerRecord.Evolve, Imported("II/b", D(2023, 4, 1), predicates: GoodPredicates((2024, Predicate.Kurang))))
            .When(r => PromotionDecisions.Propose(r, new ProposePromotion(ServantId, D(2025, 10, 1), At(2025, 9, 1))))
            .ThenRefusedAs("promotion.not-eligible", RefusalKind.Rule);
        Assert.Contains("years-in-rank (R28)", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("predicates (R28)", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("KP-2025-10", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_second_proposal_waits_for_the_first_to_be_decided()
    {
        var imported = Imported("II/b", D(2020, 4, 1));
        var proposed = Proposed(imported, D(2025, 10, 1));
        Given<CareerRecord>(CareerRecord.Evolve, imported, proposed)
            .When(r => PromotionDecisions.Propose(r, new ProposePromotion(ServantId, D(2025, 11, 1), At(2025, 9, 2))))
            .ThenRefusedAs("promotion.already-proposed", RefusalKind.Conflict);

        var rejected = new PromotionRejected(ServantId, proposed.ProposalId, Instansi, "SK jabatan belum dilampirkan", proposed.RuleSetVersion, At(2025, 9, 3));
        Given<CareerRecord>(CareerRecord.Evolve, imported, proposed)
            .When(r => PromotionDecisions.Reject(r, new RejectPromotion(ServantId, proposed.ProposalId, "SK jabatan belum dilampirkan", At(2025, 9, 3))))
            .Then(rejected);

        var again = Given<CareerRecord>(CareerRecord.Evolve, imported, proposed, rejected)
            .When(r => PromotionDecisions.Propose(r, new ProposePromotion(ServantId, D(2025, 11, 1), At(2025, 9, 4))))
            .ThenSingle<PromotionProposed>();
        Assert.Equal(PromotionDecisions.ProposalIdFor(ServantId, 2), again.ProposalId);
    }

    [Fact]
    public void Approval_checks_again_and_refuses_when_a_sentence_came_since_R31()
    {
        var imported = Imported("II/b", D(2020, 4, 1));
        var proposed = Proposed(imported, D(2025, 10, 1));
        var sentence = new DisciplinarySentenceImposed(ServantId, "KEP-9/2025", DisciplineLevel.Medium, D(2025, 9, 15), D(2026, 9, 14), At(2025, 9, 15));
        var refusal = Given<CareerRecord>(CareerRecord.Evolve, imported, proposed, sentence)
            .When(r => PromotionDecisions.Approve(r, new ApprovePromotion(ServantId, proposed.ProposalId, "SK-1", At(2025, 9, 20))))
            .ThenRefusedAs("promotion.no-longer-eligible", RefusalKind.Rule);
        Assert.Contains("discipline (R31)", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_blocked_civil_servant_gets_no_service_command_until_unblocked_R46()
    {
        var imported = Imported("II/b", D(2020, 4, 1));
        var blocked = new ServiceBlocked(ServantId, "BKN-BLK-1", "NSPK violation", D(2025, 9, 1), At(2025, 9, 1));
        Given<CareerRecord>(CareerRecord.Evolve, imported, blocked)
            .When(r => PromotionDecisions.Propose(r, new ProposePromotion(ServantId, D(2025, 10, 1), At(2025, 9, 2))))
            .ThenRefusedAs("career.blocked", RefusalKind.Rule);

        var proposed = Proposed(imported, D(2025, 10, 1));
        var approved = new PromotionApproved(ServantId, proposed.ProposalId, Instansi, proposed.To, proposed.Tmt, "SK-1", proposed.RuleSetVersion, At(2025, 9, 5));
        Given<CareerRecord>(CareerRecord.Evolve, imported, proposed, approved, blocked)
            .When(r => PromotionDecisions.Apply(r, new ApplyPromotion(ServantId, proposed.ProposalId, At(2025, 10, 1))))
            .ThenRefusedAs("career.blocked", RefusalKind.Rule);

        var unblocked = new ServiceUnblocked(ServantId, "BKN-BLK-1", D(2025, 10, 2), At(2025, 10, 2));
        Given<CareerRecord>(CareerRecord.Evolve, imported, proposed, approved, blocked, unblocked)
            .When(r => PromotionDecisions.Apply(r, new ApplyPromotion(ServantId, proposed.ProposalId, At(2025, 10, 2))))
            .ThenSingle<PromotionTookEffect>();
    }

    [Fact]
    public void A_promotion_takes_effect_only_when_approved_and_on_or_after_its_TMT()
    {
        var imported = Imported("II/b", D(2020, 4, 1));
        var proposed = Proposed(imported, D(2025, 10, 1));
        Given<CareerRecord>(CareerRecord.Evolve, imported, proposed)
            .When(r => PromotionDecisions.Apply(r, new ApplyPromotion(ServantId, proposed.ProposalId, At(2025, 10, 1))))
            .ThenRefusedAs("promotion.not-approved", RefusalKind.Conflict);

        var approved = new PromotionApproved(ServantId, proposed.ProposalId, Instansi, proposed.To, proposed.Tmt, "SK-1", proposed.RuleSetVersion, At(2025, 9, 5));
        Given<CareerRecord>(CareerRecord.Evolve, imported, proposed, approved)
            .When(r => PromotionDecisions.Apply(r, new ApplyPromotion(ServantId, proposed.ProposalId, At(2025, 9, 30))))
            .ThenRefusedAs("promotion.before-tmt", RefusalKind.Rule);
        Given<CareerRecord>(CareerRecord.Evolve, imported, proposed, approved)
            .When(r => PromotionDecisions.Reject(r, new RejectPromotion(ServantId, proposed.ProposalId, "late", At(2025, 9, 30))))
            .ThenRefusedAs("promotion.already-approved", RefusalKind.Conflict);
        Given<CareerRecord>(CareerRecord.Evolve, imported, proposed, approved)
            .When(r => PromotionDecisions.Apply(r, new ApplyPromotion(ServantId, Guid.NewGuid(), At(2025, 10, 1))))
            .ThenRefusedAs("promotion.no-proposal", RefusalKind.NotFound);
    }

    [Fact]
    public void A_JF_promotion_resets_the_credit_points_counted_towards_the_next_R29()
    {
        var imported = Imported("III/a", D(2023, 4, 1), Education.S1, PositionKind.Fungsional, FunctionalLevel.AhliPertama, creditPoints: 60m);
        var proposed = Proposed(imported, D(2025, 10, 1));
        Assert.Equal(PromotionRoute.Functional, proposed.Route);
        var approved = new PromotionApproved(ServantId, proposed.ProposalId, Instansi, proposed.To, proposed.Tmt, "SK-1", proposed.RuleSetVersion, At(2025, 9, 5));
        var took = (PromotionTookEffect)PromotionDecisions.Apply(Record(imported, proposed, approved), new ApplyPromotion(ServantId, proposed.ProposalId, At(2025, 10, 1))).Events.Single();
        Assert.Null(Record(imported, proposed, approved, took).CreditPoints);
    }
}
