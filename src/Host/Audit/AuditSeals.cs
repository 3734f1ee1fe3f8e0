using Merit.Localization;
using System.Globalization;
using Marten;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Merit.Audit;

/// <summary>
/// The outcome of sealing: a new seal, nothing new to seal, or a refusal because the history does not hash as stored
/// (<paramref name="At"/> names the event when one is to blame).
/// </summary>
public sealed record SealOutcome(AuditSeal? Seal, string? Nothing, string? Refused, BrokenLink? At)
{
    public static SealOutcome Sealed(AuditSeal seal) => new(seal, null, null, null);

    public static SealOutcome NothingToSeal(string why) => new(null, why, null, null);

    public static SealOutcome Refusal(string why, BrokenLink? at = null) => new(null, null, why, at);
}

/// <summary>The stored seals recomputed: how many, those that failed, and the latest.</summary>
public sealed record StoredSealsReport(long Checked, IReadOnlyList<SealCheck> Failed, AuditSeal? Last);

/// <summary>
/// Seals: a signed Merkle root over a contiguous range of the global event sequence and over the whole sequence up to
/// it (docs/adr/0007, docs/adr/0044). Sealing takes everything recorded since the last seal, one node at a time, and
/// anchors the seal outside the database; checking recomputes every seal from the events as they are stored now and
/// compares the store with the anchored seals.
/// </summary>
public sealed partial class AuditSeals(
    IDocumentStore store,
    AuditEventReader reader,
    AuditSealingKey key,
    AuditAnchor anchor,
    TimeProvider clock,
    IOptions<AuditOptions> options,
    ILogger<AuditSeals> logger)
{
    // One sealing at a time across every node of the deployment: a session-level PostgreSQL advisory lock.
    private const long SealLockId = 0x6d65726974_02; // "merit" 02
    private const int SealPage = 100;

    /// <summary>Where the anchored seals are.</summary>
    public string AnchorLocation => anchor.Location;

    /// <summary>
    /// Seals every event recorded since the last seal, up to those recorded <see cref="AuditOptions.SealSettleSeconds"/>
    /// ago, and anchors it. Another node sealing at the same moment makes this one seal nothing.
    /// </summary>
    public async Task<SealOutcome> SealAsync(CancellationToken ct)
    {
        await using var guard = store.Storage.Database.CreateConnection();
        await guard.OpenAsync(ct).ConfigureAwait(false);
        if (!await ScalarAsync<bool>(guard, $"select pg_try_advisory_lock({SealLockId})", ct).ConfigureAwait(false))
        {
            return SealOutcome.NothingToSeal(Texts.Current.Say("Another node is sealing at this moment."));
        }

        try
        {
            await AnchorStoredAsync(ct).ConfigureAwait(false);
            return await SealLockedAsync(ct).ConfigureAwait(false);
        }
        finally
        {
            await ScalarAsync<bool>(guard, $"select pg_advisory_unlock({SealLockId})", CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task<SealOutcome> SealLockedAsync(CancellationToken ct)
    {
        var now = EventChain.ToStoredPrecision(clock.GetUtcNow());
        var last = await LastAsync(ct).ConfigureAwait(false);
        var from = (last?.ToSequence ?? 0) + 1;
        var to = await reader.LastSettledSequenceAsync(from, now - TimeSpan.FromSeconds(options.Value.SealSettleSeconds), ct).ConfigureAwait(false);
        if (to is null || to < from)
        {
            return SealOutcome.NothingToSeal(Texts.Current.Say("Nothing to seal: no event recorded since the last seal has settled yet."));
        }

        var tree = await TreeThroughAsync(last, ct).ConfigureAwait(false);
        if (tree is null)
        {
            return SealOutcome.Refusal(Texts.Current.Say($"The events up to seal {last!.Id} no longer have its signed tree root: the sealed history changed. Run the verification."));
        }

        using var leaves = anchor.BeginLeaves();
        var range = new MerkleTree();

        // The chunks a proof takes instead of leaves (docs/adr/0044), kept as the seal passes them: the whole tree's
        // frontier nodes below a chunk's size are the leaves of the chunk the last seal left unfinished.
        var chunk = new MerkleTree(tree.Frontier.Where(node => node.Size < AuditTreeChunk.Size));
        var chunks = new List<AuditTreeChunk>();
        await foreach (var e in reader.BySequenceAsync(from, to.Value, options.Value.BatchSize, ct).ConfigureAwait(false))
        {
            var hash = e.Recompute(e.Previous);
            if (!e.IsWellFormedTombstone && !string.Equals(hash, e.Hash, StringComparison.Ordinal))
            {
                return SealOutcome.Refusal(
                    Texts.Current.Say("This event no longer hashes to its stored hash; a broken history is not sealed. Run the verification."),
                    new BrokenLink(e.StreamId, e.Version, e.Sequence, BreakKind.ContentMismatch, Texts.Current.Say("The event no longer hashes to its stored hash.")));
            }

            var leaf = Convert.FromHexString(hash);
            range.Append(leaf);
            tree.Append(leaf);
            leaves.Write(e.Sequence, e.StreamId, e.Version, leaf);
            chunk.Append(leaf);
            if (chunk.Count == AuditTreeChunk.Size)
            {
                chunks.Add(new AuditTreeChunk { Id = tree.Count / AuditTreeChunk.Size, LastSequence = e.Sequence, Hash = Hex(chunk.Root()) });
                chunk = new MerkleTree();
            }
        }

        if (range.Count == 0)
        {
            return SealOutcome.NothingToSeal(Texts.Current.Say("Nothing to seal: the range holds no events."));
        }

        var statement = new SealStatement((last?.Id ?? 0) + 1, from, to.Value, range.Count, Hex(range.Root()), last?.Root,
            tree.Count, Hex(tree.Root()), now, key.PublicKey);
        var seal = AuditSeal.From(statement, statement.Sign(key.Key));
        seal.Frontier = EncodeFrontier(tree);
        await using (var session = store.LightweightSession())
        {
            session.Insert(seal); // a seal with the same number fails here, so seals never overlap
            session.Store<AuditTreeChunk>(chunks);
            await session.SaveChangesAsync(ct).ConfigureAwait(false);
        }

        LogSealed(logger, seal.Id, seal.FromSequence, seal.ToSequence, seal.Count);
        try
        {
            anchor.Commit(seal, leaves);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The seal stands in the store; the next sealing anchors it, and verification reports it unanchored meanwhile.
            LogAnchorFailed(logger, e, seal.Id, anchor.Location);
        }

        return SealOutcome.Sealed(seal);
    }

    /// <summary>
    /// Anchors stored seals the anchor lacks (an anchoring that failed after its seal was stored), each only after
    /// its events are recomputed to its root: a seal whose events changed is never anchored.
    /// </summary>
    private async Task AnchorStoredAsync(CancellationToken ct)
    {
        var anchored = anchor.NewestId() ?? 0;
        foreach (var seal in await ListAsync(anchored, SealPage, ct).ConfigureAwait(false))
        {
            using var leaves = anchor.BeginLeaves();
            var range = new MerkleTree();
            await foreach (var e in reader.BySequenceAsync(seal.FromSequence, seal.ToSequence, options.Value.BatchSize, ct).ConfigureAwait(false))
            {
                var leaf = Convert.FromHexString(e.Recompute(e.Previous));
                range.Append(leaf);
                leaves.Write(e.Sequence, e.StreamId, e.Version, leaf);
            }

            if (range.Count != seal.Count || !string.Equals(Hex(range.Root()), seal.Root, StringComparison.Ordinal))
            {
                LogNotAnchored(logger, seal.Id);
                return;
            }

            anchor.Commit(seal, leaves);
        }
    }

    // The whole tree through the last seal: from its stored frontier when that still has the signed root, else
    // recomputed from the events; null when the events no longer give the signed root.
    private async Task<MerkleTree?> TreeThroughAsync(AuditSeal? last, CancellationToken ct)
    {
        if (last is null)
        {
            return new MerkleTree();
        }

        var fromFrontier = DecodeFrontier(last.Frontier);
        if (fromFrontier is not null && fromFrontier.Count == last.TreeSize && string.Equals(Hex(fromFrontier.Root()), last.TreeRoot, StringComparison.Ordinal))
        {
            return fromFrontier;
        }

        var tree = new MerkleTree();
        await foreach (var e in reader.BySequenceAsync(1, last.ToSequence, options.Value.BatchSize, ct).ConfigureAwait(false))
        {
            tree.Append(Convert.FromHexString(e.Recompute(e.Previous)));
        }

        return tree.Count == last.TreeSize && string.Equals(Hex(tree.Root()), last.TreeRoot, StringComparison.Ordinal) ? tree : null;
    }

    /// <summary>What is sealed and anchored, and what waits: cheap enough for a health probe (one query, one seal file read).</summary>
    public async Task<SealingState> StateAsync(CancellationToken ct)
    {
        var anchored = anchor.Newest();
        var last = await LastAsync(ct).ConfigureAwait(false);
        var through = anchored?.Statement?.ToSequence ?? 0;
        var (count, oldest, _) = await reader.AfterAsync(through, ct).ConfigureAwait(false);
        return new SealingState(anchored?.Id, through, last?.Id, last?.CreatedAt, count, oldest);
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

    /// <summary>Checks an exported seal: its signature, its key, the stored copy, and its roots against the events stored now.</summary>
    public async Task<SealCheck> CheckExportedAsync(SealStatement statement, string signature, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(statement);
        var stored = await LoadAsync(statement.Id, ct).ConfigureAwait(false);
        var extra = new List<string>();
        bool matchesStored;
        if (stored is null)
        {
            matchesStored = false;
            extra.Add(Texts.Current.Say($"The store holds no seal {statement.Id}."));
        }
        else
        {
            matchesStored = stored.ToStatement() == statement && string.Equals(stored.Signature, signature, StringComparison.Ordinal);
            if (!matchesStored)
            {
                extra.Add(Texts.Current.Say($"The stored seal {statement.Id} differs from this export."));
            }
        }

        var recomputation = new SealRecomputation([statement]);
        await foreach (var e in reader.BySequenceAsync(1, statement.ToSequence, options.Value.BatchSize, ct).ConfigureAwait(false))
        {
            recomputation.Add(e.Sequence, Convert.FromHexString(e.Recompute(e.Previous)));
        }

        return Check(statement, signature, matchesStored, extra, recomputation.Finish()[0]);
    }

    /// <summary>
    /// In one pass over the events by sequence: every stored seal recomputed (range and tree roots, chained in
    /// order), the anchored seals read and checked, the store's seal chain compared with the anchored one, every
    /// event compared with the anchored leaves, and the events after the newest anchored seal counted.
    /// </summary>
    public Task<(StoredSealsReport Stored, AnchorReport Anchor)> CheckAllAsync(IProgress<AuditProgress>? progress, CancellationToken ct) =>
        CheckAllAsync(progress, new SequenceSet(), ct);

    /// <summary>
    /// As <see cref="CheckAllAsync(IProgress{AuditProgress}?, CancellationToken)"/>, taking as its leaf the stored hash of
    /// every event in <paramref name="confirmed"/> (whose hash the chains' pass recomputed from the same row and found
    /// equal) instead of hashing it a second time; every other event is hashed from what is stored.
    /// </summary>
    public async Task<(StoredSealsReport Stored, AnchorReport Anchor)> CheckAllAsync(IProgress<AuditProgress>? progress, SequenceSet confirmed, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(confirmed);
        var stored = new List<AuditSeal>();
        while (true)
        {
            var page = await ListAsync(stored.Count == 0 ? 0 : stored[^1].Id, SealPage, ct).ConfigureAwait(false);
            stored.AddRange(page);
            if (page.Count < SealPage)
            {
                break;
            }
        }

        var problems = new List<string>();
        var anchored = ReadAnchoredChain(problems);
        CompareChains(stored, anchored, problems);

        var recomputation = new SealRecomputation(stored.Select(s => s.ToStatement()).Concat(anchored.Select(a => a.Statement)).ToList());
        var comparison = new AnchoredComparison(anchor, anchored, ct);
        var through = anchored.Count == 0 ? 0 : anchored[^1].Statement.ToSequence;
        long unsealed = 0, walked = 0;
        long? unsealedFrom = null, unsealedTo = null;
        await foreach (var e in reader.BySequenceAsync(1, long.MaxValue, options.Value.BatchSize, ct).ConfigureAwait(false))
        {
            var leaf = Convert.FromHexString(confirmed.Contains(e.Sequence) ? e.Hash! : e.Recompute(e.Previous));
            recomputation.Add(e.Sequence, leaf);
            await comparison.AddAsync(e, leaf).ConfigureAwait(false);
            if (e.Sequence > through)
            {
                unsealed++;
                unsealedFrom ??= e.Sequence;
                unsealedTo = e.Sequence;
            }

            if (++walked % options.Value.BatchSize == 0)
            {
                progress?.Report(new AuditProgress("seals", walked, 0));
            }
        }

        await comparison.FinishAsync().ConfigureAwait(false);
        var recomputed = recomputation.Finish();
        problems.AddRange(comparison.Problems);

        var failed = new List<SealCheck>();
        AuditSeal? previous = null;
        for (var i = 0; i < stored.Count; i++)
        {
            var seal = stored[i];
            var extra = new List<string>();
            var expectedId = (previous?.Id ?? 0) + 1;
            if (seal.Id != expectedId)
            {
                extra.Add(Texts.Current.Say($"Seal {expectedId} is missing."));
            }
            else if (seal.FromSequence != (previous?.ToSequence ?? 0) + 1 || !string.Equals(seal.PreviousRoot, previous?.Root, StringComparison.Ordinal))
            {
                extra.Add(Texts.Current.Say("The seal does not start where the seal before it ended, or does not name its root."));
            }

            var check = Check(seal.ToStatement(), seal.Signature, null, extra, recomputed[i]);
            if (!check.Intact && failed.Count < options.Value.MaxReported)
            {
                failed.Add(check);
            }

            previous = seal;
        }

        for (var i = 0; i < anchored.Count; i++)
        {
            var (count, root, treeSize, treeRoot) = recomputed[stored.Count + i];
            var statement = anchored[i].Statement;
            if (count != statement.Count || root != statement.Root || treeSize != statement.TreeSize || treeRoot != statement.TreeRoot)
            {
                problems.Add(Texts.Current.Say($"The events stored now do not give the roots of anchored seal {statement.Id}: {count} events in its range (sealed {statement.Count}), {treeSize} up to it (sealed {statement.TreeSize})."));
                break; // the first anchored seal that fails says it; later ones follow from it
            }
        }

        if (failed.Count > 0)
        {
            LogSealsFailed(logger, failed.Count, stored.Count);
        }

        var newest = anchored.Count == 0 ? null : anchored[^1].Statement;
        var notAnchored = stored.Where(s => s.Id > (newest?.Id ?? 0)).Select(s => s.Id).ToList();
        var report = new AnchorReport(anchor.Location, problems.Count == 0, anchored.Count, newest?.Id, newest?.ToSequence, problems,
            comparison.Differing, comparison.First, unsealed, unsealedFrom, unsealedTo, notAnchored);
        return (new StoredSealsReport(stored.Count, failed, stored.LastOrDefault()), report);
    }

    /// <summary>The anchored seals that form an unbroken, signed chain from seal 1; each break ends it, with its reason.</summary>
    private List<(SealStatement Statement, string Signature)> ReadAnchoredChain(List<string> problems)
    {
        var chain = new List<(SealStatement Statement, string Signature)>();
        foreach (var found in anchor.ReadAll())
        {
            var expected = chain.Count + 1;
            var previous = chain.Count == 0 ? null : chain[^1].Statement;
            string? problem = null;
            if (found.Id != expected)
            {
                problem = Texts.Current.Say($"Anchored seal {expected} is missing from the anchor (the next file is seal {found.Id}).");
            }
            else if (found.Statement is null || found.Signature is null)
            {
                problem = Texts.Current.Say($"Anchored seal {found.Id} cannot be read: {found.Problem}");
            }
            else if (!found.Statement.IsSignedBy(found.Signature))
            {
                problem = Texts.Current.Say($"Anchored seal {found.Id}: the signature does not verify.");
            }
            else if (!TrustedKeys().Contains(found.Statement.PublicKey, StringComparer.Ordinal))
            {
                problem = Texts.Current.Say($"Anchored seal {found.Id} is signed by a key this system does not trust.");
            }
            else if (found.Statement.FromSequence != (previous?.ToSequence ?? 0) + 1 || !string.Equals(found.Statement.PreviousRoot, previous?.Root, StringComparison.Ordinal))
            {
                problem = Texts.Current.Say($"Anchored seal {found.Id} does not start where anchored seal {expected - 1} ended, or does not name its root.");
            }
            else if (!anchor.HasLeaves(found.Id))
            {
                problem = Texts.Current.Say($"The leaves file of anchored seal {found.Id} is missing.");
            }

            if (problem is not null)
            {
                problems.Add(problem);
                break;
            }

            chain.Add((found.Statement!, found.Signature!));
        }

        return chain;
    }

    /// <summary>The store's seal chain against the anchored one: missing (all, or some: shorter), or forked (a stored seal differs).</summary>
    private void CompareChains(List<AuditSeal> stored, List<(SealStatement Statement, string Signature)> anchored, List<string> problems)
    {
        if (anchored.Count == 0)
        {
            if (stored.Count > 0)
            {
                problems.Add(Texts.Current.Say($"The anchor at {anchor.Location} holds no seal while the store holds {stored.Count}: the store cannot be compared with anything outside the database (is Merit:Audit:AnchorDirectory right?)."));
            }

            return;
        }

        var byId = stored.ToDictionary(s => s.Id);
        var missing = new List<long>();
        foreach (var (statement, signature) in anchored)
        {
            if (!byId.TryGetValue(statement.Id, out var seal))
            {
                missing.Add(statement.Id);
            }
            else if (seal.ToStatement() != statement || !string.Equals(seal.Signature, signature, StringComparison.Ordinal))
            {
                problems.Add(Texts.Current.Say($"The store's seal chain forks from the anchored one at seal {statement.Id}: the stored seal {statement.Id} differs from the anchored one."));
                break;
            }
        }

        if (missing.Count == anchored.Count)
        {
            problems.Add(stored.Count == 0
                ? Texts.Current.Say($"The store's seal chain is missing: {anchored.Count} seal(s) are anchored, the store holds none.")
                : Texts.Current.Say($"The store's seal chain is missing: {anchored.Count} seal(s) are anchored, the store holds none of them."));
        }
        else if (missing.Count > 0 && missing[0] > stored.Max(s => s.Id))
        {
            problems.Add(Texts.Current.Say($"The store's seal chain is shorter than the anchored one: it ends at seal {stored.Max(s => s.Id)}, the anchor at seal {anchored[^1].Statement.Id}."));
        }
        else if (missing.Count > 0)
        {
            problems.Add(Texts.Current.Say($"The store lacks anchored seal(s) {string.Join(", ", missing.Take(10))}."));
        }
    }

    private SealCheck Check(SealStatement statement, string signature, bool? matchesStored, List<string> problems, (long Count, string Root, long TreeSize, string TreeRoot) now)
    {
        var signatureValid = statement.IsSignedBy(signature);
        var trusted = TrustedKeys().Contains(statement.PublicKey, StringComparer.Ordinal);
        if (!signatureValid)
        {
            problems.Add(Texts.Current.Say("The signature does not verify."));
        }

        if (!trusted)
        {
            problems.Add(Texts.Current.Say("The seal is signed by a key this system does not trust."));
        }

        if (now.Count != statement.Count)
        {
            problems.Add(Texts.Current.Say($"The range holds {now.Count} events now; {statement.Count} were sealed."));
        }

        if (!string.Equals(now.Root, statement.Root, StringComparison.Ordinal))
        {
            problems.Add(Texts.Current.Say("The Merkle root of the range differs: the events stored now are not those sealed."));
        }

        if (now.TreeSize != statement.TreeSize || !string.Equals(now.TreeRoot, statement.TreeRoot, StringComparison.Ordinal))
        {
            problems.Add(Texts.Current.Say($"The tree root up to this seal differs ({now.TreeSize} events now, {statement.TreeSize} sealed): the events up to it are not those sealed."));
        }

        return new SealCheck(statement.Id, statement.FromSequence, statement.ToSequence, problems.Count == 0, signatureValid, trusted, matchesStored,
            statement.Count, now.Count, statement.Root, now.Root, problems);
    }

    private IEnumerable<string> TrustedKeys() =>
        (options.Value.TrustedPublicKeys ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Append(key.PublicKey);

    private static List<string> EncodeFrontier(MerkleTree tree) =>
        tree.Frontier.Select(n => string.Create(CultureInfo.InvariantCulture, $"{n.Size}:{Hex(n.Hash)}")).ToList();

    private static MerkleTree? DecodeFrontier(List<string>? encoded)
    {
        try
        {
            return encoded is null ? null : new MerkleTree(encoded.Select(n => n.Split(':')).Select(p => (Convert.FromHexString(p[1]), long.Parse(p[0], CultureInfo.InvariantCulture))));
        }
        catch (Exception e) when (e is FormatException or ArgumentException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Audit seal {Id} created over sequences {From} to {To} ({Count} events)")]
    private static partial void LogSealed(ILogger logger, long id, long from, long to, long count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Audit seal {Id} is stored but could not be anchored in {Location}; the next sealing retries")]
    private static partial void LogAnchorFailed(ILogger logger, Exception exception, long id, string location);

    [LoggerMessage(Level = LogLevel.Error, Message = "Audit seal {Id} is not anchored: its events no longer give its root. Run the verification")]
    private static partial void LogNotAnchored(ILogger logger, long id);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Failed} of {Checked} audit seals no longer match the stored events")]
    private static partial void LogSealsFailed(ILogger logger, long failed, long @checked);

    /// <summary>
    /// Range and tree roots of many seals from one pass over the leaves in sequence order: a range tree per seal
    /// while the pass is inside its range, and the whole tree's root captured as the pass leaves each seal's end.
    /// </summary>
    private sealed class SealRecomputation(IReadOnlyList<SealStatement> statements)
    {
        private readonly MerkleTree whole = new();
        private readonly MerkleTree[] ranges = statements.Select(_ => new MerkleTree()).ToArray();
        private readonly (long Size, string Root)?[] trees = new (long, string)?[statements.Count];

        public void Add(long sequence, byte[] leaf)
        {
            Capture(sequence);
            whole.Append(leaf);
            for (var i = 0; i < statements.Count; i++)
            {
                if (sequence >= statements[i].FromSequence && sequence <= statements[i].ToSequence)
                {
                    ranges[i].Append(leaf);
                }
            }
        }

        public List<(long Count, string Root, long TreeSize, string TreeRoot)> Finish()
        {
            Capture(long.MaxValue);
            return statements.Select((_, i) => (ranges[i].Count, Hex(ranges[i].Root()), trees[i]!.Value.Size, trees[i]!.Value.Root)).ToList();
        }

        // Before a leaf beyond a seal's end joins the tree, the tree is the one that seal signed.
        private void Capture(long sequence)
        {
            string? root = null;
            for (var i = 0; i < statements.Count; i++)
            {
                if (trees[i] is null && sequence > statements[i].ToSequence)
                {
                    root ??= Hex(whole.Root());
                    trees[i] = (whole.Count, root);
                }
            }
        }
    }

    /// <summary>
    /// The stored events merged, by sequence, with the leaves of the anchored seals: each sealed event still stored
    /// with the same chain hash, none deleted, none inserted inside a sealed range; and each leaves file hashing to
    /// its signed root.
    /// </summary>
    private sealed class AnchoredComparison(AuditAnchor anchor, List<(SealStatement Statement, string Signature)> seals, CancellationToken ct)
    {
        private readonly long through = seals.Count == 0 ? 0 : seals[^1].Statement.ToSequence;
        private IAsyncEnumerator<(int Seal, AnchoredLeaf Leaf)>? leaves;
        private (int Seal, AnchoredLeaf Leaf)? next;
        private int currentSeal = -1;
        private MerkleTree currentTree = new();
        private readonly HashSet<int> closed = [];
        private bool started;

        public List<string> Problems { get; } = [];

        public long Differing { get; private set; }

        public AnchoredDifference? First { get; private set; }

        public async Task AddAsync(StoredEvent e, byte[] leaf)
        {
            if (seals.Count == 0)
            {
                return;
            }

            await StartAsync().ConfigureAwait(false);
            while (next is { } pending && pending.Leaf.Sequence < e.Sequence)
            {
                Differ(pending.Leaf.Sequence, pending.Leaf.StreamId, pending.Leaf.Version, "Deleted",
                    Texts.Current.Say($"Sealed in seal {seals[pending.Seal].Statement.Id}, no longer stored."));
                await AdvanceAsync().ConfigureAwait(false);
            }

            if (next is { } same && same.Leaf.Sequence == e.Sequence)
            {
                if (!same.Leaf.Leaf.AsSpan().SequenceEqual(leaf) || same.Leaf.StreamId != e.StreamId || same.Leaf.Version != e.Version)
                {
                    Differ(e.Sequence, e.StreamId, e.Version, "Changed", Texts.Current.Say($"Its chain hash recomputed from what is stored now is not the one sealed in seal {seals[same.Seal].Statement.Id} (sealed as stream {same.Leaf.StreamId} version {same.Leaf.Version})."));
                }

                await AdvanceAsync().ConfigureAwait(false);
            }
            else if (e.Sequence <= through)
            {
                Differ(e.Sequence, e.StreamId, e.Version, "Inserted", Texts.Current.Say("Stored inside a sealed range, but no seal covers it."));
            }
        }

        public async Task FinishAsync()
        {
            if (seals.Count == 0)
            {
                return;
            }

            await StartAsync().ConfigureAwait(false);
            while (next is { } pending)
            {
                Differ(pending.Leaf.Sequence, pending.Leaf.StreamId, pending.Leaf.Version, "Deleted",
                    Texts.Current.Say($"Sealed in seal {seals[pending.Seal].Statement.Id}, no longer stored."));
                await AdvanceAsync().ConfigureAwait(false);
            }

            CloseSeal();
            if (leaves is not null)
            {
                await leaves.DisposeAsync().ConfigureAwait(false);
            }

            foreach (var empty in Enumerable.Range(0, seals.Count).Where(i => !closed.Contains(i)))
            {
                Problems.Add(Texts.Current.Say($"The leaves file of anchored seal {seals[empty].Statement.Id} holds no leaves: the anchor is damaged."));
            }

            if (First is { } first)
            {
                Problems.Insert(0, string.Create(CultureInfo.InvariantCulture,
                    $"{Differing} event(s) differ from the anchored seals; first: sequence {first.Sequence}, stream {first.StreamId} version {first.Version}: {first.Kind}. {first.Detail}"));
            }
        }

        private void Differ(long sequence, Guid stream, long version, string kind, string detail)
        {
            Differing++;
            First ??= new AnchoredDifference(sequence, stream, version, kind, detail);
        }

        private async Task StartAsync()
        {
            if (!started)
            {
                started = true;
                leaves = All().GetAsyncEnumerator(ct);
                await AdvanceAsync().ConfigureAwait(false);
            }
        }

        private async Task AdvanceAsync()
        {
            next = await leaves!.MoveNextAsync().ConfigureAwait(false) ? leaves.Current : null;
            if (next is { } n)
            {
                if (n.Seal != currentSeal)
                {
                    CloseSeal();
                    currentSeal = n.Seal;
                    currentTree = new MerkleTree();
                }

                currentTree.Append(n.Leaf.Leaf);
            }
        }

        // A leaves file must hash to its seal's signed root, or it proves nothing about the events.
        private void CloseSeal()
        {
            if (currentSeal < 0)
            {
                return;
            }

            var statement = seals[currentSeal].Statement;
            if (currentTree.Count != statement.Count || !string.Equals(Hex(currentTree.Root()), statement.Root, StringComparison.Ordinal))
            {
                Problems.Add(Texts.Current.Say($"The leaves file of anchored seal {statement.Id} does not hash to its signed root: the anchor is damaged."));
            }

            closed.Add(currentSeal);
            currentSeal = -1;
        }

        private async IAsyncEnumerable<(int Seal, AnchoredLeaf Leaf)> All()
        {
            for (var i = 0; i < seals.Count; i++)
            {
                await foreach (var leaf in anchor.LeavesAsync(seals[i].Statement.Id, ct).ConfigureAwait(false))
                {
                    yield return (i, leaf);
                }
            }
        }
    }
}
