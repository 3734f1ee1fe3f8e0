using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Merit.Audit;
using Xunit;

namespace Merit.Tests.Audit;

/// <summary>A seal's statement, signed with ECDSA P-256 over its canonical JSON, and its exported form.</summary>
public sealed class SealStatementTests : IDisposable
{
    private readonly ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public void Dispose() => key.Dispose();

    private SealStatement Statement() => new(
        3, 101, 250, 148, new string('c', 64), new string('b', 64), 396, new string('e', 64),
        new DateTimeOffset(2026, 11, 22, 8, 0, 0, TimeSpan.Zero).AddTicks(1_234_560), Convert.ToBase64String(key.ExportSubjectPublicKeyInfo()));

    [Fact]
    public void A_signed_statement_verifies_and_any_change_to_it_does_not()
    {
        var statement = Statement();
        var signature = statement.Sign(key);

        Assert.True(statement.IsSignedBy(signature));
        Assert.False((statement with { Root = new string('d', 64) }).IsSignedBy(signature));
        Assert.False((statement with { Count = 147 }).IsSignedBy(signature));
        Assert.False((statement with { ToSequence = 251 }).IsSignedBy(signature));
        Assert.False((statement with { PreviousRoot = null }).IsSignedBy(signature));
        Assert.False((statement with { TreeSize = 397 }).IsSignedBy(signature));
        Assert.False((statement with { TreeRoot = new string('f', 64) }).IsSignedBy(signature));
    }

    [Fact]
    public void A_statement_signed_by_another_key_does_not_verify_under_this_one()
    {
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var forged = Statement() with { PublicKey = Convert.ToBase64String(other.ExportSubjectPublicKeyInfo()) };
        var signature = forged.Sign(other);

        Assert.True(forged.IsSignedBy(signature));
        Assert.False((forged with { PublicKey = Statement().PublicKey }).IsSignedBy(signature));
        Assert.Throws<ArgumentException>(() => Statement().Sign(other));
    }

    [Fact]
    public void The_export_reads_back_to_the_same_statement_and_verifies()
    {
        var statement = Statement();
        var exported = JsonNode.Parse(statement.Export(statement.Sign(key)).ToJsonString())!.AsObject();

        var (read, signature, problem) = SealStatement.Read(exported);

        Assert.Null(problem);
        Assert.Equal(statement, read);
        Assert.True(read!.IsSignedBy(signature!));
        Assert.Equal("2026-11-22T08:00:00.123456Z", (string)exported["createdAt"]!);
        Assert.Equal("merit-seal/2", (string)exported["format"]!);
    }

    [Fact]
    public void The_signature_covers_the_canonical_JSON_of_every_member_but_itself()
    {
        var statement = Statement();
        var exported = statement.Export(statement.Sign(key));
        exported.Remove("signature");
        var payload = System.Text.Encoding.UTF8.GetBytes(CanonicalJson.Canonicalize(exported.ToJsonString()));

        Assert.Equal(statement.Payload(), payload);
    }

    [Fact]
    public void An_export_with_members_the_signature_does_not_cover_is_refused()
    {
        var statement = Statement();
        var exported = statement.Export(statement.Sign(key));
        exported["note"] = "added later";

        var (read, _, problem) = SealStatement.Read(exported);

        Assert.Null(read);
        Assert.Contains("note", problem!.English, StringComparison.Ordinal);
    }
}
