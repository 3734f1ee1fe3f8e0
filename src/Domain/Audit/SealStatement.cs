using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Merit.Audit;

/// <summary>
/// What a seal states: the events with global sequence numbers <see cref="FromSequence"/> to <see cref="ToSequence"/>
/// — <see cref="Count"/> of them — have the RFC 6962 Merkle root <see cref="Root"/> over their chain hashes, in
/// sequence order; and every event up to <see cref="ToSequence"/> — <see cref="TreeSize"/> of them, from the first
/// event ever recorded — has the tree root <see cref="TreeRoot"/>, the signed tree head that inclusion and
/// consistency proofs lead to (RFC 6962 §2.1, docs/adr/0044). Signed with ECDSA P-256 (SHA-256, IEEE P1363 r‖s) over the statement's canonical JSON, so an auditor
/// holding the exported statement can check it with any JCS and ECDSA implementation, without Merit.
/// </summary>
/// <param name="Id">The seal's number: 1, 2, 3, … each starting where the one before ended.</param>
/// <param name="PreviousRoot">The root of seal <c>Id − 1</c>, chaining the seals themselves; null for the first.</param>
/// <param name="TreeSize">How many events lie at or below <see cref="ToSequence"/>: the leaves of the whole tree.</param>
/// <param name="TreeRoot">The RFC 6962 root over the chain hashes of all those events, in sequence order.</param>
/// <param name="PublicKey">The signer's public key, SubjectPublicKeyInfo (DER) in base64.</param>
public sealed record SealStatement(
    long Id,
    long FromSequence,
    long ToSequence,
    long Count,
    string Root,
    string? PreviousRoot,
    long TreeSize,
    string TreeRoot,
    DateTimeOffset CreatedAt,
    string PublicKey)
{
    public const string Format = "merit-seal/2";
    public const string Algorithm = "ES256";

    private static readonly string[] Members =
        ["format", "id", "fromSequence", "toSequence", "count", "root", "previousRoot", "treeSize", "treeRoot", "createdAt", "algorithm", "publicKey", "signature"];

    /// <summary>The statement as JSON, without its signature.</summary>
    public JsonObject ToJson() => new()
    {
        ["format"] = Format,
        ["id"] = Id,
        ["fromSequence"] = FromSequence,
        ["toSequence"] = ToSequence,
        ["count"] = Count,
        ["root"] = Root,
        ["previousRoot"] = PreviousRoot,
        ["treeSize"] = TreeSize,
        ["treeRoot"] = TreeRoot,
        ["createdAt"] = EventChain.FormatTimestamp(CreatedAt),
        ["algorithm"] = Algorithm,
        ["publicKey"] = PublicKey,
    };

    /// <summary>The bytes signed: the canonical JSON of <see cref="ToJson"/>.</summary>
    public byte[] Payload() => Encoding.UTF8.GetBytes(CanonicalJson.Canonicalize(ToJson().ToJsonString()));

    /// <summary>Signs the statement; the key must be the P-256 key whose public half is <see cref="PublicKey"/>.</summary>
    public string Sign(ECDsa key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!string.Equals(Convert.ToBase64String(key.ExportSubjectPublicKeyInfo()), PublicKey, StringComparison.Ordinal))
        {
            throw new ArgumentException("The signing key does not match the statement's public key.", nameof(key));
        }

        return Convert.ToBase64String(key.SignData(Payload(), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
    }

    /// <summary>True when <paramref name="signature"/> is this statement signed by the holder of <see cref="PublicKey"/>.</summary>
    public bool IsSignedBy(string signature)
    {
        try
        {
            using var key = ECDsa.Create();
            key.ImportSubjectPublicKeyInfo(Convert.FromBase64String(PublicKey), out _);
            if (key.KeySize != 256)
            {
                return false;
            }

            return key.VerifyData(Payload(), Convert.FromBase64String(signature), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }
        catch (FormatException)
        {
            return false;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    /// <summary>The exportable document: the statement and its signature, the small JSON file an auditor keeps.</summary>
    public JsonObject Export(string signature)
    {
        var json = ToJson();
        json["signature"] = signature;
        return json;
    }

    /// <summary>
    /// Reads an exported seal; refuses unknown members (they would not be covered by the signature). The problem is a
    /// sentence the reader's language says (docs/adr/0050).
    /// </summary>
    public static (SealStatement? Statement, string? Signature, Deciding.Wording? Problem) Read(JsonObject exported)
    {
        ArgumentNullException.ThrowIfNull(exported);
        try
        {
            var unknown = exported.Select(m => m.Key).Where(k => !Members.Contains(k, StringComparer.Ordinal)).ToList();
            if (unknown.Count > 0)
            {
                return (null, null, Deciding.Wording.Of($"Unknown member(s) {string.Join(", ", unknown)}."));
            }

            if ((string?)exported["format"] != Format || (string?)exported["algorithm"] != Algorithm)
            {
                return (null, null, Deciding.Wording.Of($"Not a {Format} document with algorithm {Algorithm}."));
            }

            var statement = new SealStatement(
                Required<long>(exported, "id"),
                Required<long>(exported, "fromSequence"),
                Required<long>(exported, "toSequence"),
                Required<long>(exported, "count"),
                Required<string>(exported, "root"),
                exported["previousRoot"]?.GetValue<string>(),
                Required<long>(exported, "treeSize"),
                Required<string>(exported, "treeRoot"),
                DateTimeOffset.Parse(Required<string>(exported, "createdAt"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
                Required<string>(exported, "publicKey"));
            return (statement, Required<string>(exported, "signature"), null);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or JsonException)
        {
            return (null, null, Deciding.Wording.Of($"Malformed seal document: {e.Message}"));
        }
    }

    private static T Required<T>(JsonObject json, string member) =>
        json[member] is { } node ? node.GetValue<T>() : throw new FormatException($"Member '{member}' is missing.");
}
