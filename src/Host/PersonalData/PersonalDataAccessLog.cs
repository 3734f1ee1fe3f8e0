using System.Globalization;
using JasperFx.Events;
using Marten;
using Marten.Events;

namespace Merit.PersonalData;

/// <summary>One entry of the access log as an auditor reads it: a read or an erasure, by whom, why, through what, when, with its chain hash.</summary>
public sealed record AccessLogEntry(
    Guid PersonId,
    string Kind,
    string Actor,
    string Why,
    string Through,
    string PolicyVersion,
    DateTimeOffset At,
    long Sequence,
    string? Hash);

/// <summary>The personal-data access log: every person's log stream, listed for one person or for a period.</summary>
public sealed class PersonalDataAccessLog(IDocumentStore store)
{
    public const int MaximumEntries = 10_000;

    /// <summary>For one person: their whole log (within the period when given). Otherwise every entry in [from, to), oldest first.</summary>
    public async Task<IReadOnlyList<AccessLogEntry>> ListAsync(Guid? personId, DateTimeOffset? from, DateTimeOffset? to, int limit, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var take = Math.Clamp(limit, 1, MaximumEntries);
        IReadOnlyList<IEvent> events;
        if (personId is { } person)
        {
            events = (await session.Events.FetchStreamAsync(PersonalDataLog.StreamFor(person), token: ct))
                .Where(e => (from is null || e.Timestamp >= from) && (to is null || e.Timestamp < to))
                .Take(take)
                .ToList();
        }
        else
        {
            var query = session.Events.QueryAllRawEvents().Where(e => e.EventTypesAre(typeof(PersonalDataRead), typeof(PersonalDataErased)));
            // Npgsql writes only UTC moments; a caller's WIB (+07:00) moment is the same instant in UTC.
            if (from?.ToUniversalTime() is { } start)
            {
                query = query.Where(e => e.Timestamp >= start);
            }

            if (to?.ToUniversalTime() is { } end)
            {
                query = query.Where(e => e.Timestamp < end);
            }

            events = await query.OrderBy(e => e.Sequence).Take(take).ToListAsync(ct);
        }

        return events.Select(Entry).OfType<AccessLogEntry>().ToList();
    }

    private static AccessLogEntry? Entry(IEvent e)
    {
        var hash = e.Headers is { } headers && headers.TryGetValue("hash", out var value) ? Convert.ToString(value, CultureInfo.InvariantCulture) : null;
        return e.Data switch
        {
            PersonalDataRead r => new AccessLogEntry(r.PersonId, "read", r.ReadBy, r.Purpose, r.Resource, r.PolicyVersion, e.Timestamp, e.Sequence, hash),
            PersonalDataErased x => new AccessLogEntry(x.PersonId, "erased", x.ErasedBy, x.LegalBasis, x.Reference, x.PolicyVersion, e.Timestamp, e.Sequence, hash),
            _ => null,
        };
    }
}
