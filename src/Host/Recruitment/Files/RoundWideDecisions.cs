using Marten;
using Merit.Deciding;
using Merit.Infrastructure;
using Merit.PersonalData;
using Merit.Projections;
using Merit.Recruitment.Files;
using Npgsql;
using Merit.Localization;

namespace Merit.Recruitment;

/// <summary>The birth dates the vault released, by application; how many applications' data is erased; or why none was read.</summary>
public sealed record BirthDates(IReadOnlyDictionary<Guid, DateOnly> ByApplication, int Erased, Refusal? Refusal);

/// <summary>The outcome of a decision taken for every formation of a round.</summary>
public sealed record RoundDecisionReport(string Decision, int Formations, int Decided, int AlreadyDecided, int Events, IReadOnlyList<string> Refusals)
{
    public bool Succeeded => Refusals.Count == 0;
}

/// <summary>
/// The SKD cut-off and the final result for every formation of a round, as the committee runs them at the close of
/// a stage: the same pure decision as the per-formation command, in batches of formations, written through the bulk
/// writer (docs/adr/0019) with every stream at the version of the write model its decision was taken on: a concurrent
/// decision on a formation, or a change to one of its applications, fails the batch instead of being overwritten or
/// decided on stale state.
/// </summary>
public sealed class RoundWideDecisions(IDocumentStore store, BulkEventWriter writer, PersonalDataVault vault, EventTableStatistics statistics, TimeProvider clock)
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
        // Only those the final ranks are read, nobody else's birth date is decrypted (purpose limitation): the SKB
        // participants, or in a round without an SKB (PPPK, no cut-off) everyone qualified who sat its one test.
        var ranked = applications.Where(a => a.CutOff is Ranking.CutOffOutcome.Admitted or Ranking.CutOffOutcome.AdmittedOnTie
            || (a.CutOff is null && a.Administrative == AdministrativeResult.MS && a.Skd is not null && !a.SkdAbsent)).ToList();
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

        // Two batches side by side, each on sessions of its own: while one waits on PostgreSQL the other decides. Batches
        // never share a stream (a formation and its applications belong to one batch); a batch with a refusal writes
        // nothing and no batch starts after it: only whole batches are ever written.
        var options = new ParallelOptions { MaxDegreeOfParallelism = RecruitmentImports.WritersInParallel, CancellationToken = ct };
        await Parallel.ForEachAsync(formations.Chunk(FormationsPerBatch), options, async (batch, token) =>
        {
            lock (refusals)
            {
                if (refusals.Count > 0)
                {
                    return;
                }
            }

            var outcome = await DecideBatchAsync(round, batch, alreadyDecided, decide, birthDateReader, token);
            if (outcome.Refusals.Count > 0)
            {
                lock (refusals)
                {
                    refusals.AddRange(outcome.Refusals);
                }

                return;
            }

            if (outcome.Appends.Count > 0)
            {
                Interlocked.Add(ref events, await writer.WriteAsync(outcome.Appends, [], actor, correlation, token));
                await statistics.RefreshIfOutgrownAsync(token);
            }

            Interlocked.Add(ref skipped, outcome.Skipped);
            var done = Interlocked.Add(ref decided, outcome.Decided);
            progress?.Report(new ImportProgress("decided", done + Volatile.Read(ref skipped), formations.Count));
        });

        refusals.Sort(StringComparer.Ordinal);
        return new RoundDecisionReport(name, formations.Count, decided, skipped, events, refusals);
    }

    /// <summary>One batch's decisions: the streams to append, formations decided and already decided, or its refusals.</summary>
    private sealed record BatchOutcome(List<BulkAppend> Appends, int Decided, int Skipped, List<string> Refusals);

    private async Task<BatchOutcome> DecideBatchAsync(
        Round round,
        Guid[] batch,
        Func<Formation, bool> alreadyDecided,
        Func<Round, Formation, IReadOnlyList<Application>, IReadOnlyDictionary<Guid, DateOnly>, Decision> decide,
        PersonalDataReader? birthDateReader,
        CancellationToken ct)
    {
        // Each write model with its revision (its stream's version, docs/adr/0019) from the same row: a decision committed
        // meanwhile makes the write fail on its expected version rather than be overwritten. Two queries per batch.
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        var formations = await store.RevisedAsync<Formation>(connection, "id = any($1)", batch, ct);
        var candidates = await store.RevisedAsync<Application>(connection, "formation_id = any($1)", batch, ct);
        var versions = new Dictionary<Guid, long>(formations.Count + candidates.Count);
        var snapshots = new Dictionary<Guid, object>(formations.Count + candidates.Count);
        foreach (var (id, document, version) in formations.Select(m => (m.Id, (object)m.Document, m.Version)).Concat(candidates.Select(m => (m.Id, (object)m.Document, m.Version))))
        {
            versions[id] = version;
            snapshots[id] = document;
        }

        var current = formations.Select(m => m.Document).OrderBy(f => f.Code, StringComparer.Ordinal).ToList();
        var applications = candidates.Select(m => m.Document).ToLookup(a => a.FormationId);
        var pending = new List<(Formation Formation, List<Application> Cases, Decision Decision)>();
        var skipped = 0;
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

        var appends = new List<BulkAppend>();
        var refusals = new List<string>();
        foreach (var (formation, _, decision) in pending)
        {
            if (decision.Refusal is { } refusal)
            {
                refusals.Add($"{formation.Code}: {Texts.Current.Say(refusal)} [{refusal.Code}]");
                continue;
            }

            appends.AddRange(decision.BulkAppends(versions, snapshots.GetValueOrDefault));
        }

        return new BatchOutcome(appends, pending.Count - refusals.Count, skipped, refusals);
    }
}
