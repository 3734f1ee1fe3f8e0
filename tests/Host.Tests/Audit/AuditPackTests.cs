using System.Text.Json.Nodes;
using Merit.Audit;
using Merit.Testing;
using Xunit;

namespace Merit.Tests.Audit;

/// <summary>
/// The offline auditor pack (docs/audit-pack.md): written by <c>merit audit export</c>, checked by merit-verify and by
/// the standard-library Python verifier with neither the server nor PostgreSQL. Both must agree — verdict and every
/// problem — on the untouched pack and on each tampered copy.
/// </summary>
[RunsLong]
public sealed class AuditPackTests(MeritApp app) : IClassFixture<MeritApp>, IDisposable
{
    private readonly AuditClient audit = new(app);
    private readonly string folder = Directory.CreateTempSubdirectory("merit-pack-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public async Task Both_verifiers_pass_the_untouched_pack_and_agree_on_every_tampered_one()
    {
        var round = await audit.RoundWithHistoryAsync("PACK-A");
        await audit.SealAsync();
        var (_, _, application) = await audit.Api.ApplicantReadyForSkdAsync("PACK-B", "3171010101900088");
        var seal = await audit.SealAsync();
        await audit.RoundWithHistoryAsync("PACK-UNSEALED");

        var pack = Path.Combine(folder, "pack.jsonl");
        var (code, output) = await MeritCommandLine.RunAsync(app, "audit", "export", "--out", pack, "--application", application.ToString());
        Assert.True(code == 0, output);
        var lines = await File.ReadAllLinesAsync(pack);
        Assert.Equal("header", Kind(lines[0]));
        Assert.Equal("end", Kind(lines[^1]));
        Assert.DoesNotContain("3171010101900088", await File.ReadAllTextAsync(pack), StringComparison.Ordinal); // no NIK: events carry pseudonyms only

        var untouched = await BothAsync(pack);
        Assert.Equal("intact", untouched.Verdict);
        Assert.Empty(untouched.Problems);
        Assert.Contains("unsealed=4", untouched.Output, StringComparison.Ordinal);

        var events = lines.Select((l, i) => (Line: l, Index: i)).Where(l => Kind(l.Line) == "event").ToList();
        var second = events.First(e => Event(e.Line)["stream"]!.GetValue<string>() == round.ToString() && (long)Event(e.Line)["version"]! == 2);
        var secondSequence = (long)Event(second.Line)["sequence"]!;
        var third = events.First(e => Event(e.Line)["stream"]!.GetValue<string>() == round.ToString() && (long)Event(e.Line)["version"]! == 3);
        var thirdSequence = (long)Event(third.Line)["sequence"]!;

        var cases = new Dictionary<string, (string[] Lines, string[] Expected)>
        {
            ["data changed"] = (Replace(lines, second.Index, l => WithEvent(l, e => e["data"]!["To"] = "Closed")), [$"content-mismatch sequence:{secondSequence}", "seal-root seal:1"]),
            ["event deleted"] = (lines.Where((_, i) => i != second.Index).ToArray(), [$"missing-version sequence:{thirdSequence}", "truncated end", "seal-root seal:1"]),
            ["events reordered"] = (Swap(lines, second.Index, third.Index), [$"missing-version sequence:{thirdSequence}", $"event-order sequence:{secondSequence}"]),
            ["consistent rewrite"] = (Rechain(lines, round, fromVersion: 2), ["seal-root seal:1", "tree-root seal:1"]),
            ["seal changed"] = (Replace(lines, Array.FindIndex(lines, l => Kind(l) == "seal"), l => WithSeal(l, s => s["count"] = (long)s["count"]! + 1)), ["seal-signature seal:1"]),
            ["seal removed"] = (lines.Where(l => !(Kind(l) == "seal" && (long)JsonNode.Parse(l)!["seal"]!["id"]! == 1)).ToArray(), ["seal-chain seal:2", "consistency-proof seals:1-2"]),
            ["proof altered"] = (Replace(lines, Array.FindIndex(lines, l => Kind(l) == "inclusion"), l => { var j = JsonNode.Parse(l)!; j["path"]![0] = new string('0', 64); return j.ToJsonString(); }), ["inclusion-proof"]),
            ["cut short"] = (lines[..^3], ["truncated end"]),
        };

        foreach (var (name, (tampered, expected)) in cases)
        {
            var file = Path.Combine(folder, name.Replace(' ', '-') + ".jsonl");
            await File.WriteAllLinesAsync(file, tampered);
            var found = await BothAsync(file);
            Assert.True(found.Verdict == "broken", $"{name}: {found.Output}");
            foreach (var problem in expected)
            {
                Assert.True(found.Problems.Any(p => p.StartsWith(problem, StringComparison.Ordinal)), $"{name}: expected {problem}\n{found.Output}");
            }
        }

        // The auditor pins the sealing key they were given: a pack signed by another key fails on its seals.
        using var other = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var pinned = await BothAsync(pack, "--key", Convert.ToBase64String(other.ExportSubjectPublicKeyInfo()));
        Assert.Contains("seal-untrusted-key seal:1", pinned.Problems);
        Assert.Equal("intact", (await BothAsync(pack, "--key", (string)seal["publicKey"]!)).Verdict);
    }

    /// <summary>Runs both verifiers; they must print the same verdict and the same problems, in the same order.</summary>
    private static async Task<(string Verdict, List<string> Problems, string Output)> BothAsync(string pack, params string[] options)
    {
        var (dotnetCode, dotnetOutput) = await Verifiers.DotnetAsync([pack, .. options]);
        var (pythonCode, pythonOutput) = await Verifiers.PythonAsync([pack, .. options]);
        var (dotnet, python) = (Verifiers.Findings(dotnetOutput), Verifiers.Findings(pythonOutput));
        Assert.True(dotnetCode == pythonCode && dotnet.Verdict == python.Verdict && dotnet.Problems.SequenceEqual(python.Problems),
            $"the verifiers disagree on {Path.GetFileName(pack)}:\nmerit-verify ({dotnetCode}):\n{dotnetOutput}\nmerit_verify.py ({pythonCode}):\n{pythonOutput}");
        return (dotnet.Verdict, dotnet.Problems, dotnetOutput);
    }

    private static string? Kind(string line) => (string?)JsonNode.Parse(line)?["kind"];

    private static JsonObject Event(string line) => JsonNode.Parse(line)!["event"]!.AsObject();

    private static string WithEvent(string line, Action<JsonObject> change)
    {
        var json = JsonNode.Parse(line)!;
        change(json["event"]!.AsObject());
        return json.ToJsonString();
    }

    private static string WithSeal(string line, Action<JsonObject> change)
    {
        var json = JsonNode.Parse(line)!;
        change(json["seal"]!.AsObject());
        return json.ToJsonString();
    }

    private static string[] Replace(string[] lines, int index, Func<string, string> change) =>
        lines.Select((l, i) => i == index ? change(l) : l).ToArray();

    private static string[] Swap(string[] lines, int a, int b)
    {
        var copy = lines.ToArray();
        (copy[a], copy[b]) = (copy[b], copy[a]);
        return copy;
    }

    /// <summary>What an operator with the pack and the public hashing code can do: change version 2 and recompute every hash after it.</summary>
    private static string[] Rechain(string[] lines, Guid stream, long fromVersion)
    {
        string? previous = null;
        return lines.Select(line =>
        {
            if (Kind(line) != "event" || Event(line)["stream"]!.GetValue<string>() != stream.ToString())
            {
                return line;
            }

            var json = JsonNode.Parse(line)!;
            var e = json["event"]!.AsObject();
            if ((long)e["version"]! < fromVersion)
            {
                previous = (string)e["hash"]!;
                return line;
            }

            if ((long)e["version"]! == fromVersion)
            {
                e["data"]!["To"] = "Closed";
            }

            e["prev"] = previous;
            var content = new ChainedEvent((string)e["type"]!, (string)e["stream"]!, (long)e["version"]!,
                DateTimeOffset.Parse((string)e["timestamp"]!, System.Globalization.CultureInfo.InvariantCulture), e["data"]!.ToJsonString(),
                (string?)e["user"], (string?)e["correlation"], (string?)e["causation"]);
            previous = EventChain.Link(previous, content);
            e["hash"] = previous;
            return json.ToJsonString();
        }).ToArray();
    }
}
