using Merit.Audit;
using Xunit;

namespace Merit.Tests.Audit;

public class SequenceSetTests
{
    [Fact]
    public void Holds_exactly_the_sequences_added_across_word_boundaries_and_growth()
    {
        var added = new long[] { 0, 1, 63, 64, 65, 127, 128, 1_000, 4_095, 4_096, 13_000_001 };
        var set = new SequenceSet();
        foreach (var sequence in added)
        {
            set.Add(sequence);
        }

        var probes = added.SelectMany(s => new[] { s - 1, s, s + 1 }).Where(s => s >= 0).Append(-1).Append(long.MaxValue).Distinct();
        Assert.All(probes, p => Assert.Equal(added.Contains(p), set.Contains(p)));
    }
}
