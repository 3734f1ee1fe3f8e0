using System.Security.Claims;
using System.Text.Json;
using JasperFx;
using Marten;
using Merit.Deciding;
using Merit.Infrastructure;
using Merit.Security;

namespace Merit.PersonalData;

/// <summary>Who reads personal data and through what: the token's subject and roles, and the endpoint or command.</summary>
public sealed record PersonalDataReader(string Actor, IReadOnlyCollection<string> Roles, string Resource)
{
    public static PersonalDataReader Of(ClaimsPrincipal user, string resource) =>
        new(user.Identity?.Name ?? "anonymous", Security.Roles.All.Where(user.IsInRole).ToArray(), resource);

    /// <summary>The command line runs on the host, with the keys at hand: its operator names who acts and in which role.</summary>
    public static PersonalDataReader CommandLine(string actor, string role, string command) => new(actor, [role], "merit " + command);
}

/// <summary>What a read released: each readable person's details; the persons whose data is erased; or why nothing was read.</summary>
public sealed record PersonalDataReading(IReadOnlyDictionary<Guid, PersonalDetails> Details, IReadOnlyDictionary<Guid, DateTimeOffset> Erased, Refusal? Refusal)
{
    public static PersonalDataReading Refused(Refusal refusal) => new(new Dictionary<Guid, PersonalDetails>(), new Dictionary<Guid, DateTimeOffset>(), refusal);
}

/// <summary>
/// The only way to decrypt personal data (docs/adr/0014). A read is decided against the privacy policy (purpose and
/// role; analysts never), and one <see cref="PersonalDataRead"/> per person is appended to that person's log —
/// hash-chained like every stream — and committed, in a transaction of its own, before anything decrypted is handed
/// out: no caller can skip the log, and a caller that fails afterwards has still been logged as having read. The
/// records are decrypted in memory before the log is written, so a record these keys cannot open refuses the whole
/// read (<c>personal-data.unreadable</c>, 409) with nothing logged and nothing released. The log is
/// written by the bulk writer (docs/adr/0019): a final ranking logs a read for every SKB participant of a batch.
/// </summary>
public sealed class PersonalDataVault(IDocumentStore store, BulkEventWriter writer, PersonalDataKeys keys, TimeProvider clock)
{
    private const int Attempts = 5;

    public async Task<PersonalDataReading> RevealAsync(PersonalDataReader reader, string purpose, IReadOnlyCollection<Guid> personIds, CancellationToken ct) =>
        (await RevealAsync(reader, purpose, personIds, (reading, _) => Task.FromResult(reading), ct)).Reading;

    /// <summary>
    /// Reads as <see cref="RevealAsync(PersonalDataReader, string, IReadOnlyCollection{Guid}, CancellationToken)"/> and
    /// hands the details to <paramref name="use"/> while the log is being written: what it makes is returned only once
    /// the log is committed, and thrown away if the log fails, so nothing made of the details leaves before the log
    /// holds the read. For work that takes as long as the log (printing every stage of an announcement).
    /// </summary>
    public async Task<(PersonalDataReading Reading, T? Result)> RevealAsync<T>(PersonalDataReader reader, string purpose, IReadOnlyCollection<Guid> personIds, Func<PersonalDataReading, CancellationToken, Task<T>> use, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(use);
        var now = clock.GetUtcNow();
        var policy = PrivacyPolicies.InForceOn(DateOnly.FromDateTime(now.UtcDateTime));
        for (var attempt = 1; ; attempt++)
        {
            IReadOnlyList<PersonRecord> records;
            await using (var query = store.QuerySession())
            {
                records = await query.LoadManyAsync<PersonRecord>(ct, personIds.Distinct().ToArray());
            }

            var readable = records.Where(r => r.WrappedKey is not null).ToList();
            var decision = PersonalDataDecisions.Read(policy, new ReadPersonalData(readable.Select(r => r.Id).ToList(), reader.Actor, reader.Roles, purpose, reader.Resource, now));
            if (decision.Refusal is { } refusal)
            {
                return (PersonalDataReading.Refused(refusal), default);
            }

            var details = new Dictionary<Guid, PersonalDetails>();
            foreach (var record in readable)
            {
                if (TryDecrypt(record) is not { } opened)
                {
                    return (PersonalDataReading.Refused(Unreadable), default);
                }

                details[record.Id] = opened;
            }

            var reading = new PersonalDataReading(details, records.Where(r => r.WrappedKey is null).ToDictionary(r => r.Id, r => r.ErasedAt ?? r.StoredAt), null);
            var logging = LogAsync(decision, reader.Actor, ct);
            var made = use(reading, ct);
            try
            {
                await logging;
            }
            catch (ConcurrencyException) when (attempt < Attempts)
            {
                // A read or an erasure of the same person was logged meanwhile: its log version is taken; read the
                // records again (an erasure leaves nothing to decrypt) and log after it. What was made is dropped.
                await Dropped(made);
                continue;
            }
            catch
            {
                await Dropped(made);
                throw;
            }

            return (reading, await made);
        }
    }

    private async Task LogAsync(Decision decision, string actor, CancellationToken ct)
    {
        if (decision.Events.Count > 0)
        {
            var heads = await writer.HeadsAsync(decision.Events.Select(DecisionResults.StreamOf).ToList(), ct);
            var appends = decision.BulkAppends(heads.ToDictionary(h => h.Key, h => h.Value.Version))
                .Select(a => a with { Head = heads.TryGetValue(a.Id, out var head) ? head : null })
                .ToList();
            await writer.WriteAsync(appends, [], actor, null, ct);
        }
    }

    /// <summary>Waits for work whose result is not released, so that it neither runs on unobserved nor hides the log's failure.</summary>
    private static async Task Dropped<T>(Task<T> made)
    {
        try
        {
            await made;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Its result is not released; the log's failure is what the caller hears.
        }
    }

    /// <summary>The refusal when a stored record cannot be opened: keys that are not the ones it was sealed with, or a damaged record.</summary>
    public static readonly Refusal Unreadable = new(RefusalKind.Conflict, "personal-data.unreadable",
        "Stored personal data cannot be decrypted with this server's keys (another key set, or a damaged record); nothing was read or logged.");

    private PersonalDetails? TryDecrypt(PersonRecord record)
    {
        try
        {
            var dataKey = PersonRecordCipher.Open(keys.MasterKey, record.WrappedKey!, record.Id);
            return JsonSerializer.Deserialize<PersonalDetails>(PersonRecordCipher.Open(dataKey, record.Ciphertext, record.Id));
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or JsonException or ArgumentException)
        {
            return null;
        }
    }
}
