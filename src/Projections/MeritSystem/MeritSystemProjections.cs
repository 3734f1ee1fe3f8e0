using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events.Aggregation;
using Marten.Events.Projections;
using Merit.Career;
using Merit.MeritSystem;

namespace Merit.Projections.MeritSystem;

/// <summary>The write model of an instansi's merit assessment of one year, kept current inline.</summary>
public sealed class MeritAssessmentProjection : WriteModelProjection<MeritAssessment>
{
    public MeritAssessmentProjection() => this.IncludeEventsOf<IMeritAssessmentEvent>();

    public override MeritAssessment? Evolve(MeritAssessment? snapshot, Guid id, IEvent e) => MeritAssessment.Evolve(snapshot, e.Data);
}

/// <summary>One year of an instansi's merit index: the self-assessed score, and once verified the verified score and its category (R02).</summary>
public sealed record MeritIndexYear(int Year, string PolicyVersion, decimal SelfScore, DateTimeOffset SubmittedAt, decimal? VerifiedScore, string? Category, string? CategoryLabel, string? Overseer, DateTimeOffset? VerifiedAt);

/// <summary>An instansi's merit index over the years (indeks sistem merit, R02), for analytics; no assessor's name.</summary>
public sealed record MeritIndexHistory(string Id, IReadOnlyList<MeritIndexYear> Years)
{
    public long LastSequence { get; init; }
}

public sealed class MeritIndexHistoryProjection : MultiStreamProjection<MeritIndexHistory, string>
{
    public MeritIndexHistoryProjection() => Identity<IMeritAssessmentEvent>(e => e.InstansiCode);

    public override MeritIndexHistory ApplyMetadata(MeritIndexHistory aggregate, IEvent lastEvent) => aggregate with { LastSequence = lastEvent.Sequence };

    public static MeritIndexHistory Create(MeritSelfAssessmentSubmitted e) => new(e.InstansiCode, [Year(e)]);

    public static MeritIndexHistory Apply(MeritSelfAssessmentSubmitted e, MeritIndexHistory h) =>
        h with { Years = [.. h.Years.Where(y => y.Year != e.Year), Year(e)] };

    public static MeritIndexHistory Apply(MeritAssessmentVerified e, MeritIndexHistory h) =>
        h with
        {
            Years = h.Years.Select(y => y.Year == e.Year ? y with { VerifiedScore = e.Score, Category = e.Category, CategoryLabel = e.CategoryLabel, Overseer = e.Overseer, VerifiedAt = e.At } : y)
                .OrderBy(y => y.Year).ToList(),
        };

    private static MeritIndexYear Year(MeritSelfAssessmentSubmitted e) => new(e.Year, e.PolicyVersion, e.Score, e.At, null, null, null, null, null);
}

/// <summary>
/// One civil servant's IP ASN (R03) over time, computed from the career record on each change of it: the current
/// score and band, and every change of them with the date of the event that moved it. Keyed by the servant's
/// pseudonymous id; read for distributions per instansi (counts only).
/// </summary>
public sealed record IpAsnHistory(Guid Id, string InstansiCode, CareerRecord Record, IpAsnScore Current, IReadOnlyList<IpAsnScore> Changes)
{
    public string Band { get; init; } = Current.Band;

    public long LastSequence { get; init; }
}

public sealed class IpAsnHistoryProjection : SingleStreamProjection<IpAsnHistory, Guid>
{
    public IpAsnHistoryProjection() => this.IncludeEventsOf<ICareerEvent>();

    public override IpAsnHistory? Evolve(IpAsnHistory? snapshot, Guid id, IEvent e)
    {
        var record = CareerRecord.Evolve(snapshot?.Record, e.Data);
        if (record is null)
        {
            return snapshot;
        }

        // The event's stored time dates the score: a replay computes the same history.
        var asOf = DateOnly.FromDateTime(e.Timestamp.UtcDateTime);
        var rules = IpAsnRuleSet.Catalog.InForceOn(asOf) ?? IpAsnRuleSet.Catalog.RuleSets[0];
        var score = ProfessionalismIndex.Compute(record, asOf, rules);
        var changed = snapshot is null || snapshot.Current.Total != score.Total || snapshot.Current.Band != score.Band;
        return new IpAsnHistory(id, record.InstansiCode, record, score, changed ? [.. snapshot?.Changes ?? [], score] : snapshot!.Changes)
        {
            LastSequence = e.Sequence,
        };
    }
}

/// <summary>Registers the merit-system write model and the merit-index and IP ASN read models.</summary>
public static class MeritSystemProjections
{
    public static StoreOptions AddMeritSystemProjections(this StoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Projections.Add<MeritAssessmentProjection>(ProjectionLifecycle.Inline);
        options.Projections.Add<MeritIndexHistoryProjection>(ProjectionLifecycle.Async);
        options.Projections.Add<IpAsnHistoryProjection>(ProjectionLifecycle.Async);
        options.Schema.For<IpAsnHistory>().Duplicate(x => x.InstansiCode).Duplicate(x => x.Band);
        return options;
    }
}
