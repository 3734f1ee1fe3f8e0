using JasperFx;
using JasperFx.Events;
using Marten;
using Merit.Deciding;

namespace Merit.PersonalData;

/// <summary>The outcome of an erasure: the person (pseudonym) and when their data was erased, or why it was refused.</summary>
public sealed record ErasureOutcome(Guid PersonId, bool AlreadyErased, DateTimeOffset? ErasedAt, string? LegalBasis, Refusal? Refusal);

/// <summary>
/// Crypto-shredding (docs/adr/0014): the person's wrapped key and ciphertext are destroyed and a
/// <see cref="PersonalDataErased"/> is appended to their log, in one transaction. The events, chains and seals are
/// untouched; the pseudonym and the round claims stay.
/// </summary>
public sealed class PersonalDataErasure(IDocumentStore store, TimeProvider clock)
{
    private const int Attempts = 5;

    public async Task<ErasureOutcome> EraseAsync(Guid personId, string actor, string legalBasis, string reference, CancellationToken ct)
    {
        var streamId = PersonalDataLog.StreamFor(personId);
        for (var attempt = 1; ; attempt++)
        {
            await using var session = store.LightweightSession();
            session.LastModifiedBy = actor;
            var history = await session.Events.FetchStreamAsync(streamId, token: ct);
            var log = history.Select(e => e.Data).Aggregate((PersonalDataLog?)null, PersonalDataLog.Evolve);
            var record = await session.LoadAsync<PersonRecord>(personId, ct);
            var now = clock.GetUtcNow();
            var policy = PrivacyPolicies.InForceOn(DateOnly.FromDateTime(now.UtcDateTime));
            var decision = PersonalDataDecisions.Erase(policy, log, record is not null, record?.WrappedKey is not null, new ErasePersonalData(personId, actor, legalBasis, reference, now));
            if (decision.Refusal is { } refusal)
            {
                return new ErasureOutcome(personId, false, null, null, refusal);
            }

            if (decision.Events.Count == 0)
            {
                return new ErasureOutcome(personId, true, log!.ErasedAt, log.LegalBasis, null);
            }

            // The expected version makes a concurrent erasure (or read) of the same person retry on top of it.
            session.Events.Append(streamId, history.Count + decision.Events.Count, decision.Events.ToArray());
            record!.WrappedKey = null;
            record.Ciphertext = [];
            record.ErasedAt = now;
            session.Store(record);
            try
            {
                await session.SaveChangesAsync(ct);
            }
            catch (Exception e) when (attempt < Attempts && e is ConcurrencyException or EventStreamUnexpectedMaxEventIdException)
            {
                continue;
            }

            return new ErasureOutcome(personId, false, now, legalBasis, null);
        }
    }
}
