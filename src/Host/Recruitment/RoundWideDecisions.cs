using Marten;
using Merit.Deciding;
using Merit.Infrastructure;
using Merit.PersonalData;
using Merit.Recruitment.Files;

namespace Merit.Recruitment;

/// <summary>The outcome of a decision taken for every formation of a round.</summary>
public sealed record RoundDecisionReport(string Decision, int Formations, int Decided, int AlreadyDecided, int Events, IReadOnlyList<string> Refusals)
{
    public bool Succeeded => Refusals.Count == 0;
}

/// <summary>
/// The SKD cut-off and the final result for every formation of a round, as the committee runs them at the close of
/// a stage: the same pure decision as the per-formation command, in batches of formations, each formation's
/// stream fetched for writing so a concurrent decision on the same formation cannot commit twice.
/// </summary>
public sealed class RoundWideDecisions(IDocumentStore store, PersonalDataProtector protector, TimeProvider clock)
{
    public const int FormationsPerBatch = 200;

    public Task<RoundDecisionReport> SkdCutOffAsync(string roundCode, string actor, IProgress<ImportProgress>? progress, CancellationToken ct) =>
        RunAsync("skd-cutoff", roundCode, actor, progress, f => f.CutOffDecided, (round, formation, applications, _) =>
            SelectionDecisions.DecideSkdCutOff(round, formation, applications, new DecideSkdCutOff(formation.Id, clock.GetUtcNow())), needsBirthDates: false, ct);

    public Task<RoundDecisionReport> FinalAsync(string roundCode, string actor, IProgress<ImportProgress>? progress, CancellationToken ct) =>
        RunAsync("final", roundCode, actor, progress, f => f.FinalDecided, (round, formation, applications, birthDates) =>
            SelectionDecisions.DecideFinal(round, formation, applications, birthDates, new DecideFinalResult(formation.Id, clock.GetUtcNow())), needsBirthDates: true, ct);

    /// <summary>Birth dates of the given applications, from the personal-data store, for the final tie-break only.</summary>
    public async Task<IReadOnlyDictionary<Guid, DateOnly>> BirthDatesAsync(IQuerySession session, IReadOnlyList<Application> applications, CancellationToken ct)
    {
        var persons = (await session.LoadManyAsync<PersonRecord>(ct, applications.Select(a => a.PersonId).Distinct().ToArray())).ToDictionary(p => p.Id);
        var result = new Dictionary<Guid, DateOnly>();
        foreach (var application in applications)
        {
            if (persons.TryGetValue(application.PersonId, out var person) && protector.Reveal(person) is { } details)
            {
                result[application.Id] = details.BirthDate;
            }
        }

        return result;
    }

    private async Task<RoundDecisionReport> RunAsync(
        string name,
        string roundCode,
        string actor,
        IProgress<ImportProgress>? progress,
        Func<Formation, bool> alreadyDecided,
        Func<Round, Formation, IReadOnlyList<Application>, IReadOnlyDictionary<Guid, DateOnly>, Decision> decide,
        bool needsBirthDates,
        CancellationToken ct)
    {
        await using var query = store.QuerySession();
        if (await RecruitmentImports.RoundAsync(query, roundCode, ct) is not { } round)
        {
            return new RoundDecisionReport(name, 0, 0, 0, 0, [$"no round {roundCode}"]);
        }

        var formations = await query.Query<Formation>().Where(f => f.RoundId == round.Id).OrderBy(f => f.Code).ToListAsync(ct);
        var (decided, skipped, events) = (0, 0, 0);
        var refusals = new List<string>();
        var correlation = Guid.NewGuid().ToString("N");
        foreach (var batch in formations.Chunk(FormationsPerBatch))
        {
            var ids = batch.Select(f => f.Id).ToArray();
            var applications = (await query.Query<Application>().Where(a => a.FormationId.IsOneOf(ids)).ToListAsync(ct)).ToLookup(a => a.FormationId);
            await using var session = store.LightweightSession();
            session.LastModifiedBy = actor;
            session.CorrelationId = correlation;
            foreach (var formation in batch)
            {
                if (alreadyDecided(formation))
                {
                    skipped++;
                    continue;
                }

                var stream = await session.Events.FetchForWriting<Formation>(formation.Id, ct);
                var cases = applications[formation.Id].ToList();
                var birthDates = needsBirthDates ? await BirthDatesAsync(query, cases, ct) : new Dictionary<Guid, DateOnly>();
                var decision = decide(round, stream.Aggregate!, cases, birthDates);
                if (decision.Refusal is { } refusal)
                {
                    refusals.Add($"{formation.Code}: {refusal.Message} [{refusal.Code}]");
                    continue;
                }

                decision.AppendTo(stream, session, () => Results.Ok());
                decided++;
                events += decision.Events.Count;
            }

            if (refusals.Count > 0)
            {
                break;
            }

            await session.SaveChangesAsync(ct);
            progress?.Report(new ImportProgress("decided", decided + skipped, formations.Count));
        }

        return new RoundDecisionReport(name, formations.Count, decided, skipped, events, refusals);
    }
}
