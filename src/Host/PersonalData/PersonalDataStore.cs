using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Marten;
using Merit.Infrastructure;

namespace Merit.PersonalData;

/// <summary>The identifying data of a person, as entered at registration. Never written to an event or a log.</summary>
public sealed record PersonalDetails(string? Nik, string? FullName, DateOnly BirthDate);

/// <summary>The keys of the personal-data store, from configuration (Merit:PersonalData).</summary>
public sealed class PersonalDataKeys
{
    public required byte[] MasterKey { get; init; }

    public required byte[] PseudonymKey { get; init; }
}

/// <summary>
/// Pseudonyms and encryption for personal data; decryption is <see cref="PersonalDataVault"/>'s alone, which logs
/// every read before it releases anything. The pseudonymous person id is a keyed hash (HMAC-SHA256) of
/// the NIK: stable across rounds, so one person's applications link up (R12, R18), yet not computable without
/// the key.
/// </summary>
public sealed class PersonalDataProtector(PersonalDataKeys keys, TimeProvider clock)
{
    public Guid PersonIdFor(string nik) => Pseudonym("nik:" + nik);

    /// <summary>The key of a NIP prefix's counter: the prefix embeds a birth date, so it is stored only keyed.</summary>
    public string NipPrefixKey(string prefix15) => Convert.ToHexString(HMACSHA256.HashData(keys.PseudonymKey, Encoding.UTF8.GetBytes("nip-prefix:" + prefix15)));

    /// <summary>The counter key of an NI PPPK prefix: a number space of its own, though its digits may look like a NIP prefix.</summary>
    public string NiPppkPrefixKey(string prefix15) => Convert.ToHexString(HMACSHA256.HashData(keys.PseudonymKey, Encoding.UTF8.GetBytes("ni-pppk-prefix:" + prefix15)));

    /// <summary>For an applicant registered without a NIK: a pseudonym per registration, which links nothing.</summary>
    public Guid PersonIdForRegistration(Guid roundId, string registrationNumber) => Pseudonym($"registration:{roundId:N}:{registrationNumber}");

    public PersonRecord Protect(Guid personId, PersonalDetails details)
    {
        var dataKey = RandomNumberGenerator.GetBytes(32);
        var plaintext = JsonSerializer.SerializeToUtf8Bytes(details);
        return new PersonRecord
        {
            Id = personId,
            WrappedKey = PersonRecordCipher.Seal(keys.MasterKey, dataKey, personId),
            Ciphertext = PersonRecordCipher.Seal(dataKey, plaintext, personId),
            StoredAt = clock.GetUtcNow(),
        };
    }

    private Guid Pseudonym(string value)
    {
        var hash = HMACSHA256.HashData(keys.PseudonymKey, Encoding.UTF8.GetBytes(value));
        return new Guid(hash.AsSpan(0, 16));
    }
}

/// <summary>Reads and writes the personal-data documents in the same Marten session as the events, so both commit together.</summary>
public static class PersonalDataSession
{
    public static async Task<bool> HasClaimAsync(this IQuerySession session, Guid roundId, Guid personId, CancellationToken ct) =>
        await session.LoadAsync<RoundRegistrationClaim>(RoundRegistrationClaim.IdFor(roundId, personId), ct) is not null;

    public static void StorePerson(this IDocumentSession session, PersonRecord record, Guid roundId, Guid applicationId)
    {
        session.Store(record);
        session.Insert(ClaimFor(record, roundId, applicationId));
    }

    /// <summary>The same two documents for the bulk write path: the record stored, the claim inserted (a duplicate fails the batch).</summary>
    public static BulkDocument[] PersonDocuments(PersonRecord record, Guid roundId, Guid applicationId) =>
        [new(record, InsertOnly: false), new(ClaimFor(record, roundId, applicationId), InsertOnly: true)];

    private static RoundRegistrationClaim ClaimFor(PersonRecord record, Guid roundId, Guid applicationId) =>
        new() { Id = RoundRegistrationClaim.IdFor(roundId, record.Id), ApplicationId = applicationId };
}

/// <summary>AES-GCM as the personal-data store uses it: nonce | tag | ciphertext, the person id bound as associated data.</summary>
internal static class PersonRecordCipher
{
    private const int NonceSize = 12;
    private const int TagSize = 16;

    // The person id is bound as associated data so a record cannot be moved to another person.
    public static byte[] Seal(byte[] key, byte[] plaintext, Guid personId)
    {
        var output = new byte[NonceSize + TagSize + plaintext.Length];
        var nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(nonce, plaintext, output.AsSpan(NonceSize + TagSize), output.AsSpan(NonceSize, TagSize), personId.ToByteArray());
        return output;
    }

    public static byte[] Open(byte[] key, byte[] sealedData, Guid personId)
    {
        var plaintext = new byte[sealedData.Length - NonceSize - TagSize];
        using var aes = new AesGcm(key, TagSize);
        aes.Decrypt(sealedData.AsSpan(0, NonceSize), sealedData.AsSpan(NonceSize + TagSize), sealedData.AsSpan(NonceSize, TagSize), plaintext, personId.ToByteArray());
        return plaintext;
    }
}
