using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Merit.Audit;
using Merit.Verify;

// merit-verify PACK [--key BASE64 ...]   checks an audit pack (docs/audit-pack.md)
// merit-verify proof FILE [--key BASE64 ...]   checks a proof from GET /audit/proofs/... or `merit audit prove`
// Exit code 0: intact; 1: broken; 2: the file cannot be read as one.
var keys = new List<string>();
var positional = new List<string>();
for (var i = 0; i < args.Length; i++)
{
    if (args[i] == "--key" && i + 1 < args.Length)
    {
        keys.Add(args[++i]);
    }
    else
    {
        positional.Add(args[i]);
    }
}

try
{
    return positional switch
    {
        ["proof", var file] => ProofCheck.Run(file, keys, Console.Out),
        [var file] => PackCheck.Run(file, keys, Console.Out),
        _ => Usage(),
    };
}
catch (Exception e) when (e is IOException or UnauthorizedAccessException)
{
    Console.Error.WriteLine($"cannot read: {e.Message}");
    return 2;
}

static int Usage()
{
    Console.Error.WriteLine("usage: merit-verify PACK [--key BASE64]... | merit-verify proof FILE [--key BASE64]...");
    return 2;
}

namespace Merit.Verify
{
    /// <summary>One finding: a stable code, what it is about (<c>sequence:N</c>, <c>seal:N</c>, …), and words for a person.</summary>
    internal sealed record Problem(string Code, string Subject, string Text);

    /// <summary>The audit pack checked as docs/audit-pack.md states it, in its order, so that every verifier lists the same problems.</summary>
    internal static class PackCheck
    {
        public static int Run(string file, IReadOnlyList<string> givenKeys, TextWriter output)
        {
            var problems = new List<Problem>();
            var packKeys = new List<string>();
            var seals = new List<(SealStatement Statement, string Signature)>();
            var streams = new Dictionary<string, (long Version, string? Hash, bool Broken)>(StringComparer.Ordinal);
            var whole = new MerkleTree();
            var ranges = new List<MerkleTree>();
            var trees = new List<(long Size, string Root)?>();
            var consistency = new List<JsonObject>();
            var inclusion = new List<JsonObject>();
            long events = 0, lastSequence = 0, lineNumber = 0;
            JsonObject? end = null;
            string? format = null;

            foreach (var line in File.ReadLines(file))
            {
                lineNumber++;
                JsonObject? record;
                try
                {
                    record = JsonNode.Parse(line) as JsonObject;
                }
                catch (System.Text.Json.JsonException)
                {
                    record = null;
                }

                var kind = (string?)record?["kind"];
                if (record is null || kind is null || (lineNumber == 1) != (kind == "header") || end is not null)
                {
                    problems.Add(new("malformed", $"line:{lineNumber}", "Not a record of the pack where one is expected."));
                    if (lineNumber == 1)
                    {
                        break;
                    }

                    continue;
                }

                try
                {
                    switch (kind)
                    {
                        case "header":
                            format = (string?)record["format"];
                            if (format != "merit-audit-pack/1")
                            {
                                problems.Add(new("malformed", "line:1", $"Not a merit-audit-pack/1 file ({format})."));
                            }

                            break;
                        case "key":
                            packKeys.Add((string)record["publicKey"]!);
                            break;
                        case "seal":
                            CheckSeal(record["seal"]!.AsObject(), givenKeys.Count > 0 ? givenKeys : packKeys, seals, problems);
                            ranges.Add(new MerkleTree());
                            trees.Add(null);
                            break;
                        case "event":
                            var e = record["event"]!.AsObject();
                            var sequence = (long)e["sequence"]!;
                            if (sequence <= lastSequence)
                            {
                                problems.Add(new("event-order", $"sequence:{sequence}", "Events are not in increasing sequence order."));
                                continue;
                            }

                            lastSequence = sequence;
                            events++;
                            var leaf = CheckEvent(e, streams, problems);
                            for (var i = 0; i < seals.Count; i++)
                            {
                                if (trees[i] is null && sequence > seals[i].Statement.ToSequence)
                                {
                                    trees[i] = (whole.Count, Convert.ToHexStringLower(whole.Root()));
                                }

                                if (sequence >= seals[i].Statement.FromSequence && sequence <= seals[i].Statement.ToSequence)
                                {
                                    ranges[i].Append(leaf);
                                }
                            }

                            whole.Append(leaf);
                            break;
                        case "consistency":
                            consistency.Add(record);
                            break;
                        case "inclusion":
                            inclusion.Add(record);
                            break;
                        case "end":
                            end = record;
                            break;
                        default:
                            problems.Add(new("malformed", $"line:{lineNumber}", $"Unknown record kind '{kind}'."));
                            break;
                    }
                }
                catch (Exception ex) when (ex is InvalidOperationException or FormatException or NullReferenceException or ArgumentException or KeyNotFoundException)
                {
                    problems.Add(new("malformed", $"line:{lineNumber}", $"A {kind} record lacks a member or holds a wrong value: {ex.Message}"));
                }
            }

            if (end is null || (long?)end["events"] != events)
            {
                problems.Add(new("truncated", "end", end is null ? "The pack has no end record: it was cut short." : $"The end record counts {(long?)end["events"]} events; the pack holds {events}."));
            }

            for (var i = 0; i < seals.Count; i++)
            {
                var statement = seals[i].Statement;
                var tree = trees[i] ?? (whole.Count, Convert.ToHexStringLower(whole.Root()));
                if (ranges[i].Count != statement.Count || Convert.ToHexStringLower(ranges[i].Root()) != statement.Root)
                {
                    problems.Add(new("seal-root", $"seal:{statement.Id}", $"The pack's events in sequences {statement.FromSequence}–{statement.ToSequence} ({ranges[i].Count}) do not give the seal's root ({statement.Count} sealed)."));
                }

                if (tree.Size != statement.TreeSize || tree.Root != statement.TreeRoot)
                {
                    problems.Add(new("tree-root", $"seal:{statement.Id}", $"The pack's events up to sequence {statement.ToSequence} ({tree.Size}) do not give the seal's tree root ({statement.TreeSize} sealed)."));
                }
            }

            foreach (var record in consistency)
            {
                var (from, to) = ((long)record["from"]!, (long)record["to"]!);
                var first = seals.FirstOrDefault(s => s.Statement.Id == from);
                var second = seals.FirstOrDefault(s => s.Statement.Id == to);
                var problem = first.Statement is null || second.Statement is null
                    ? "The proof names a seal the pack does not hold."
                    : ProofVerification.CheckConsistency(first.Statement, first.Signature, second.Statement, second.Signature, Strings(record["proof"]));
                if (problem is not null)
                {
                    problems.Add(new("consistency-proof", $"seals:{from}-{to}", problem));
                }
            }

            foreach (var record in inclusion)
            {
                var e = record["event"]!.AsObject();
                var seal = seals.FirstOrDefault(s => s.Statement.Id == (long)record["seal"]!);
                var problem = seal.Statement is null
                    ? "The proof names a seal the pack does not hold."
                    : ProofVerification.CheckInclusion(seal.Statement, seal.Signature, Content(e), (string?)e["prev"], (string?)e["hash"] ?? "", (long)record["leafIndex"]!, (long)record["treeSize"]!, Strings(record["path"]));
                if (problem is not null)
                {
                    problems.Add(new("inclusion-proof", $"sequence:{(long)e["sequence"]!}", problem));
                }
            }

            var sealedThrough = seals.Count == 0 ? 0 : seals[^1].Statement.ToSequence;
            output.WriteLine($"merit-verify: {file} ({format})");
            foreach (var key in packKeys)
            {
                output.WriteLine($"key {Fingerprint(key)} {(givenKeys.Count == 0 ? "taken from the pack: compare it with the fingerprint published by the sealing authority" : givenKeys.Contains(key) ? "given" : "in the pack, not given")}");
            }

            foreach (var problem in problems)
            {
                output.WriteLine($"problem {problem.Code} {problem.Subject} {problem.Text}");
            }

            var unsealed = whole.Count - (seals.Count == 0 ? 0 : seals[^1].Statement.TreeSize);
            var counts = string.Create(CultureInfo.InvariantCulture, $"events={events} seals={seals.Count} proofs={consistency.Count + inclusion.Count} unsealed={Math.Max(0, unsealed)} sealed-through={sealedThrough}");
            output.WriteLine(problems.Count == 0 ? $"verdict intact {counts}" : $"verdict broken problems={problems.Count} {counts}");
            return problems.Count == 0 ? 0 : 1;
        }

        private static void CheckSeal(JsonObject json, IReadOnlyList<string> trusted, List<(SealStatement Statement, string Signature)> seals, List<Problem> problems)
        {
            var (statement, signature, problem) = SealStatement.Read(json);
            if (statement is null || signature is null)
            {
                throw new FormatException(problem?.English);
            }

            var subject = $"seal:{statement.Id}";
            if (!statement.IsSignedBy(signature))
            {
                problems.Add(new("seal-signature", subject, "The seal's signature does not verify."));
            }

            if (!trusted.Contains(statement.PublicKey))
            {
                problems.Add(new("seal-untrusted-key", subject, $"Signed by key {Fingerprint(statement.PublicKey)}, which is not trusted."));
            }

            var previous = seals.Count == 0 ? null : seals[^1].Statement;
            if (statement.Id != seals.Count + 1 || statement.FromSequence != (previous?.ToSequence ?? 0) + 1 || statement.PreviousRoot != previous?.Root)
            {
                problems.Add(new("seal-chain", subject, "The seal does not follow the one before it: its number, first sequence or previous root."));
            }

            seals.Add((statement, signature));
        }

        /// <summary>The event's chain checked against its stream's previous link; returns its leaf, recomputed from its content.</summary>
        private static byte[] CheckEvent(JsonObject e, Dictionary<string, (long Version, string? Hash, bool Broken)> streams, List<Problem> problems)
        {
            var sequence = (long)e["sequence"]!;
            var subject = $"sequence:{sequence}";
            var (prev, hash, type) = ((string?)e["prev"], (string?)e["hash"], (string)e["type"]!);
            var recomputed = EventChain.Link(prev, Content(e));
            if (type == "tombstone")
            {
                if (hash is not null || prev is not null || (long)e["version"]! != sequence || CanonicalJson.Canonicalize(e["data"]?.ToJsonString() ?? "null") != "{}")
                {
                    problems.Add(new("tombstone-shape", subject, "A tombstone holds something else than Marten's empty sequence-gap filler."));
                }

                return Convert.FromHexString(recomputed);
            }

            var stream = (string)e["stream"]!;
            var version = (long)e["version"]!;
            var state = streams.TryGetValue(stream, out var found) ? found : (Version: 0L, Hash: (string?)null, Broken: false);
            if (!state.Broken)
            {
                Problem? problem = version > state.Version + 1 ? new("missing-version", subject, $"Stream {stream}: version {state.Version + 1} is missing before version {version}.")
                    : version <= state.Version ? new("reordered", subject, $"Stream {stream}: version {version} comes after version {state.Version}.")
                    : !EventChain.IsHash(hash) ? new("forged-insert", subject, $"Stream {stream} version {version} carries no chain hash.")
                    : prev != state.Hash ? new("previous-link", subject, $"Stream {stream} version {version}: the previous hash is not the hash of the version before it.")
                    : recomputed != hash ? new("content-mismatch", subject, $"Stream {stream} version {version}: the content does not hash to the stored hash.")
                    : null;
                if (problem is not null)
                {
                    problems.Add(problem);
                }

                state = (version, hash, problem is not null);
            }

            streams[stream] = state;
            return Convert.FromHexString(recomputed);
        }

        private static string Fingerprint(string publicKey) =>
            Convert.ToHexStringLower(SHA256.HashData(Convert.FromBase64String(publicKey)))[..16];

        internal static ChainedEvent Content(JsonObject e) => new(
            (string)e["type"]!,
            (string)e["stream"]!,
            (long)e["version"]!,
            DateTimeOffset.Parse((string)e["timestamp"]!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
            e["data"]?.ToJsonString() ?? "null",
            (string?)e["user"],
            (string?)e["correlation"],
            (string?)e["causation"]);

        internal static List<string> Strings(JsonNode? array) => array!.AsArray().Select(n => (string)n!).ToList();
    }

    /// <summary>A proof as the server gives it (GET /audit/proofs/…, <c>merit audit prove</c>): inclusion, consistency, or an applicant's decisions.</summary>
    internal static class ProofCheck
    {
        public static int Run(string file, IReadOnlyList<string> givenKeys, TextWriter output)
        {
            var json = JsonNode.Parse(File.ReadAllText(file))!.AsObject();
            var problems = new List<string>();
            var keys = new HashSet<string>(StringComparer.Ordinal);
            (SealStatement Statement, string Signature) Seal(JsonNode? node)
            {
                var (statement, signature, problem) = SealStatement.Read(node!.AsObject());
                if (statement is null || signature is null)
                {
                    throw new FormatException(problem?.English);
                }

                keys.Add(statement.PublicKey);
                return (statement, signature);
            }

            void Inclusion(JsonObject proof)
            {
                var (statement, signature) = Seal(proof["seal"]);
                var e = proof["event"]!.AsObject();
                if (ProofVerification.CheckInclusion(statement, signature, PackCheck.Content(e), (string?)e["prev"], (string?)e["hash"] ?? "", (long)proof["leafIndex"]!, (long)proof["treeSize"]!, PackCheck.Strings(proof["path"])) is { } problem)
                {
                    problems.Add($"problem inclusion-proof sequence:{(long)e["sequence"]!} {problem}");
                }
                else
                {
                    output.WriteLine($"included: sequence {(long)e["sequence"]!}, stream {(string)e["stream"]!} version {(long)e["version"]!} ({(string)e["type"]!}) in the tree of seal {statement.Id} ({statement.TreeSize} events, root {statement.TreeRoot})");
                }
            }

            var format = (string?)json["format"] ?? (json["decisions"] is JsonArray ? "applicant" : null);
            switch (format)
            {
                case "merit-inclusion/1":
                    Inclusion(json);
                    break;
                case "merit-consistency/1":
                    var first = Seal(json["first"]);
                    var second = Seal(json["second"]);
                    if (ProofVerification.CheckConsistency(first.Statement, first.Signature, second.Statement, second.Signature, PackCheck.Strings(json["proof"])) is { } problem)
                    {
                        problems.Add($"problem consistency-proof seals:{first.Statement.Id}-{second.Statement.Id} {problem}");
                    }
                    else
                    {
                        output.WriteLine($"consistent: the tree of seal {second.Statement.Id} ({second.Statement.TreeSize} events) extends the tree of seal {first.Statement.Id} ({first.Statement.TreeSize} events)");
                    }

                    break;
                case "applicant":
                    foreach (var decision in json["decisions"]!.AsArray())
                    {
                        Inclusion(decision!.AsObject());
                    }

                    break;
                default:
                    output.WriteLine("not a Merit proof");
                    return 2;
            }

            foreach (var key in keys.Where(k => givenKeys.Count > 0 && !givenKeys.Contains(k)))
            {
                problems.Add($"problem seal-untrusted-key key:{Convert.ToHexStringLower(SHA256.HashData(Convert.FromBase64String(key)))[..16]} The seal is signed by a key that was not given.");
            }

            foreach (var problem in problems)
            {
                output.WriteLine(problem);
            }

            output.WriteLine(problems.Count == 0 ? "verdict intact" : $"verdict broken problems={problems.Count}");
            return problems.Count == 0 ? 0 : 1;
        }
    }
}
