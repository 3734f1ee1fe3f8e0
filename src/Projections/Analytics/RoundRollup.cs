using JasperFx.Events;
using JasperFx.Events.Grouping;
using Marten;
using Marten.Events.Projections;
using Merit.Recruitment;

namespace Merit.Projections.Analytics;

/// <summary>
/// The funnel counts of all formations of a round that share one value of one dimension — instansi, category,
/// position, location, or <c>all</c> — kept as they happen, so that a whole-round table grouped by a dimension
/// reads a few hundred small documents instead of summing 250,000 formations (docs/adr/0008). No personal data;
/// <see cref="FunnelCounts.LastSequence"/> is the last event it reflects.
/// </summary>
public sealed class RoundRollup : FunnelCounts
{
    public const string All = "all";

    /// <summary><c>{round id}/{dimension}/{key}</c>.</summary>
    public string Id { get; set; } = "";

    public Guid RoundId { get; set; }

    /// <summary>instansi, category, position, location or all.</summary>
    public string Dimension { get; set; } = "";

    /// <summary>The dimension's value (a category as its enum name); empty for <c>all</c>.</summary>
    public string Key { get; set; } = "";

    public static string IdFor(Guid roundId, string dimension, string key) => $"{roundId:N}/{dimension}/{key}";

    /// <summary>The rollups a formation's events are counted in: one per dimension.</summary>
    public static IEnumerable<(string Id, string Dimension, string Key)> Of(Formation f) =>
        new[] { (All, ""), ("instansi", f.InstansiCode), ("category", f.Category.ToString()), ("position", f.Position), ("location", f.Location) }
            .Select(d => (IdFor(f.RoundId, d.Item1, d.Item2), d.Item1, d.Item2));
}

/// <summary>Each counted event fanned out to its formation's five rollups, found through the formation. Asynchronous.</summary>
public sealed class RoundRollupProjection : RoundReadModelProjection<RoundRollup, string>
{
    public const string ProjectionName = "AnalyticsRoundRollup";

    public RoundRollupProjection()
    {
        Name = ProjectionName;
        foreach (var type in FunnelCounts.FormationEvents.Concat(FunnelCounts.ApplicationEvents))
        {
            IncludeType(type);
        }

        CustomGrouping(GroupByDimensionsAsync);
    }

    /// <summary>The formation whose counts an event moves: the applicant's own, or the formation's.</summary>
    private static Guid? CountedIn(IEvent e) => e.Data switch
    {
        IApplicationEvent a => a.FormationId,
        IFormationEvent f => f.FormationId,
        _ => null,
    };

    private static async Task GroupByDimensionsAsync(IQuerySession session, IReadOnlyList<IEvent> events, IEventGrouping<string> grouping)
    {
        var counted = events.Where(e => CountedIn(e) is not null).ToList();
        var formations = await CaseFacts.FormationsAsync(session, counted.Select(e => CountedIn(e)!.Value), CancellationToken.None);
        foreach (var e in counted)
        {
            if (formations.TryGetValue(CountedIn(e)!.Value, out var formation))
            {
                foreach (var (id, _, _) in RoundRollup.Of(formation))
                {
                    grouping.AddEvent(id, e);
                }
            }
        }
    }

    public override Task EnrichEventsAsync(SliceGroup<RoundRollup, string> group, IQuerySession querySession, CancellationToken cancellation) =>
        FunnelCounts.AttributeAsync(group, querySession, cancellation);

    public override RoundRollup? Evolve(RoundRollup? snapshot, string id, IEvent e)
    {
        if (snapshot is null)
        {
            // The id names the round, dimension and key: {round}/{dimension}/{key}, the key itself may hold '/'.
            var parts = id.Split('/', 3);
            snapshot = new RoundRollup { Id = id, RoundId = Guid.ParseExact(parts[0], "N"), Dimension = parts[1], Key = parts[2] };
        }

        snapshot.Count(e);
        return snapshot;
    }
}
