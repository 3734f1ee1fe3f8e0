using System.Globalization;
using JasperFx.Events;
using Marten;
using Marten.Events;
using Merit.Audit;

namespace Merit.Recruitment.Announcements;

/// <summary>
/// Reads what an announcement's list is made of: the round, the instansi's formations and applications (write
/// models), and the decision events of their streams with their sequence numbers and chain hashes; then builds the
/// list with the domain's <see cref="AnnouncementLists"/>.
/// </summary>
public sealed class AnnouncementSource(IDocumentStore store)
{
    // Stream ids per query: one array parameter, looked up by the streams' index.
    private const int StreamsPerQuery = 5_000;

    public async Task<(Round? Round, AnnouncementList? List)> ListAsync(Guid roundId, AnnouncementKind kind, string instansiCode, CancellationToken ct)
    {
        var (round, lists) = await ListsAsync(roundId, [kind], instansiCode, ct);
        return (round, lists.GetValueOrDefault(kind));
    }

    /// <summary>The lists of several kinds for one instansi, from one read of its formations, applications and decision events.</summary>
    public async Task<(Round? Round, IReadOnlyDictionary<AnnouncementKind, AnnouncementList> Lists)> ListsAsync(Guid roundId, IReadOnlyCollection<AnnouncementKind> kinds, string instansiCode, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(kinds);
        await using var session = store.QuerySession();
        if (await session.LoadAsync<Round>(roundId, ct) is not { } round)
        {
            return (null, new Dictionary<AnnouncementKind, AnnouncementList>());
        }

        var formations = (await session.Query<Formation>().Where(f => f.RoundId == roundId && f.InstansiCode == instansiCode).ToListAsync(ct)).ToList();
        var formationIds = formations.Select(f => f.Id).ToArray();

        // The kinds' event types together: each list takes only the types it is made of. The formations' events are
        // read on a session of their own, beside the applications and their events.
        var sources = kinds.Select(AnnouncementLists.SourcesOf).ToList();
        var formationEvents = FormationEventsAsync(formationIds, sources.SelectMany(s => s.FormationEvents).Distinct().ToList(), ct);
        // The applications' ids first (the formation is an indexed column), then their documents beside their events:
        // both reads name the same applications.
        var applicationIds = formationIds.Length == 0
            ? []
            : (await session.Query<Application>().Where(a => a.FormationId.IsOneOf(formationIds)).Select(a => a.Id).ToListAsync(ct)).ToArray();
        var documents = ApplicationsAsync(applicationIds, ct);
        var recorded = await EventsAsync(session, applicationIds, sources.SelectMany(s => s.ApplicationEvents).Distinct().ToList(), ct);
        var applications = await documents;
        recorded.AddRange(await formationEvents);
        recorded.Sort((x, y) => x.Sequence.CompareTo(y.Sequence));

        // Optimisation reaches across formations (and instansi): the applicants placed here, and the formations named.
        var known = applications.Select(a => a.Id).ToHashSet();
        var placedHere = recorded.Select(r => r.Data).OfType<VacancyFilledByOptimisation>().Select(v => v.ApplicationId).Where(id => !known.Contains(id)).Distinct().ToArray();
        if (placedHere.Length > 0)
        {
            applications.AddRange(await session.LoadManyAsync<Application>(ct, placedHere));
        }

        var named = recorded.Select(r => r.Data switch
        {
            VacancyFilledByOptimisation v => v.SourceFormationId,
            PlacedByOptimisation p => p.TargetFormationId,
            _ => Guid.Empty,
        }).Where(id => id != Guid.Empty && !formationIds.Contains(id)).Distinct().ToArray();
        var formationsById = formations.ToDictionary(f => f.Id);
        if (named.Length > 0)
        {
            foreach (var other in await session.LoadManyAsync<Formation>(ct, named))
            {
                formationsById[other.Id] = other;
            }
        }

        return (round, kinds.Distinct().ToDictionary(kind => kind, kind => AnnouncementLists.Build(kind, round, instansiCode, formations, applications, formationsById, recorded)));
    }

    /// <summary>The instansi of a round that have formations, in code order.</summary>
    public async Task<IReadOnlyList<string>> InstansiAsync(Guid roundId, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var formations = await session.Query<Formation>().Where(f => f.RoundId == roundId).Select(f => f.InstansiCode).ToListAsync(ct);
        return formations.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>The editions of one announcement issued so far, oldest first.</summary>
    public async Task<IReadOnlyList<AnnouncementIssued>> EditionsAsync(Guid announcementId, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        return (await session.Events.FetchStreamAsync(announcementId, token: ct)).Select(e => e.Data).OfType<AnnouncementIssued>().ToList();
    }

    /// <summary>The seal whose range holds <paramref name="sequence"/>, if one does yet.</summary>
    public async Task<AuditSeal?> SealCoveringAsync(long sequence, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        return await session.Query<AuditSeal>().Where(s => s.FromSequence <= sequence && s.ToSequence >= sequence).FirstOrDefaultAsync(ct);
    }

    /// <summary>The seals whose ranges meet [<paramref name="from"/>, <paramref name="to"/>], in order.</summary>
    public async Task<IReadOnlyList<AuditSeal>> SealsMeetingAsync(long from, long to, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        return await session.Query<AuditSeal>().Where(s => s.ToSequence >= from && s.FromSequence <= to).OrderBy(s => s.Id).ToListAsync(ct);
    }

    public async Task<AuditSeal?> SealAsync(long id, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        return await session.LoadAsync<AuditSeal>(id, ct);
    }

    private async Task<List<Application>> ApplicationsAsync(Guid[] ids, CancellationToken ct)
    {
        if (ids.Length == 0)
        {
            return [];
        }

        await using var session = store.QuerySession();
        return [.. await session.LoadManyAsync<Application>(ct, ids)];
    }

    private async Task<List<RecordedDecision>> FormationEventsAsync(Guid[] formations, List<Type> types, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        return await EventsAsync(session, formations, types, ct);
    }

    private static async Task<List<RecordedDecision>> EventsAsync(IQuerySession session, Guid[] streams, List<Type> types, CancellationToken ct)
    {
        var found = new List<RecordedDecision>();
        if (types.Count == 0 || streams.Length == 0)
        {
            return found;
        }

        var typeArray = types.ToArray();
        foreach (var chunk in streams.Chunk(StreamsPerQuery))
        {
            var events = await session.Events.QueryAllRawEvents()
                .Where(e => e.StreamId.IsOneOf(chunk) && e.EventTypesAre(typeArray))
                .ToListAsync(ct);
            found.AddRange(events.Select(Recorded));
        }

        return found;
    }

    private static RecordedDecision Recorded(IEvent e)
    {
        var hash = e.Headers is { } headers && headers.TryGetValue(AuditChain.HashHeader, out var value) ? Convert.ToString(value, CultureInfo.InvariantCulture) : null;
        return new RecordedDecision(e.Data, e.Id, e.Sequence, hash ?? "", e.Timestamp);
    }
}
