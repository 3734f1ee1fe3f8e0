using Marten;
using Merit.Deciding;
using Merit.Infrastructure;

namespace Merit.Career;

/// <summary>The one shape of every career command: fetch the stream for writing, decide purely, append or refuse.</summary>
public static class CareerStreams
{
    /// <summary>What an accepted command answers: the stream and the events appended.</summary>
    public sealed record Accepted(Guid Id, IReadOnlyList<string> Events);

    public static async Task<IResult> DecideAsync<T>(this IDocumentSession session, Guid id, Func<T?, Decision> decide, CancellationToken ct, Func<Decision, IResult>? accepted = null)
        where T : class
    {
        var stream = await session.Events.FetchForWriting<T>(id, ct);
        var decision = decide(stream.Aggregate);
        return decision.AppendTo(stream, () => accepted?.Invoke(decision) ?? Results.Ok(new Accepted(id, decision.Events.Select(e => e.GetType().Name).ToList())));
    }

    public static IResult Refused(Refusal refusal) => Problems.ToResult(refusal);
}
