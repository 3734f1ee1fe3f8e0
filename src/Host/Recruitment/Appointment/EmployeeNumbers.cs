using System.Security.Claims;
using Marten;
using Merit.Deciding;
using Merit.PersonalData;

namespace Merit.Recruitment;

/// <summary>
/// What an employee number (NIP, NI PPPK) is composed from besides the command: the passer's birth date, its first
/// eight digits, and the next sequence of its first fifteen, never used before (R23).
/// </summary>
public static class EmployeeNumbers
{
    /// <summary>
    /// The passer's birth date, read through the vault, which logs the read for the person; or why it cannot be read:
    /// the privacy policy does not allow the caller's role (403), or the personal data is erased (docs/adr/0014).
    /// </summary>
    /// <param name="number"><c>nip</c> or <c>ni-pppk</c>: names the purpose of the read, the endpoint and the refusal.</param>
    /// <param name="article">The number as the refusal names it, e.g. "a NIP".</param>
    public static async Task<(DateOnly BirthDate, Refusal? Refusal)> BirthDateAsync(PersonalDataVault vault, ClaimsPrincipal user, Application application, string number, string article, CancellationToken ct)
    {
        var (details, refusal) = await DetailsAsync(vault, user, application, number, article, ct);
        return (details?.BirthDate ?? default, refusal);
    }

    /// <summary>As <see cref="BirthDateAsync"/>, with the NIK where it was given: the NIP is checked against it (R24).</summary>
    public static async Task<(PersonalDetails? Details, Refusal? Refusal)> DetailsAsync(PersonalDataVault vault, ClaimsPrincipal user, Application application, string number, string article, CancellationToken ct)
    {
        var reading = await vault.RevealAsync(PersonalDataReader.Of(user, $"POST /applications/{application.Id}/{number}"), $"{number}-issuance", [application.PersonId], ct);
        if (reading.Refusal is { } refusal)
        {
            return (null, refusal);
        }

        return reading.Details.TryGetValue(application.PersonId, out var details)
            ? (details, null)
            : (null, new Refusal(RefusalKind.Conflict, $"{number}.personal-data-erased", $"The applicant's personal data is erased; {article} cannot be composed."));
    }

    /// <summary>
    /// The highest NIP sequence recorded for <paramref name="prefix"/>: the counter's, or higher where a career record
    /// already holds the next numbers (a workforce imported before its NIPs raised the counters), so no NIP recorded
    /// anywhere is issued again (R23).
    /// </summary>
    public static async Task<int> HighestNipSequenceAsync(this IDocumentSession session, Career.CivilServantIds ids, string prefix, int counted, CancellationToken ct)
    {
        var last = counted;
        while (last < Identifiers.Nip.MaximumSequence && await session.Events.FetchStreamStateAsync(ids.For(Identifiers.Nip.Compose(prefix, last + 1)), ct) is not null)
        {
            last++;
        }

        return last;
    }

    /// <summary>The sequences issued under one prefix, keyed by a pseudonym of the prefix; empty while none was.</summary>
    public static async Task<NipPrefixCounter> CounterAsync(this IDocumentSession session, string key, CancellationToken ct) =>
        await session.LoadAsync<NipPrefixCounter>(key, ct) ?? new NipPrefixCounter { Id = key };

    /// <summary>
    /// Records the sequence issued, in the decision's transaction: the counter's optimistic concurrency turns two
    /// issuances of one number at once into a 409 for the second.
    /// </summary>
    public static void Issue(this IDocumentSession session, NipPrefixCounter counter, int sequence)
    {
        counter.LastSequence = sequence;
        session.Store(counter);
    }
}
