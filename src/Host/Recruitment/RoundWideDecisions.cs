using Marten;
using Merit.Deciding;
using Merit.Infrastructure;
using Merit.PersonalData;
using Merit.Projections;
using Merit.Recruitment.Files;
using Npgsql;

namespace Merit.Recruitment;

/// <summary>The outcome of a decision taken for every formation of a round.</summary>
/// <summary>The birth dates the vault released, by application; how many applications' data is erased; or why none was read.</summary>
public sealed record BirthDates(IReadOnlyDictionary<Guid, DateOnly> ByApplication, int Erased, Refusal? Refusal);

public sealed record RoundDecisionReport(string Decision, int Formations, int Decided, int AlreadyDecided, int Events, IReadOnlyList<string> Refusals)
{
    public bool Succeeded => Refusals.Count == 0;
}

/// <summary>
/// The SKD cut-off and the final result for every formation of a round, as the committee runs them at the close of
/// a stage: the same pure decision as the per-formation command, in batches of formations, each formation's events
/// appended with the stream version read for the batch so a concurrent decision on the same formation cannot commit twice.
/// </summary>
public sealed class RoundWideDecisions(IDocumentStore store, PersonalDataVault vault, EventTableStatistics statistics, TimeProvider clock)
{
    public const int FormationsPerBatch = 200;

    public static readonly IReadOnlyDictionary<Guid, DateOnly> NoBirthDates = new Dictionary<Guid, DateOnly>();

    public Task<RoundDecisionReport> SkdCutOffAsync(string roundCode, string actor, IProgress<ImportProgress>? progress, CancellationToken ct) =>
        RunAsync("skd-cutoff", roundCode, actor, progress, f => f.CutOffDecided, (round, formation, applications, _) =>
            SelectionDecisions.DecideSkdCutOff(round, formation, applications, new DecideSkdCutOff(formation.Id, clock.GetUtcNow())), birthDateReader: null, ct);

    /// <summary>The final result of every formation; <paramref name="reader"/> acts, and reads the birth dates for the tie-break (logged).</summary>
    public Task<RoundDecisionReport> FinalAsync(string roundCode, PersonalDataReader reader, IProgress<ImportProgress>? progress, CancellationToken ct) =>
        RunAsync("final", roundCode, reader.Actor, progress, f => f.FinalDecided, (round, formation, applications, birthDates) =>
            SelectionDecisions.DecideFinal(round, formation, applications, birthDates, new DecideFinalResult(formation.Id, clock.GetUtcNow())), reader, ct);

    /// <summary>
    /// Birth dates of the given applications, for the final tie-break only, decrypted through the vault (each read
    /// logged for its person). Erased persons have none: the ranking puts them after known dates in that tie-break.
    /// </summary>
    public async Task<BirthDates> BirthDatesAsync(IReadOnlyList<Application> applications, PersonalDataReader reader, string purpose, CancellationToken ct)
    {
        // Only the SKB participants are ranked; nobody else's birth date is decrypted (purpose limitation).
        var ranked = applications.Where(a => a.CutOff is Ranking.CutOffOutcome.Admitted or Ranking.CutOffOutcome.AdmittedOnTie).ToList();
        var reading = await vault.RevealAsync(reader, purpose, ranked.Select(a => a.PersonId).Distinct().ToList(), ct);
        var result = new Dictionary<Guid, DateOnly>();
        foreach (var application in ranked)
        {
            if (reading.Details.TryGetValue(application.PersonId, out var details))
            {
                result[application.Id] = details.BirthDate;
            }
        }

        return new BirthDates(result, ranked.Count(a => reading.Erased.ContainsKey(a.PersonId)), reading.Refusal);
    }

    private async Task<RoundDecisionReport> RunAsync(
        string name,
        string roundCode,
        string actor,
        IProgress<ImportProgress>? progress,
        Func<Formation, bool> alreadyDecided,
        Func<Round, Formation, IReadOnlyList<Application>, IReadOnlyDictionary<Guid, DateOnly>, Decision> decide,
        PersonalDataReader? birthDateReader,
        CancellationToken ct)
    {
        await using var query = store.QuerySession();
        if (await RecruitmentImports.RoundAsync(query, roundCode, ct) is not { } round)
        {
            return new RoundDecisionReport(name, 0, 0, 0, 0, [$"no round {roundCode}"]);
        }

        var formations = await query.Query<Formation>().Where(f => f.RoundId == round.Id).OrderBy(f => f.Code).Select(f => f.Id).ToListAsync(ct);
        var (decided, skipped, events) = (0, 0, 0);
        var refusals = new List<string>();
        var correlation = Guid.NewGuid().ToString("N");
        foreach (var batch in formations.Chunk(FormationsPerBatch))
        {
            // The versions are read before the formations, so a decision committed in between makes the append below
            // fail on its expected version rather than be overwritten: three queries per batch, not one per formation.
            var versions = await StreamVersionsAsync(query, batch, ct);
            var current = (await query.LoadManyAsync<Formation>(ct, batch)).OrderBy(f => f.Code, StringComparer.Ordinal).ToList();
            var applications = (await query.Query<Application>().Where(a => a.FormationId.IsOneOf(batch)).ToListAsync(ct)).ToLookup(a => a.FormationId);
            var pending = new List<(Formation Formation, List<Application> Cases, Decision Decision)>();
            foreach (var formation in current)
            {
                if (alreadyDecided(formation))
                {
                    skipped++;
                    continue;
                }

                var cases = applications[formation.Id].ToList();
                pending.Add((formation, cases, decide(round, formation, cases, NoBirthDates)));
            }

            if (birthDateReader is not null && pending.Where(p => !p.Decision.IsRefused).SelectMany(p => p.Cases).ToList() is { Count: > 0 } ranked)
            {
                // Birth dates are read (and logged) only for decisions that will be taken, in one read per batch.
                var birthDates = await BirthDatesAsync(ranked, birthDateReader, "final-tie-break", ct);
                pending = pending
                    .Select(p => p.Decision.IsRefused ? p : (p.Formation, p.Cases, birthDates.Refusal ?? decide(round, p.Formation, p.Cases, birthDates.ByApplication)))
                    .ToList();
            }

            await using var session = await store.OpenWriteSessionAsync(actor, correlation, ct);
            foreach (var (formation, _, decision) in pending)
            {
                if (decision.Refusal is { } refusal)
                {
                    refusals.Add($"{formation.Code}: {refusal.Message} [{refusal.Code}]");
                    continue;
                }

                AppendExpecting(session, formation.Id, versions[formation.Id], decision);
                decided++;
                events += decision.Events.Count;
            }

            if (refusals.Count > 0)
            {
                break;
            }

            await session.SaveChangesAsync(ct);
            await statistics.RefreshIfOutgrownAsync(ct);
            progress?.Report(new ImportProgress("decided", decided + skipped, formations.Count));
        }

        return new RoundDecisionReport(name, formations.Count, decided, skipped, events, refusals);
    }

    /// <summary>The current version of each formation's stream, in one query.</summary>
    private static async Task<Dictionary<Guid, long>> StreamVersionsAsync(IQuerySession query, Guid[] formationIds, CancellationToken ct)
    {
        await using var connection = query.Database.CreateConnection();
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand($"select id, version from {MeritStore.SchemaName}.mt_streams where id = any($1)", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = formationIds });
        var versions = new Dictionary<Guid, long>(formationIds.Length);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            versions[reader.GetGuid(0)] = reader.GetInt64(1);
        }

        return versions;
    }

    /// <summary>
    /// The formation's events appended with the version it must then have, so Marten's update of the stream's version
    /// matches no row, and the whole batch fails with a conflict, if another decision committed after the version was
    /// read; every other event goes to its own stream.
    /// </summary>
    private static void AppendExpecting(IDocumentSession session, Guid formationId, long version, Decision decision)
    {
        var own = decision.Events.Where(e => DecisionResults.StreamOf(e) == formationId).ToArray();
        session.Events.Append(formationId, version + own.Length, own);
        foreach (var group in decision.Events.Where(e => DecisionResults.StreamOf(e) != formationId).GroupBy(DecisionResults.StreamOf))
        {
            session.Events.Append(group.Key, group.ToArray());
        }
    }
}
