using Merit.Deciding;

namespace Merit.Career;

/// <summary>Every promotion event names the civil servant's instansi, so per-instansi read models group without a lookup.</summary>
public interface IPromotionEvent : ICareerEvent
{
    string InstansiCode { get; }

    Guid ProposalId { get; }
}

/// <summary>Usul kenaikan pangkat: proposed for a TMT under a regime, with every condition checked and met.</summary>
public sealed record PromotionProposed(
    Guid ServantId,
    Guid ProposalId,
    string InstansiCode,
    PromotionRoute Route,
    Rank From,
    Rank To,
    DateOnly Tmt,
    IReadOnlyList<PromotionCheck> Checks,
    string RuleSetVersion,
    DateTimeOffset At) : IPromotionEvent;

/// <summary>Persetujuan teknis: the proposal approved, with the decree (SK) number.</summary>
public sealed record PromotionApproved(Guid ServantId, Guid ProposalId, string InstansiCode, Rank To, DateOnly Tmt, string DecreeNumber, string RuleSetVersion, DateTimeOffset At) : IPromotionEvent;

/// <summary>The proposal rejected, with the reason.</summary>
public sealed record PromotionRejected(Guid ServantId, Guid ProposalId, string InstansiCode, string Reason, string RuleSetVersion, DateTimeOffset At) : IPromotionEvent;

/// <summary>The new rank in force from its TMT.</summary>
public sealed record PromotionTookEffect(Guid ServantId, Guid ProposalId, string InstansiCode, PromotionRoute Route, Rank From, Rank To, DateOnly Tmt, string RuleSetVersion, DateTimeOffset At) : IPromotionEvent;

public sealed record ProposePromotion(Guid ServantId, DateOnly Tmt, DateTimeOffset Now);

public sealed record ApprovePromotion(Guid ServantId, Guid ProposalId, string DecreeNumber, DateTimeOffset Now);

public sealed record RejectPromotion(Guid ServantId, Guid ProposalId, string Reason, DateTimeOffset Now);

public sealed record ApplyPromotion(Guid ServantId, Guid ProposalId, DateTimeOffset Now);

/// <summary>Propose, approve or reject a promotion, and let it take effect on its TMT; each decision names the regime it applied.</summary>
public static class PromotionDecisions
{
    public static Guid ProposalIdFor(Guid servantId, int number) => StableId.For("promotion", servantId.ToString(), number.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public static Decision Propose(CareerRecord? record, ProposePromotion command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (CareerDecisions.Service(record, command.ServantId) is { } refusal)
        {
            return refusal;
        }

        if (record!.Proposal is { } open)
        {
            return new Refusal(RefusalKind.Conflict, "promotion.already-proposed", $"A promotion to {open.To} with TMT {PromotionEligibility.Iso(open.Tmt)} is already proposed; approve or reject it first.");
        }

        var lookup = PromotionEligibility.RegimeFor(command.Tmt);
        if (lookup.Refusal is { } wrongDate)
        {
            return wrongDate;
        }

        var assessment = PromotionEligibility.Assess(record, command.Tmt, lookup.Rules!);
        if (!assessment.Eligible)
        {
            return NotEligible("promotion.not-eligible", assessment);
        }

        return Decision.Accept(new PromotionProposed(
            record.Id,
            ProposalIdFor(record.Id, record.ProposalCount + 1),
            record.InstansiCode,
            assessment.Route,
            assessment.From,
            assessment.To!.Value,
            command.Tmt,
            assessment.Checks,
            assessment.RuleSetVersion,
            command.Now));
    }

    /// <summary>Approval checks again, under the proposal's regime, that every condition still holds (a sentence or block may have come since).</summary>
    public static Decision Approve(CareerRecord? record, ApprovePromotion command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (Open(record, command.ServantId, command.ProposalId) is { } refusal)
        {
            return refusal;
        }

        var proposal = record!.Proposal!;
        if (proposal.Approved)
        {
            return new Refusal(RefusalKind.Conflict, "promotion.already-approved", "This proposal is already approved.");
        }

        var assessment = PromotionEligibility.Assess(record, proposal.Tmt, CareerRuleSets.Promotion.Get(proposal.RuleSetVersion));
        if (!assessment.Eligible)
        {
            return NotEligible("promotion.no-longer-eligible", assessment);
        }

        return Decision.Accept(new PromotionApproved(record.Id, proposal.ProposalId, record.InstansiCode, proposal.To, proposal.Tmt, command.DecreeNumber, proposal.RuleSetVersion, command.Now));
    }

    public static Decision Reject(CareerRecord? record, RejectPromotion command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (record is null)
        {
            return CareerDecisions.Missing(command.ServantId);
        }

        if (record.Proposal is not { } proposal || proposal.ProposalId != command.ProposalId)
        {
            return new Refusal(RefusalKind.NotFound, "promotion.no-proposal", $"No open promotion proposal {command.ProposalId}.", "proposalId");
        }

        if (proposal.Approved)
        {
            return new Refusal(RefusalKind.Conflict, "promotion.already-approved", "This proposal is already approved; it can no longer be rejected.");
        }

        return Decision.Accept(new PromotionRejected(record.Id, proposal.ProposalId, record.InstansiCode, command.Reason, proposal.RuleSetVersion, command.Now));
    }

    /// <summary>The approved promotion takes effect on or after its TMT; the rank and its TMT change.</summary>
    public static Decision Apply(CareerRecord? record, ApplyPromotion command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (Open(record, command.ServantId, command.ProposalId) is { } refusal)
        {
            return refusal;
        }

        var proposal = record!.Proposal!;
        if (!proposal.Approved)
        {
            return new Refusal(RefusalKind.Conflict, "promotion.not-approved", "The proposal is not approved yet.");
        }

        var today = DateOnly.FromDateTime(command.Now.UtcDateTime);
        if (today < proposal.Tmt)
        {
            return new Refusal(RefusalKind.Rule, "promotion.before-tmt", $"The promotion takes effect on its TMT, {PromotionEligibility.Iso(proposal.Tmt)}.");
        }

        return Decision.Accept(new PromotionTookEffect(record.Id, proposal.ProposalId, record.InstansiCode, proposal.Route, proposal.From, proposal.To, proposal.Tmt, proposal.RuleSetVersion, command.Now));
    }

    private static Refusal? Open(CareerRecord? record, Guid servantId, Guid proposalId)
    {
        if (CareerDecisions.Service(record, servantId) is { } refusal)
        {
            return refusal;
        }

        return record!.Proposal is { } proposal && proposal.ProposalId == proposalId
            ? null
            : new Refusal(RefusalKind.NotFound, "promotion.no-proposal", $"No open promotion proposal {proposalId}.", "proposalId");
    }

    private static Refusal NotEligible(string code, PromotionAssessment assessment) => new(
        RefusalKind.Rule,
        code,
        $"Not eligible for promotion on {PromotionEligibility.Iso(assessment.Tmt)} under {assessment.RuleSetVersion}: {Wording.Join("; ", assessment.Unmet.Select(c => Wording.Of($"{c.Code} ({c.Rule}): {c.Sentence()}")))}.");
}
