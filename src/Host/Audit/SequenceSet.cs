namespace Merit.Audit;

/// <summary>
/// A set of event sequence numbers as one bit each: a store of 13 million events takes 1.6 MB, so a verification that
/// remembers which events it has confirmed keeps its memory flat.
/// </summary>
public sealed class SequenceSet
{
    private ulong[] words = [];

    public void Add(long sequence)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sequence);
        var word = (int)(sequence >> 6);
        if (word >= words.Length)
        {
            Array.Resize(ref words, Math.Max(word + 1, words.Length * 2));
        }

        words[word] |= 1UL << (int)(sequence & 63);
    }

    public bool Contains(long sequence)
    {
        var word = sequence >> 6;
        return sequence >= 0 && word < words.Length && (words[word] & (1UL << (int)(sequence & 63))) != 0;
    }
}
