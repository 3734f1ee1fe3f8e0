namespace Merit.PersonalData;

/// <summary>
/// A person's personal data, encrypted with a key of its own (AES-GCM) that is itself wrapped by the master
/// key. Destroying <see cref="WrappedKey"/> erases the person without touching the event history (docs/adr/0004).
/// </summary>
public sealed class PersonRecord
{
    public Guid Id { get; set; }

    public byte[]? WrappedKey { get; set; }

    public byte[] Ciphertext { get; set; } = [];

    public DateTimeOffset StoredAt { get; set; }

    /// <summary>When the key (and the ciphertext) were destroyed; null while the data is readable.</summary>
    public DateTimeOffset? ErasedAt { get; set; }
}

/// <summary>One person's claim on one round: its id is unique, so a second registration of the same person fails even under concurrency.</summary>
public sealed class RoundRegistrationClaim
{
    public string Id { get; set; } = "";

    public Guid ApplicationId { get; set; }

    public static string IdFor(Guid roundId, Guid personId) => $"{roundId:N}:{personId:N}";
}

/// <summary>
/// The highest NIP sequence ever issued for one 15-digit prefix (R23: a number is never reused). Optimistic
/// concurrency on this document makes two concurrent issuances of the same number impossible.
/// </summary>
public sealed class NipPrefixCounter
{
    public string Id { get; set; } = "";

    public int LastSequence { get; set; }
}
