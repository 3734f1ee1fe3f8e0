using System.Globalization;
using Marten;
using Microsoft.Extensions.Options;

namespace Merit.Audit;

/// <summary>The outcome of sealing: a new seal, nothing new to seal, or a refusal because the range does not hash as stored.</summary>
public sealed record SealOutcome(AuditSeal? Seal, string? Nothing, BrokenLink? Refusal);

/// <summary>The stored seals recomputed: how many, those that failed, and the latest.</summary>
public sealed record StoredSealsReport(long Checked, IReadOnlyList<SealCheck> Failed, AuditSeal? Last);

/// <summary>
/// Seals: a signed Merkle root over a contiguous range of the global event sequence (docs/adr/0007). Sealing takes
/// everything recorded since the last seal; checking recomputes a seal's root from the events as they are stored now.
/// </summary>
public sealed partial class AuditSeals(
    IDocumentStore store,
    AuditEventReader reader,
    AuditSealingKey key,
    TimeProvider clock,
    IOptions<AuditOptions> options,
    ILogger<AuditSeals> logger)
{
    private const int SealPage = 100;

    /// <summary>Seals every event recorded since the last seal, up to those recorded <see cref="AuditOptions.SealSettleSeconds"/> ago.</summary>
    public async Task<SealOutcome> SealAsync(CancellationToken ct)
    {
        var now = EventChain.ToStoredPrecision(clock.GetUtcNow());
        var last = await LastAsync(ct).ConfigureAwait(false);
        var from = (last?.ToSequence ?? 0) + 1;
        var to = await reader.LastSettledSequenceAsync(from, now - TimeSpan.FromSeconds(options.Value.SealSettleSeconds), ct).ConfigureAwait(false);
        if (to is null || to < from)
        {
            return new SealOutcome(null, "Nothing to seal: no event recorded since the last seal has settled yet.", null);
        }

        var range = await RangeAsync(from, to.Value, ct).ConfigureAwait(false);
        if (range.Unlinked is { } unlinked)
        {
            return new SealOutcome(null, null, new BrokenLink(unlinked.StreamId, unlinked.Version, unlinked.Sequence, BreakKind.ContentMismatch,
                "This event no longer hashes to its stored hash; a broken history is not sealed. Run the verification."));
        }

        if (range.Count == 0)
        {
            return new SealOutcome(null, "Nothing to seal: the range holds no events.", null);
        }

        var statement = new SealStatement((last?.Id ?? 0) + 1, from, to.Value, range.Count, range.Root, last?.Root, now, key.PublicKey);
        var seal = AuditSeal.From(statement, statement.Sign(key.Key));
        await using var session = store.LightweightSession();
        session.Insert(seal); // a concurrent seal with the same number fails here, so seals never overlap
        await session.SaveChangesAsync(ct).ConfigureAwait(false);
        LogSealed(logger, seal.Id, seal.FromSequence, seal.ToSequence, seal.Count);
        return new SealOutcome(seal, null, null);
    }

    public async Task<AuditSeal?> LastAsync(CancellationToken ct)
    {
        await using var session = store.QuerySession();
        return await session.Query<AuditSeal>().OrderByDescending(s => s.Id).FirstOrDefaultAsync(ct).ConfigureAwait(false);
    }

    public async Task<AuditSeal?> LoadAsync(long id, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        return await session.LoadAsync<AuditSeal>(id, ct).ConfigureAwait(false);
    }

    /// <summary>Seals after <paramref name="after"/>, in order, a page at a time.</summary>
    public async Task<IReadOnlyList<AuditSeal>> ListAsync(long after, int count, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        return await session.Query<AuditSeal>().Where(s => s.Id > after).OrderBy(s => s.Id).Take(count).ToListAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Checks an exported seal: its signature, its key, the stored copy, and its root against the events stored now.</summary>
    public async Task<SealCheck> CheckExportedAsync(SealStatement statement, string signature, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(statement);
        var stored = await LoadAsync(statement.Id, ct).ConfigureAwait(false);
        var extra = new List<string>();
        bool matchesStored;
        if (stored is null)
        {
            matchesStored = false;
            extra.Add(string.Create(CultureInfo.InvariantCulture, $"The store holds no seal {statement.Id}."));
        }
        else
        {
            matchesStored = stored.ToStatement() == statement && string.Equals(stored.Signature, signature, StringComparison.Ordinal);
            if (!matchesStored)
            {
                extra.Add(string.Create(CultureInfo.InvariantCulture, $"The stored seal {statement.Id} differs from this export."));
            }
        }

        return await CheckAsync(statement, signature, matchesStored, extra, ct).ConfigureAwait(false);
    }

    /// <summary>Recomputes every stored seal, in order, checking that each starts where the one before ended and names its root.</summary>
    public async Task<StoredSealsReport> CheckStoredAsync(IProgress<AuditProgress>? progress, CancellationToken ct)
    {
        var failed = new List<SealCheck>();
        long checkedCount = 0, failedCount = 0;
        AuditSeal? previous = null;
        while (true)
        {
            var page = await ListAsync(previous?.Id ?? 0, SealPage, ct).ConfigureAwait(false);
            foreach (var seal in page)
            {
                var extra = new List<string>();
                var expectedId = (previous?.Id ?? 0) + 1;
                if (seal.Id != expectedId)
                {
                    extra.Add(string.Create(CultureInfo.InvariantCulture, $"Seal {expectedId} is missing."));
                }
                else if (seal.FromSequence != (previous?.ToSequence ?? 0) + 1 || !string.Equals(seal.PreviousRoot, previous?.Root, StringComparison.Ordinal))
                {
                    extra.Add("The seal does not start where the seal before it ended, or does not name its root.");
                }

                var check = await CheckAsync(seal.ToStatement(), seal.Signature, null, extra, ct).ConfigureAwait(false);
                checkedCount++;
                if (!check.Intact)
                {
                    failedCount++;
                    if (failed.Count < options.Value.MaxReported)
                    {
                        failed.Add(check);
                    }
                }

                progress?.Report(new AuditProgress("seals", checkedCount, 0));
                previous = seal;
            }

            if (page.Count < SealPage)
            {
                break;
            }
        }

        if (failedCount > 0)
        {
            LogSealsFailed(logger, failedCount, checkedCount);
        }

        return new StoredSealsReport(checkedCount, failed, previous);
    }

    private async Task<SealCheck> CheckAsync(SealStatement statement, string signature, bool? matchesStored, List<string> problems, CancellationToken ct)
    {
        var signatureValid = statement.IsSignedBy(signature);
        var trusted = TrustedKeys().Contains(statement.PublicKey, StringComparer.Ordinal);
        var (count, root, _) = await RangeAsync(statement.FromSequence, statement.ToSequence, ct).ConfigureAwait(false);
        if (!signatureValid)
        {
            problems.Add("The signature does not verify.");
        }

        if (!trusted)
        {
            problems.Add("The seal is signed by a key this system does not trust.");
        }

        if (count != statement.Count)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"The range holds {count} events now; {statement.Count} were sealed."));
        }

        if (!string.Equals(root, statement.Root, StringComparison.Ordinal))
        {
            problems.Add("The Merkle root of the range differs: the events stored now are not those sealed.");
        }

        return new SealCheck(statement.Id, statement.FromSequence, statement.ToSequence, problems.Count == 0, signatureValid, trusted, matchesStored,
            statement.Count, count, statement.Root, root, problems);
    }

    // Leaves are the chain hashes recomputed from the stored content (linked to the stored previous hash), so a seal
    // notices a change whether or not the hash headers were rewritten with it. Marten's tombstones have no stored
    // hash; their leaf is computed the same way from their (empty) content, so they are sealed like any event.
    private async Task<(long Count, string Root, StoredEvent? Unlinked)> RangeAsync(long from, long to, CancellationToken ct)
    {
        var tree = new MerkleTree();
        StoredEvent? unlinked = null;
        await foreach (var e in reader.BySequenceAsync(from, to, options.Value.BatchSize, ct).ConfigureAwait(false))
        {
            var hash = e.Recompute(e.Previous);
            if (unlinked is null && !e.IsWellFormedTombstone && !string.Equals(hash, e.Hash, StringComparison.Ordinal))
            {
                unlinked = e;
            }

            tree.Append(Convert.FromHexString(hash));
        }

        return (tree.Count, Convert.ToHexStringLower(tree.Root()), unlinked);
    }

    private IEnumerable<string> TrustedKeys() =>
        (options.Value.TrustedPublicKeys ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Append(key.PublicKey);

    [LoggerMessage(Level = LogLevel.Information, Message = "Audit seal {Id} created over sequences {From} to {To} ({Count} events)")]
    private static partial void LogSealed(ILogger logger, long id, long from, long to, long count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Failed} of {Checked} audit seals no longer match the stored events")]
    private static partial void LogSealsFailed(ILogger logger, long failed, long @checked);
}
