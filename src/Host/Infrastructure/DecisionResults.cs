using JasperFx.Events;
using Merit.Deciding;

namespace Merit.Infrastructure;

/// <summary>The last step of every command handler: append what was decided, or answer with the refusal and append nothing.</summary>
public static class DecisionResults
{
    public static IResult AppendTo<T>(this Decision decision, IEventStream<T> stream, Func<IResult> accepted)
        where T : class
    {
        if (decision.Refusal is { } refusal)
        {
            return Problems.ToResult(refusal);
        }

        stream.AppendMany(decision.Events.ToArray());
        return accepted();
    }
}
