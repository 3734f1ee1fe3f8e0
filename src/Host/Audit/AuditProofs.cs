using Merit.Localization;
using System.Globalization;
using System.Text.Json.Nodes;
using Marten;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Merit.Audit;

/// <summary>An event as a proof carries it: everything its chain hash covers, its previous hash and its hash.</summary>
/// <param name="Timestamp">UTC at microseconds, as hashed: <c>2026-11-22T08:00:00.123456Z</c>.</param>
/// <param name="Data">The event data as stored (no personal data: ADR 4).</param>
public sealed record ProvenEvent(
    long Sequence,
    Guid Stream,
    long Version,
    string Type,
    string Timestamp,
    JsonNode? Data,
    string? User,
    string? Correlation,
    string? Causation,
    string? Prev,
    string? Hash)
{
    public static ProvenEvent From(StoredEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new(e.Sequence, e.StreamId, e.Version, e.Type, EventChain.FormatTimestamp(e.Timestamp), JsonNode.Parse(e.Data), e.UserName, e.CorrelationId, e.CausationId, e.Previous,
            e.IsWellFormedTombstone ? e.Recompute(null) : e.Hash);
    }

    /// <summary>What the chain hash covers, as <see cref="EventChain.Link"/> takes it.</summary>
    public ChainedEvent Content() =>
        new(Type, EventChain.FormatStreamId(Stream), Version, DateTimeOffset.Parse(Timestamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
            Data?.ToJsonString() ?? "null", User, Correlation, Causation);
}

/// <summary>
/// An RFC 6962 audit path from an event to the tree root a seal signed (docs/adr/0044): hash the event onto
/// <c>event.prev</c>, check it is <c>event.hash</c>, hash that as leaf <see cref="LeafIndex"/> up the path, and compare
/// with <c>seal.treeRoot</c>; then check the seal's signature and key.
/// </summary>
public sealed record InclusionProof(string Format, ExportedSeal Seal, long LeafIndex, long TreeSize, ProvenEvent Event, IReadOnlyList<string> Path)
{
    public const string Name = "merit-inclusion/1";
}

/// <summary>An RFC 6962 consistency proof: the tree <see cref="Second"/> signed extends the tree <see cref="First"/> signed.</summary>
public sealed record ConsistencyProof(string Format, ExportedSeal First, ExportedSeal Second, IReadOnlyList<string> Proof)
{
    public const string Name = "merit-consistency/1";
}

/// <summary>
/// An applicant's own decisions proven to one signed root: every event of the application's stream, and the
/// formation's round-wide decisions (SKD cut-off, final result) whose lists name the application.
/// </summary>
public sealed record ApplicantProofs(Guid ApplicationId, ExportedSeal Seal, IReadOnlyList<InclusionProof> Decisions);

/// <summary>A proof, or why there is none: <see cref="NotFound"/> for an unknown seal or event, else not yet sealed or not provable.</summary>
public sealed record ProofOutcome<T>(T? Proof, string? Problem, bool NotFound)
    where T : class;

/// <summary>
/// Produces inclusion and consistency proofs against the stored seals' tree roots (docs/adr/0044). Each proof node is
/// the tree hash of a run of leaves (the stored chain hashes): a run of whole chunks is hashed from the chunks' subtree
/// hashes (<see cref="AuditTreeChunk"/>, kept by the sealing; any missing are hashed once, after the last kept), a shorter run from the at
/// most <see cref="AuditTreeChunk.Size"/> leaves of its chunk. A proof so built is checked against the seal's signed
/// root before it is given out; when it does not lead there, it is built again from every leaf streamed once in
/// sequence order (<see cref="RangeHasher"/>), which is what the events stored now give.
/// </summary>
public sealed partial class AuditProofs(IDocumentStore store, AuditSeals seals, AuditEventReader reader, IOptions<AuditOptions> options, ILogger<AuditProofs> logger)
{
    // Chunks written per transaction while catching up with a seal.
    private const int ChunksPerWrite = 500;

    private string Schema => store.Options.Events.DatabaseSchemaName;

    /// <summary>The tree of seal <paramref name="to"/> extends the tree of seal <paramref name="from"/>.</summary>
    public async Task<ProofOutcome<ConsistencyProof>> ConsistencyAsync(long from, long to, CancellationToken ct)
    {
        if (from > to)
        {
            return new(null, Texts.Current.Say("The first seal must come before the second."), false);
        }

        var first = await seals.LoadAsync(from, ct).ConfigureAwait(false);
        var second = await seals.LoadAsync(to, ct).ConfigureAwait(false);
        if (first is null || second is null)
        {
            return new(null, Texts.Current.Say($"No seal {(first is null ? from : to)}."), true);
        }

        var (firstRoot, secondRoot) = (Convert.FromHexString(first.TreeRoot), Convert.FromHexString(second.TreeRoot));
        var nodes = await NodesAsync(
            [MerkleProof.ConsistencyRanges(first.TreeSize, second.TreeSize)],
            second,
            built => MerkleProof.VerifyConsistency(first.TreeSize, second.TreeSize, firstRoot, secondRoot, built[0]),
            ct).ConfigureAwait(false);
        return new(new ConsistencyProof(ConsistencyProof.Name, first.Export(), second.Export(), Hex(nodes[0])), null, false);
    }

    /// <summary>The event at <paramref name="sequence"/> in the tree of seal <paramref name="sealId"/> (by default the newest).</summary>
    public async Task<ProofOutcome<InclusionProof>> EventAsync(long sequence, long? sealId, CancellationToken ct)
    {
        var outcome = await ProveAsync([sequence], sealId, ct).ConfigureAwait(false);
        return outcome.Proofs is [var proof] ? new(proof, null, false) : new(null, outcome.Problem, outcome.NotFound);
    }

    /// <summary>The application's own events and the round-wide decisions naming it, all in the tree of one seal.</summary>
    public async Task<ProofOutcome<ApplicantProofs>> ApplicationAsync(Guid applicationId, long? sealId, CancellationToken ct)
    {
        var sequences = await DecisionSequencesAsync(applicationId, ct).ConfigureAwait(false);
        if (sequences.Count == 0)
        {
            return new(null, Texts.Current.Say($"No application {applicationId}."), true);
        }

        var outcome = await ProveAsync(sequences, sealId, ct).ConfigureAwait(false);
        return outcome.Proofs is { } proofs
            ? new(new ApplicantProofs(applicationId, proofs[0].Seal, proofs), null, false)
            : new(null, outcome.Problem, outcome.NotFound);
    }

    private async Task<(IReadOnlyList<InclusionProof>? Proofs, string? Problem, bool NotFound)> ProveAsync(List<long> sequences, long? sealId, CancellationToken ct)
    {
        var seal = sealId is { } id ? await seals.LoadAsync(id, ct).ConfigureAwait(false) : await seals.LastAsync(ct).ConfigureAwait(false);
        if (seal is null)
        {
            return (null, sealId is null ? Texts.Current.Say("Nothing is sealed yet.") : Texts.Current.Say($"No seal {sealId}."), sealId is not null);
        }

        var events = new List<StoredEvent>();
        foreach (var sequence in sequences)
        {
            await foreach (var e in reader.BySequenceAsync(sequence, sequence, 1, ct).ConfigureAwait(false))
            {
                events.Add(e);
            }
        }

        if (events.Count < sequences.Count)
        {
            return (null, Texts.Current.Say("No event at that sequence number."), true);
        }

        if (events.FirstOrDefault(e => e.Sequence > seal.ToSequence) is { } unsealed)
        {
            return (null, Texts.Current.Say($"Event {unsealed.Sequence} is not sealed yet: seal {seal.Id} ends at sequence {seal.ToSequence}. Seal, then ask again."), false);
        }

        var indexes = await LeafIndexesAsync(sequences, ct).ConfigureAwait(false);
        var proven = events.Select(ProvenEvent.From).ToList();
        var root = Convert.FromHexString(seal.TreeRoot);
        var nodes = await NodesAsync(
            indexes.Select(i => MerkleProof.InclusionRanges(i, seal.TreeSize)).ToList(),
            seal,
            built => proven.Select((e, i) => EventChain.IsHash(e.Hash)
                && MerkleProof.RootFromInclusion(MerkleProof.LeafHash(Convert.FromHexString(e.Hash!)), indexes[i], seal.TreeSize, built[i]) is { } reached
                && reached.AsSpan().SequenceEqual(root)).All(leads => leads),
            ct).ConfigureAwait(false);
        var exported = seal.Export();
        return (proven.Select((e, i) => new InclusionProof(InclusionProof.Name, exported, indexes[i], seal.TreeSize, e, Hex(nodes[i]))).ToList(), null, false);
    }

    /// <summary>
    /// The nodes of each proof (the tree hashes of its runs) in the tree of <paramref name="seal"/>: from the chunks
    /// when what they give passes <paramref name="leadsToRoot"/>, else from every leaf up to the seal.
    /// </summary>
    private async Task<IReadOnlyList<IReadOnlyList<byte[]>>> NodesAsync(IReadOnlyList<IReadOnlyList<LeafRange>> proofs, AuditSeal seal, Func<IReadOnlyList<IReadOnlyList<byte[]>>, bool> leadsToRoot, CancellationToken ct)
    {
        if (await FromChunksAsync(proofs, seal, ct).ConfigureAwait(false) is { } fromChunks)
        {
            if (leadsToRoot(fromChunks))
            {
                return fromChunks;
            }

            LogChunksMissRoot(logger, seal.Id);
        }

        var hashers = proofs.Select(ranges => new RangeHasher(ranges)).ToList();
        await FeedAsync(hashers, seal.ToSequence, ct).ConfigureAwait(false);
        return hashers.Select(h => h.Hashes()).ToList();
    }

    // Null when the events below the seal are fewer than its tree holds: the streamed proof then says what they give.
    private async Task<List<IReadOnlyList<byte[]>>?> FromChunksAsync(IReadOnlyList<IReadOnlyList<LeafRange>> proofs, AuditSeal seal, CancellationToken ct)
    {
        const int size = AuditTreeChunk.Size;
        var whole = seal.TreeSize / size;
        var chunks = await ChunksAsync(whole, seal.ToSequence, ct).ConfigureAwait(false);
        if (chunks is null)
        {
            return null;
        }

        // A run shorter than a chunk lies inside one (RFC 6962's runs start at a multiple of their size rounded up to
        // a power of two): its chunk's leaves are read once, whichever proofs need them.
        var leavesOf = new Dictionary<long, List<byte[]>>();
        async Task<List<byte[]>> LeavesAsync(long chunk)
        {
            if (!leavesOf.TryGetValue(chunk, out var leaves))
            {
                var count = chunk < whole ? size : seal.TreeSize - (whole * size);
                leaves = new List<byte[]>((int)count);
                await foreach (var (_, leaf) in reader.LeavesAsync(chunk == 0 ? 0 : chunks[(int)chunk - 1].LastSequence, seal.ToSequence, (int)count, ct).ConfigureAwait(false))
                {
                    leaves.Add(leaf);
                    if (leaves.Count == count)
                    {
                        break;
                    }
                }

                leavesOf[chunk] = leaves;
            }

            return leaves;
        }

        var built = new List<IReadOnlyList<byte[]>>(proofs.Count);
        foreach (var ranges in proofs)
        {
            var nodes = new List<byte[]>(ranges.Count);
            foreach (var (start, end) in ranges)
            {
                var tree = new MerkleTree();
                if (end - start >= size)
                {
                    for (var chunk = start / size; chunk < end / size; chunk++)
                    {
                        tree.AppendSubtree(Convert.FromHexString(chunks[(int)chunk].Hash), size);
                    }

                    foreach (var leaf in end % size == 0 ? [] : (await LeavesAsync(end / size).ConfigureAwait(false)).Take((int)(end % size)))
                    {
                        tree.Append(leaf);
                    }
                }
                else
                {
                    var leaves = await LeavesAsync(start / size).ConfigureAwait(false);
                    foreach (var leaf in leaves.Skip((int)(start % size)).Take((int)(end - start)))
                    {
                        tree.Append(leaf);
                    }
                }

                if (tree.Count != end - start)
                {
                    return null;
                }

                nodes.Add(tree.Root());
            }

            built.Add(nodes);
        }

        return built;
    }

    /// <summary>
    /// The first <paramref name="whole"/> chunks of the tree, hashing and storing those not kept yet from the leaves
    /// after the last one kept; null when the leaves up to <paramref name="through"/> are too few for them.
    /// </summary>
    private async Task<List<AuditTreeChunk>?> ChunksAsync(long whole, long through, CancellationToken ct)
    {
        List<AuditTreeChunk> chunks;
        await using (var session = store.QuerySession())
        {
            var kept = await session.Query<AuditTreeChunk>().Where(c => c.Id <= whole).OrderBy(c => c.Id).ToListAsync(ct).ConfigureAwait(false);
            chunks = kept.TakeWhile((chunk, i) => chunk.Id == i + 1).ToList();
        }

        if (chunks.Count == whole)
        {
            return chunks;
        }

        var fresh = new List<AuditTreeChunk>();
        var tree = new MerkleTree();
        await foreach (var (sequence, leaf) in reader.LeavesAsync(chunks.Count == 0 ? 0 : chunks[^1].LastSequence, through, options.Value.BatchSize * 10, ct).ConfigureAwait(false))
        {
            tree.Append(leaf);
            if (tree.Count < AuditTreeChunk.Size)
            {
                continue;
            }

            var chunk = new AuditTreeChunk { Id = chunks.Count + 1, LastSequence = sequence, Hash = Convert.ToHexStringLower(tree.Root()) };
            chunks.Add(chunk);
            fresh.Add(chunk);
            tree = new MerkleTree();
            if (fresh.Count == ChunksPerWrite || chunks.Count == whole)
            {
                await KeepAsync(fresh, ct).ConfigureAwait(false);
                fresh.Clear();
            }

            if (chunks.Count == whole)
            {
                break;
            }
        }

        await KeepAsync(fresh, ct).ConfigureAwait(false);
        return chunks.Count == whole ? chunks : null;
    }

    // Two proofs catching up at once write the same chunks: the same hashes, stored twice.
    private async Task KeepAsync(List<AuditTreeChunk> chunks, CancellationToken ct)
    {
        if (chunks.Count == 0)
        {
            return;
        }

        await using var session = store.LightweightSession();
        session.Store<AuditTreeChunk>(chunks);
        await session.SaveChangesAsync(ct).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The kept chunk hashes do not lead to the root of seal {SealId}: its proof is built from the events")]
    private static partial void LogChunksMissRoot(ILogger logger, long sealId);

    // One pass over the leaves up to the seal's end, handing each to every proof being built.
    private async Task FeedAsync(IReadOnlyList<RangeHasher> hashers, long through, CancellationToken ct)
    {
        var end = hashers.Max(h => h.End);
        if (end == 0)
        {
            return; // a proof between equal trees, or in a tree of one leaf, has no nodes
        }

        long position = 0;
        await foreach (var (_, leaf) in reader.LeavesAsync(0, through, options.Value.BatchSize * 10, ct).ConfigureAwait(false))
        {
            foreach (var hasher in hashers)
            {
                hasher.Append(leaf);
            }

            if (++position >= end)
            {
                break;
            }
        }
    }

    // A leaf's index is how many events lie below it: one scan of the sequence index for all of them.
    internal async Task<List<long>> LeafIndexesAsync(IReadOnlyList<long> sequences, CancellationToken ct)
    {
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct).ConfigureAwait(false);
        var counts = string.Join(", ", sequences.Select((_, i) => string.Create(CultureInfo.InvariantCulture, $"count(*) filter (where seq_id < @s{i})")));
        await using var command = new NpgsqlCommand($"select {counts} from {Schema}.mt_events where seq_id < @max", connection);
        for (var i = 0; i < sequences.Count; i++)
        {
            command.Parameters.AddWithValue(string.Create(CultureInfo.InvariantCulture, $"s{i}"), sequences[i]);
        }

        command.Parameters.AddWithValue("max", sequences.Max());
        await using var result = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        await result.ReadAsync(ct).ConfigureAwait(false);
        return sequences.Select((_, i) => result.GetInt64(i)).ToList();
    }

    /// <summary>The application's stream, then its formation's cut-off and final decisions whose entries name it, by sequence.</summary>
    public async Task<List<long>> DecisionSequencesAsync(Guid applicationId, CancellationToken ct)
    {
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(
            $"select seq_id from (select seq_id, 0 as part, version from {Schema}.mt_events where stream_id = @id " +
            $"union all select seq_id, 1, version from {Schema}.mt_events where stream_id = " +
            $"(select (data ->> 'FormationId')::uuid from {Schema}.mt_events where stream_id = @id and version = 1 and type = 'applicant_registered') " +
            "and type in ('skd_cut_off_decided', 'final_result_decided') and data -> 'Entries' @> jsonb_build_array(jsonb_build_object('ApplicationId', @id::text))) d " +
            "order by part, version",
            connection);
        command.Parameters.AddWithValue("id", applicationId);
        var sequences = new List<long>();
        await using var result = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await result.ReadAsync(ct).ConfigureAwait(false))
        {
            sequences.Add(result.GetInt64(0));
        }

        return sequences;
    }

    private static List<string> Hex(IReadOnlyList<byte[]> nodes) => nodes.Select(Convert.ToHexStringLower).ToList();
}
