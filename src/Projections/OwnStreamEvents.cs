using JasperFx.Events.Projections;

namespace Merit.Projections;

/// <summary>
/// Limits an inline write model to the events of its own kind of stream. A single-stream projection with a catch-all
/// <c>Evolve</c> declares no event types, which Marten reads as "applies to every stream": on every save it then loads
/// its document for every stream appended to, in a query of its own, even when it produces nothing (docs/adr/0018).
/// </summary>
internal static class OwnStreamEvents
{
    /// <summary>
    /// Every concrete event type of the domain that implements <typeparamref name="TStreamEvent"/> — the interface
    /// that routes an event to this kind of stream. Concrete types rather than the interface, so a rebuild can filter
    /// its reads by type name.
    /// </summary>
    public static void IncludeEventsOf<TStreamEvent>(this EventFilterable projection)
    {
        foreach (var type in typeof(TStreamEvent).Assembly.GetTypes().Where(t => t is { IsAbstract: false, IsInterface: false } && t.IsAssignableTo(typeof(TStreamEvent))))
        {
            projection.IncludeType(type);
        }
    }
}
