using Merit.Deciding;

namespace Merit.PersonalData;

/// <summary>An event of a person's personal-data log: the stream, one per person, that records every read and the erasure.</summary>
public interface IPersonalDataLogEvent
{
    /// <summary>The person's pseudonym (HMAC of the NIK), never the NIK itself.</summary>
    Guid PersonId { get; }
}

/// <summary>
/// Personal data was decrypted for <see cref="ReadBy"/> (the token's subject) for <see cref="Purpose"/>, through
/// <see cref="Resource"/> (the endpoint or command). Appended before the data is released.
/// </summary>
public sealed record PersonalDataRead(Guid PersonId, string ReadBy, string Purpose, string Resource, string PolicyVersion, DateTimeOffset ReadAt) : IPersonalDataLogEvent;

/// <summary>
/// Penghapusan data pribadi: the person's key was destroyed, so their NIK, name and birth date can no longer be
/// decrypted. Names who erased, when, on which legal basis and under which reference (a letter or ticket number),
/// and nothing about the person but the pseudonym.
/// </summary>
public sealed record PersonalDataErased(Guid PersonId, string ErasedBy, string LegalBasis, string Reference, string PolicyVersion, DateTimeOffset ErasedAt) : IPersonalDataLogEvent;

/// <summary>Decrypt the personal data of these persons (those whose data is still readable) for one purpose.</summary>
public sealed record ReadPersonalData(IReadOnlyList<Guid> PersonIds, string ReadBy, IReadOnlyCollection<string> Roles, string Purpose, string Resource, DateTimeOffset Now);

/// <summary>Erase a person's personal data (destroy their key), citing a legal basis and a reference.</summary>
public sealed record ErasePersonalData(Guid PersonId, string ErasedBy, string LegalBasis, string Reference, DateTimeOffset Now)
{
    /// <summary>A letter or ticket number: the reference enters the event, so it must not be able to carry a name.</summary>
    public const string ReferencePattern = "^[A-Za-z0-9][A-Za-z0-9./_-]{0,63}\\z";
}

/// <summary>A person's personal-data log: how often the data was read, and whether and when it was erased.</summary>
public sealed record PersonalDataLog(Guid PersonId, int Reads, DateTimeOffset? ErasedAt, string? LegalBasis)
{
    public bool Erased => ErasedAt is not null;

    /// <summary>The log's stream: derived from the pseudonym, so it is found again from the person alone.</summary>
    public static Guid StreamFor(Guid personId) => StableId.For("personal-data-log", personId.ToString("N"));

    public static PersonalDataLog? Evolve(PersonalDataLog? state, object @event) => @event switch
    {
        PersonalDataRead e => (state ?? new PersonalDataLog(e.PersonId, 0, null, null)) with { Reads = (state?.Reads ?? 0) + 1 },
        PersonalDataErased e => (state ?? new PersonalDataLog(e.PersonId, 0, null, null)) with { ErasedAt = e.ErasedAt, LegalBasis = e.LegalBasis },
        _ => state,
    };
}

/// <summary>The decisions on personal data: who may read it for what, and erasure.</summary>
public static class PersonalDataDecisions
{
    /// <summary>
    /// A read for a purpose the policy names, by a role the purpose allows: one <see cref="PersonalDataRead"/> per
    /// person, each for that person's log. Refused (and nothing decrypted) otherwise — analysts never.
    /// </summary>
    public static Decision Read(PrivacyPolicy policy, ReadPersonalData command)
    {
        if (policy.FindPurpose(command.Purpose) is not { } purpose)
        {
            return new Refusal(RefusalKind.Invalid, "personal-data.unknown-purpose", $"No purpose '{command.Purpose}' in privacy policy {policy.Version}.", "purpose");
        }

        if (!command.Roles.Any(r => purpose.Roles.Contains(r, StringComparer.Ordinal)))
        {
            return new Refusal(RefusalKind.Rule, "personal-data.role-not-allowed", $"Personal data may be read for {purpose.Code} only by {string.Join(" or ", purpose.Roles)} (policy {policy.Version}).");
        }

        return Decision.Accept(command.PersonIds.Distinct()
            .Select(id => (object)new PersonalDataRead(id, command.ReadBy, purpose.Code, command.Resource, policy.Version, command.Now))
            .ToArray());
    }

    /// <summary>
    /// Erasure: refused without a known legal basis or when nothing was ever stored for the person. When the data is
    /// already unreadable and the log records an erasure, accepted with no event (a second erasure is a no-op);
    /// data stored again after an erasure (a later registration) is erased again.
    /// </summary>
    /// <param name="log">The person's log so far (null when empty).</param>
    /// <param name="stored">Whether the personal-data store holds a record for the person at all.</param>
    /// <param name="readable">Whether that record can still be decrypted (its key is not destroyed).</param>
    public static Decision Erase(PrivacyPolicy policy, PersonalDataLog? log, bool stored, bool readable, ErasePersonalData command)
    {
        if (policy.FindBasis(command.LegalBasis) is null)
        {
            return new Refusal(
                RefusalKind.Invalid,
                "erasure.unknown-legal-basis",
                $"No legal basis '{command.LegalBasis}' in privacy policy {policy.Version}; known: {string.Join(", ", policy.LegalBases.Select(b => b.Code))}.",
                "legalBasis");
        }

        if (!System.Text.RegularExpressions.Regex.IsMatch(command.Reference, ErasePersonalData.ReferencePattern, System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1)))
        {
            return new Refusal(RefusalKind.Invalid, "erasure.reference", "The reference must be a letter or ticket number (letters, digits, . / _ -; at most 64), never a name.", "reference");
        }

        if (!stored)
        {
            return new Refusal(RefusalKind.NotFound, "erasure.no-personal-data", "No personal data is stored for this person.");
        }

        if (!readable && log is { Erased: true })
        {
            return Decision.Accept();
        }

        return Decision.Accept(new PersonalDataErased(command.PersonId, command.ErasedBy, command.LegalBasis, command.Reference, policy.Version, command.Now));
    }
}
