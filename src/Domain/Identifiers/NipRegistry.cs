using System.Collections.Immutable;
using Merit.Deciding;

namespace Merit.Identifiers;

/// <summary>
/// The state R23 allocates from: the highest NIP sequence ever issued for each first-15-digit prefix. Only the
/// highest is kept and nothing lowers it: a NIP is never reassigned, even after its holder leaves or it is revoked,
/// so there is no operation that frees a number, and a gap (imported data, a revoked NIP) is never filled.
/// The prefixes hold birth dates: this state is personal data, to be kept beside the event stream, not in it.
/// </summary>
public sealed record NipRegistry
{
    private readonly ImmutableDictionary<string, int> lastSequenceByPrefix;

    private NipRegistry(ImmutableDictionary<string, int> lastSequenceByPrefix) =>
        this.lastSequenceByPrefix = lastSequenceByPrefix;

    public static NipRegistry Empty { get; } = new(ImmutableDictionary.Create<string, int>(StringComparer.Ordinal));

    /// <summary>The registry that knows every NIP already issued, e.g. imported from SIASN or replayed.</summary>
    /// <exception cref="FormatException">One of them breaks R22.</exception>
    public static NipRegistry From(IEnumerable<string> issuedNips)
    {
        ArgumentNullException.ThrowIfNull(issuedNips);
        return issuedNips.Aggregate(Empty, (registry, nip) => registry.Record(nip));
    }

    /// <summary>Prefix (first 15 digits) → highest sequence ever issued with it.</summary>
    public IReadOnlyDictionary<string, int> LastSequenceByPrefix => lastSequenceByPrefix;

    /// <summary>The highest sequence issued for <paramref name="prefix15"/>, 0 when none was.</summary>
    public int LastSequence(string prefix15) => lastSequenceByPrefix.GetValueOrDefault(prefix15);

    /// <summary>This registry after <paramref name="nip"/> was issued, in any order: the highest sequence stays.</summary>
    /// <exception cref="FormatException">The NIP breaks R22.</exception>
    public NipRegistry Record(string nip)
    {
        var sequence = Nip.Parse(nip).Sequence;
        var prefix = nip[..Nip.PrefixLength];
        return sequence <= LastSequence(prefix) ? this : new(lastSequenceByPrefix.SetItem(prefix, sequence));
    }

    /// <summary>Two registries are equal when they hold the same highest sequence for the same prefixes.</summary>
    public bool Equals(NipRegistry? other) =>
        other is not null
        && lastSequenceByPrefix.Count == other.lastSequenceByPrefix.Count
        && lastSequenceByPrefix.All(kv => other.LastSequence(kv.Key) == kv.Value);

    public override int GetHashCode() =>
        lastSequenceByPrefix.Aggregate(0, (hash, kv) => hash ^ HashCode.Combine(kv.Key, kv.Value));
}

/// <summary>The outcome of <see cref="Nip.Allocate"/> (R23): <see cref="NipIssued"/> or <see cref="NipRefused"/>.</summary>
public abstract record NipAllocation
{
    private protected NipAllocation()
    {
    }
}

/// <summary>The NIP issued, and the registry that now records it (the caller keeps <paramref name="Next"/>).</summary>
public sealed record NipIssued(string Nip, NipRegistry Next) : NipAllocation;

/// <summary>No NIP: the reason, as every decision gives it. The registry is unchanged.</summary>
public sealed record NipRefused(Refusal Refusal) : NipAllocation;
