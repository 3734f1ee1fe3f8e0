using Marten;
using Marten.Events;
using Merit.Audit;
using Npgsql;

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
        var formationEvents = EventsAsync(formationIds, sources.SelectMany(s => s.FormationEvents).Distinct().ToList(), ct);
        // The applications' ids first (the formation is an indexed column), then their documents beside their events:
        // both reads name the same applications.
        var applicationIds = formationIds.Length == 0
            ? []
            : (await session.Query<Application>().Where(a => a.FormationId.IsOneOf(formationIds)).Select(a => a.Id).ToListAsync(ct)).ToArray();
        var documents = ApplicationsAsync(applicationIds, ct);
        var recorded = await EventsAsync(applicationIds, sources.SelectMany(s => s.ApplicationEvents).Distinct().ToList(), ct);
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

    /// <summary>
    /// The events of these types in these streams, read as rows: the chain hash out of the headers by the server, the
    /// data deserialized to its mapped type. Marten's raw-event query would parse every event's headers as well.
    /// Archived events are left out, as Marten's query leaves them out.
    /// </summary>
    private async Task<List<RecordedDecision>> EventsAsync(Guid[] streams, List<Type> types, CancellationToken ct)
    {
        var found = new List<RecordedDecision>();
        if (types.Count == 0 || streams.Length == 0)
        {
            return found;
        }

        var graph = (EventGraph)store.Options.Events;
        var serializer = store.Options.Serializer();
        var byName = types.ToDictionary(t => graph.EventMappingFor(t).EventTypeName, t => t, StringComparer.Ordinal);
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        foreach (var chunk in streams.Chunk(StreamsPerQuery))
        {
            await using var command = new NpgsqlCommand(
                $"select seq_id, id, type, data, headers ->> '{AuditChain.HashHeader}', timestamp from {graph.DatabaseSchemaName}.mt_events " +
                "where stream_id = any(@streams) and type = any(@types) and not is_archived",
                connection);
            command.Parameters.AddWithValue("streams", chunk);
            command.Parameters.AddWithValue("types", byName.Keys.ToArray());
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var data = serializer.FromJson(byName[reader.GetString(2)], reader, 3);
                found.Add(new RecordedDecision(data, reader.GetGuid(1), reader.GetInt64(0), reader.IsDBNull(4) ? "" : reader.GetString(4), reader.GetFieldValue<DateTimeOffset>(5)));
            }
        }

        return found;
    }
}
