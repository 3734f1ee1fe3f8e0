using Marten;
using Merit.Identifiers;

namespace Merit.PersonalData;

/// <summary>
/// R23 over every NIP already recorded, not only those issued here: NIPs that arrive with a workforce import or from a
/// list of NIPs issued elsewhere raise their prefix's <see cref="NipPrefixCounter"/> to their sequence, so an issuance
/// never repeats one of them. A counter is never lowered. The prefixes embed birth dates: only their keyed hashes are stored.
/// </summary>
public static class KnownNips
{
    /// <summary>Stores, in <paramref name="session"/>, the counters these well-formed NIPs raise; returns how many rose.</summary>
    public static async Task<int> RecordKnownNipsAsync(this IDocumentSession session, PersonalDataProtector protector, IEnumerable<string> nips, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(protector);
        var highest = nips
            .GroupBy(n => n[..Nip.PrefixLength], StringComparer.Ordinal)
            .ToDictionary(g => protector.NipPrefixKey(g.Key), g => g.Max(n => Nip.Parse(n).Sequence), StringComparer.Ordinal);
        if (highest.Count == 0)
        {
            return 0;
        }

        var counters = (await session.LoadManyAsync<NipPrefixCounter>(ct, highest.Keys.ToArray())).ToDictionary(c => c.Id, StringComparer.Ordinal);
        var raised = 0;
        foreach (var (key, sequence) in highest.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var counter = counters.GetValueOrDefault(key) ?? new NipPrefixCounter { Id = key };
            if (counter.LastSequence >= sequence)
            {
                continue;
            }

            counter.LastSequence = sequence;
            session.Store(counter);
            raised++;
        }

        return raised;
    }
}
