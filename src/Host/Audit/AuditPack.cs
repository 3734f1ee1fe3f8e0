using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace Merit.Audit;

/// <summary>What an audit pack holds.</summary>
public sealed record PackWritten(long Events, long Seals, long Proofs);

/// <summary>
/// <c>merit audit export</c>: the offline auditor pack (docs/audit-pack.md) — one JSON Lines file with the public
/// keys, every seal, every event in sequence order (pseudonymous: events carry no personal data, ADR 4), a consistency
/// proof between each two consecutive seals, and inclusion proofs for the last event of each seal and for an
/// application's decisions when one is named. Verifiable with <c>merit-verify</c> (tools/Merit.Verify) or any
/// verifier written from the format, without the server or PostgreSQL. Written in one pass over the events: the
/// proofs' nodes are hashed from the events' chain hashes as they are written.
/// </summary>
public sealed class AuditPack(AuditSeals seals, AuditEventReader reader, AuditProofs proofs, AuditSealingKey key, IOptions<AuditOptions> options, TimeProvider clock)
{
    public const string Format = "merit-audit-pack/1";

    public async Task<PackWritten> WriteAsync(Stream output, Guid? application, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(output);
        await using var writer = new StreamWriter(output, new UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
        var all = new List<AuditSeal>();
        while (true)
        {
            var page = await seals.ListAsync(all.Count == 0 ? 0 : all[^1].Id, 500, ct).ConfigureAwait(false);
            all.AddRange(page);
            if (page.Count < 500)
            {
                break;
            }
        }

        await LineAsync(writer, new JsonObject { ["kind"] = "header", ["format"] = Format, ["chain"] = EventChain.Scheme, ["seal"] = SealStatement.Format, ["createdAt"] = EventChain.FormatTimestamp(clock.GetUtcNow()) }).ConfigureAwait(false);
        foreach (var publicKey in (options.Value.TrustedPublicKeys ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Prepend(key.PublicKey).Distinct(StringComparer.Ordinal))
        {
            await LineAsync(writer, new JsonObject { ["kind"] = "key", ["publicKey"] = publicKey }).ConfigureAwait(false);
        }

        foreach (var seal in all)
        {
            await LineAsync(writer, new JsonObject { ["kind"] = "seal", ["seal"] = seal.Export().ToJson() }).ConfigureAwait(false);
        }

        // The proofs to build while the events stream past: consistency between consecutive seals, inclusion in the newest.
        var newest = all.LastOrDefault();
        var consistency = all.Zip(all.Skip(1), (first, second) => (First: first, Second: second, Hasher: new RangeHasher(MerkleProof.ConsistencyRanges(first.TreeSize, second.TreeSize)))).ToList();
        var proven = new List<long>();
        if (newest is not null)
        {
            proven.AddRange(all.Select(s => s.ToSequence));
            if (application is { } id)
            {
                proven.AddRange((await proofs.DecisionSequencesAsync(id, ct).ConfigureAwait(false)).Where(s => s <= newest.ToSequence));
            }
        }

        proven = proven.Distinct().Order().ToList();
        var indexes = proven.Count == 0 ? [] : await proofs.LeafIndexesAsync(proven, ct).ConfigureAwait(false);
        var inclusion = proven.Select((sequence, i) => (Sequence: sequence, Index: indexes[i], Hasher: new RangeHasher(MerkleProof.InclusionRanges(indexes[i], newest!.TreeSize)), Event: (StoredEvent?)null)).ToList();
        var hashers = consistency.Select(c => c.Hasher).Concat(inclusion.Select(i => i.Hasher)).ToList();

        long events = 0;
        var next = 0;
        await foreach (var e in reader.BySequenceAsync(1, long.MaxValue, options.Value.BatchSize, ct).ConfigureAwait(false))
        {
            await LineAsync(writer, new JsonObject { ["kind"] = "event", ["event"] = EventJson(e) }).ConfigureAwait(false);
            events++;
            if (newest is not null && e.Sequence <= newest.ToSequence)
            {
                // The leaf as proofs take it: the stored chain hash, or a tombstone's hashed content.
                var leaf = Convert.FromHexString(EventChain.IsHash(e.Hash) ? e.Hash! : e.Recompute(e.Previous));
                foreach (var hasher in hashers)
                {
                    hasher.Append(leaf);
                }
            }

            while (next < inclusion.Count && inclusion[next].Sequence <= e.Sequence)
            {
                if (inclusion[next].Sequence == e.Sequence)
                {
                    inclusion[next] = inclusion[next] with { Event = e };
                }

                next++;
            }
        }

        foreach (var (first, second, hasher) in consistency)
        {
            await LineAsync(writer, new JsonObject
            {
                ["kind"] = "consistency",
                ["from"] = first.Id,
                ["to"] = second.Id,
                ["proof"] = Hexes(hasher.Hashes()),
            }).ConfigureAwait(false);
        }

        var proofCount = consistency.Count;
        foreach (var (_, index, hasher, e) in inclusion.Where(i => i.Event is not null))
        {
            var provenEvent = ProvenEvent.From(e!);
            await LineAsync(writer, new JsonObject
            {
                ["kind"] = "inclusion",
                ["seal"] = newest!.Id,
                ["leafIndex"] = index,
                ["treeSize"] = newest.TreeSize,
                ["event"] = EventJson(e!, provenEvent.Hash),
                ["path"] = Hexes(hasher.Hashes()),
            }).ConfigureAwait(false);
            proofCount++;
        }

        await LineAsync(writer, new JsonObject { ["kind"] = "end", ["events"] = events, ["seals"] = all.Count, ["proofs"] = proofCount }).ConfigureAwait(false);
        await writer.FlushAsync(ct).ConfigureAwait(false);
        return new PackWritten(events, all.Count, proofCount);
    }

    /// <summary>An event as the pack carries it: exactly what is stored, everything its chain hash covers.</summary>
    private static JsonObject EventJson(StoredEvent e, string? hash = null) => new()
    {
        ["sequence"] = e.Sequence,
        ["stream"] = EventChain.FormatStreamId(e.StreamId),
        ["version"] = e.Version,
        ["type"] = e.Type,
        ["timestamp"] = EventChain.FormatTimestamp(e.Timestamp),
        ["data"] = JsonNode.Parse(e.Data),
        ["user"] = e.UserName,
        ["correlation"] = e.CorrelationId,
        ["causation"] = e.CausationId,
        ["prev"] = e.Previous,
        ["hash"] = hash ?? e.Hash,
    };

    private static JsonArray Hexes(IReadOnlyList<byte[]> nodes) => new(nodes.Select(n => (JsonNode?)Convert.ToHexStringLower(n)).ToArray());

    private static Task LineAsync(StreamWriter writer, JsonObject line) => writer.WriteLineAsync(line.ToJsonString());
}
