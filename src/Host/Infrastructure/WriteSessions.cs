using Marten;

namespace Merit.Infrastructure;

/// <summary>
/// Sessions for the bulk write paths (imports, round-wide decisions, personal-data logs). In Rich append mode Marten
/// reserves event sequence numbers before the commit batch, and the hash chain is computed in between; a transaction
/// that only begins at commit looks, to the async daemon, like no live writer behind the sequence gap, so after the
/// stale threshold the daemon skips events still being written and the async read models lose them. Beginning the
/// transaction first makes the reservation part of it, and the daemon waits (docs/adr/0017).
/// </summary>
public static class WriteSessions
{
    public static async Task<IDocumentSession> OpenWriteSessionAsync(this IDocumentStore store, string actor, string? correlation, CancellationToken ct)
    {
        var session = store.LightweightSession();
        session.LastModifiedBy = actor;
        session.CorrelationId = correlation;
        try
        {
            await session.BeginTransactionAsync(ct);
            return session;
        }
        catch
        {
            await session.DisposeAsync();
            throw;
        }
    }
}
