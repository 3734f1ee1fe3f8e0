using System.Security.Cryptography;
using System.Text;

namespace Merit.Deciding;

/// <summary>
/// Name-based identifiers (RFC 9562 version 5): the same natural key always yields the same stream id, so a
/// re-imported file finds the streams it created the first time (idempotent imports) and a replay reproduces
/// every id. Never used for personal identifiers, which are keyed with a secret instead.
/// </summary>
public static class StableId
{
    private static readonly Guid MeritNamespace = new("6f1c2a4e-93b7-4d0e-8f51-0b7a1d2c3e4f");

    public static Guid For(string kind, params string[] parts)
    {
        var name = kind + ":" + string.Join('\u001f', parts);
        Span<byte> ns = stackalloc byte[16];
        MeritNamespace.TryWriteBytes(ns, bigEndian: true, out _);
        var input = new byte[16 + Encoding.UTF8.GetByteCount(name)];
        ns.CopyTo(input);
        Encoding.UTF8.GetBytes(name, input.AsSpan(16));
#pragma warning disable CA5350 // SHA-1 is what RFC 9562 prescribes for v5 names; not used for security.
        var hash = SHA1.HashData(input);
#pragma warning restore CA5350
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }
}
