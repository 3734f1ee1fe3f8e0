using JasperFx.Events;
using Marten.Events.Projections;
using Merit.Career;

namespace Merit.Projections.Career;

/// <summary>
/// Promotion throughput and backlog of one instansi, for analytics: proposals made, approved, rejected and taken
/// effect, what waits for approval or for its TMT, and promotions taken effect per TMT (period). Built
/// asynchronously by the daemon; carries no personal data.
/// </summary>
public sealed record PromotionBacklog(
    string Id,
    int Proposed,
    int Approved,
    int Rejected,
    int TookEffect,
    IReadOnlyDictionary<string, int> TookEffectByTmt,
    IReadOnlyDictionary<string, int> ProposedByRegime)
{
    /// <summary>The global sequence number of the last event applied to this document (events it ignores do not move it).</summary>
    public long LastSequence { get; init; }

    /// <summary>Proposed and neither approved nor rejected yet.</summary>
    public int AwaitingApproval => Proposed - Approved - Rejected;

    /// <summary>Approved and not yet in effect.</summary>
    public int AwaitingTmt => Approved - TookEffect;
}

public sealed class PromotionBacklogProjection : MultiStreamProjection<PromotionBacklog, string>
{
    public PromotionBacklogProjection() => Identity<IPromotionEvent>(e => e.InstansiCode);

    /// <summary>The last event this document reflects (docs/adr/0012).</summary>
    public override PromotionBacklog ApplyMetadata(PromotionBacklog aggregate, IEvent lastEvent) => aggregate with { LastSequence = lastEvent.Sequence };

    // An instansi's first promotion event is always a proposal.
    public static PromotionBacklog Create(PromotionProposed e) =>
        new(e.InstansiCode, 1, 0, 0, 0, new Dictionary<string, int>(StringComparer.Ordinal), new Dictionary<string, int>(StringComparer.Ordinal) { [e.RuleSetVersion] = 1 });

    public static PromotionBacklog Apply(PromotionProposed e, PromotionBacklog b) =>
        b with { Proposed = b.Proposed + 1, ProposedByRegime = Plus(b.ProposedByRegime, e.RuleSetVersion) };

    public static PromotionBacklog Apply(PromotionApproved e, PromotionBacklog b) => b with { Approved = b.Approved + 1 };

    public static PromotionBacklog Apply(PromotionRejected e, PromotionBacklog b) => b with { Rejected = b.Rejected + 1 };

    public static PromotionBacklog Apply(PromotionTookEffect e, PromotionBacklog b) =>
        b with { TookEffect = b.TookEffect + 1, TookEffectByTmt = Plus(b.TookEffectByTmt, e.Tmt.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)) };

    private static Dictionary<string, int> Plus(IReadOnlyDictionary<string, int> counts, string key) =>
        new(counts, StringComparer.Ordinal) { [key] = counts.GetValueOrDefault(key) + 1 };
}
