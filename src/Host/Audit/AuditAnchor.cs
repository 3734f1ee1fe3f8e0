using Merit.Deciding;
using Merit.Localization;
using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace Merit.Audit;

/// <summary>One leaf of an anchored seal: the event it stands for and its chain hash as sealed.</summary>
public sealed record AnchoredLeaf(long Sequence, Guid StreamId, long Version, byte[] Leaf);

/// <summary>A seal file of the anchor, read back: the statement and signature, or why it cannot be read.</summary>
public sealed record AnchoredSeal(long Id, SealStatement? Statement, string? Signature, string? Problem);

/// <summary>
/// Seals anchored outside the database (docs/adr/0044): every seal is also written, with the leaves it covers, into
/// a folder the database's operator cannot rewrite alone — by default <c>merit-audit-seals</c> beside the
/// deployment's folder, or <c>Merit:Audit:AnchorDirectory</c>. Files are only ever created, never replaced, and made
/// read-only; give the folder to another account, a write-once mount or <c>chattr +a</c> in production.
/// <c>seal-NNNNNNNNNNNN.json</c> is the exported seal; <c>seal-NNNNNNNNNNNN.leaves</c> holds its leaves, 64 bytes
/// each: sequence (8, big-endian), stream id (16, RFC 4122 order), version (8, big-endian), chain hash (32) — their
/// tree hash is the signed root, so the file needs no signature of its own (docs/audit-pack.md).
/// </summary>
public sealed class AuditAnchor(IOptions<AuditOptions> options)
{
    public const int LeafRecordSize = 64;
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>The folder of anchored seals.</summary>
    public string Location { get; } = options.Value.AnchorDirectory is { Length: > 0 } configured
        ? Path.GetFullPath(configured)
        : Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "merit-audit-seals"));

    public static string SealFileName(long id) => string.Create(CultureInfo.InvariantCulture, $"seal-{id:D12}.json");

    public static string LeavesFileName(long id) => string.Create(CultureInfo.InvariantCulture, $"seal-{id:D12}.leaves");

    /// <summary>Starts the leaves of the next seal in a temporary file of the anchor's folder.</summary>
    public LeafFileWriter BeginLeaves()
    {
        Directory.CreateDirectory(Location);
        return new LeafFileWriter(Path.Combine(Location, $".leaves-{Guid.NewGuid():N}.tmp"));
    }

    /// <summary>
    /// Anchors <paramref name="seal"/> with its leaves: the leaves file first, then the seal file, each created anew
    /// (an existing seal file is never replaced: anchoring a seal number twice fails), flushed to disk, made read-only.
    /// </summary>
    public void Commit(AuditSeal seal, LeafFileWriter leaves)
    {
        ArgumentNullException.ThrowIfNull(seal);
        ArgumentNullException.ThrowIfNull(leaves);
        var sealFile = Path.Combine(Location, SealFileName(seal.Id));
        if (File.Exists(sealFile))
        {
            throw new IOException($"The anchor {Location} already holds seal {seal.Id}: it is anchored once, never replaced.");
        }

        var leavesFile = Path.Combine(Location, LeavesFileName(seal.Id));
        leaves.Complete();
        // A leaves file without its seal file is what an interrupted anchoring leaves behind: it commits to nothing.
        File.Move(leaves.Path, leavesFile, overwrite: true);
        MakeReadOnly(leavesFile);
        using (var stream = new FileStream(sealFile, FileMode.CreateNew, FileAccess.Write))
        {
            stream.Write(System.Text.Encoding.UTF8.GetBytes(seal.Export().ToJson().ToJsonString(Indented) + "\n"));
            stream.Flush(true);
        }

        MakeReadOnly(sealFile);
    }

    /// <summary>Every anchored seal, by number.</summary>
    public IReadOnlyList<AnchoredSeal> ReadAll() => Read(SealFiles());

    /// <summary>The newest anchored seal, reading that one file only.</summary>
    public AnchoredSeal? Newest() => Read(SealFiles().TakeLast(1)) is [var newest] ? newest : null;

    private IEnumerable<string> SealFiles() =>
        Directory.Exists(Location) ? Directory.EnumerateFiles(Location, "seal-*.json").Order(StringComparer.Ordinal) : [];

    private static List<AnchoredSeal> Read(IEnumerable<string> files)
    {
        var seals = new List<AnchoredSeal>();
        foreach (var file in files)
        {
            var name = Path.GetFileNameWithoutExtension(file);
            if (!long.TryParse(name["seal-".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                continue;
            }

            try
            {
                var (statement, signature, problem) = JsonNode.Parse(File.ReadAllText(file)) is JsonObject json
                    ? SealStatement.Read(json)
                    : (null, null, Wording.Of($"{Path.GetFileName(file)} is not a JSON object."));
                seals.Add(statement is not null && statement.Id != id
                    ? new AnchoredSeal(id, null, null, Texts.Current.Say($"{Path.GetFileName(file)} holds seal {statement.Id}."))
                    : new AnchoredSeal(id, statement, signature, problem is null ? null : Texts.Current.Say(problem)));
            }
            catch (Exception e) when (e is JsonException or IOException)
            {
                seals.Add(new AnchoredSeal(id, null, null, Texts.Current.Say($"{Path.GetFileName(file)} cannot be read: {e.Message}")));
            }
        }

        return seals;
    }

    /// <summary>The number of the newest anchored seal, if any.</summary>
    public long? NewestId() => Newest()?.Id;

    /// <summary>True when the leaves file of seal <paramref name="id"/> is there.</summary>
    public bool HasLeaves(long id) => File.Exists(Path.Combine(Location, LeavesFileName(id)));

    /// <summary>The leaves of anchored seal <paramref name="id"/>, in sequence order.</summary>
    public async IAsyncEnumerable<AnchoredLeaf> LeavesAsync(long id, [EnumeratorCancellation] CancellationToken ct)
    {
        await using var stream = new FileStream(Path.Combine(Location, LeavesFileName(id)), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        var record = new byte[LeafRecordSize];
        while (true)
        {
            var read = await stream.ReadAtLeastAsync(record, LeafRecordSize, throwOnEndOfStream: false, ct).ConfigureAwait(false);
            if (read == 0)
            {
                yield break;
            }

            if (read < LeafRecordSize)
            {
                throw new InvalidDataException($"{LeavesFileName(id)} ends inside a record.");
            }

            yield return new AnchoredLeaf(
                BinaryPrimitives.ReadInt64BigEndian(record.AsSpan(0, 8)),
                new Guid(record.AsSpan(8, 16), bigEndian: true),
                BinaryPrimitives.ReadInt64BigEndian(record.AsSpan(24, 8)),
                record.AsSpan(32, 32).ToArray());
        }
    }

    private static void MakeReadOnly(string file)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }
    }
}

/// <summary>Writes the leaves of a seal being made, one 64-byte record per event (see <see cref="AuditAnchor"/>).</summary>
public sealed class LeafFileWriter : IDisposable
{
    private readonly FileStream stream;
    private readonly byte[] record = new byte[AuditAnchor.LeafRecordSize];
    private bool completed;

    public LeafFileWriter(string path)
    {
        Path = path;
        stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
    }

    public string Path { get; }

    public void Write(long sequence, Guid streamId, long version, ReadOnlySpan<byte> leaf)
    {
        BinaryPrimitives.WriteInt64BigEndian(record.AsSpan(0, 8), sequence);
        streamId.TryWriteBytes(record.AsSpan(8, 16), bigEndian: true, out _);
        BinaryPrimitives.WriteInt64BigEndian(record.AsSpan(24, 8), version);
        leaf.CopyTo(record.AsSpan(32, 32));
        stream.Write(record);
    }

    /// <summary>Flushes the records to disk and closes the file.</summary>
    public void Complete()
    {
        if (!completed)
        {
            stream.Flush(true);
            stream.Dispose();
            completed = true;
        }
    }

    /// <summary>Closes the file and removes it unless it was anchored.</summary>
    public void Dispose()
    {
        stream.Dispose();
        if (File.Exists(Path))
        {
            File.Delete(Path);
        }
    }
}
