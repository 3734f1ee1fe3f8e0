using System.Security.Claims;
using Marten;
using Merit.Deciding;
using Merit.Security;

namespace Merit.Infrastructure;

/// <summary>
/// The one way from an HTTP command to its events (docs/adr/0039). The case the command writes is fetched for writing:
/// Marten registers its stream at the version read, and the commit fails if another decision appended to it meanwhile
/// (the caller gets 409, the transaction appends nothing). The decision step reads what else it needs, checks the
/// caller's reach (its rounds, <see cref="RoundScope"/>; its instansi, <see cref="InstansiScope"/>) and calls the pure
/// decision; an accepted decision's events are appended each to its own stream (<see cref="DecisionResults.AppendRouted"/>),
/// a refusal — no such case, outside the caller's rounds or instansi, a rule — becomes problem details in one place
/// (<see cref="Problems"/>). Wolverine's transactional middleware commits.
/// </summary>
public static class CommandPath
{
    /// <summary>
    /// Fetches case <paramref name="id"/> of type <typeparamref name="T"/> for writing, decides on its state (null: its
    /// stream does not exist yet), appends what was decided and answers <paramref name="accepted"/>, or the refusal.
    /// </summary>
    public static async Task<IResult> DecideAsync<T>(this IDocumentSession session, Guid id, Func<T?, Task<Decision>> decide, Func<Decision, IResult> accepted, CancellationToken ct)
        where T : class
    {
        var stream = await session.Events.FetchForWriting<T>(id, ct);
        var decision = await decide(stream.Aggregate);
        if (decision.Refusal is { } refusal)
        {
            return Problems.ToResult(refusal);
        }

        // The fetched stream is already in the session at the version read: its events join it there.
        session.AppendRouted(decision);
        return accepted(decision);
    }

    /// <inheritdoc cref="DecideAsync{T}(IDocumentSession, Guid, Func{T, Task{Decision}}, Func{Decision, IResult}, CancellationToken)"/>
    public static Task<IResult> DecideAsync<T>(this IDocumentSession session, Guid id, Func<T?, Decision> decide, Func<Decision, IResult> accepted, CancellationToken ct)
        where T : class =>
        session.DecideAsync<T>(id, state => Task.FromResult(decide(state)), accepted, ct);

    /// <inheritdoc cref="DecideAsync{T}(IDocumentSession, Guid, Func{T, Task{Decision}}, Func{Decision, IResult}, CancellationToken)"/>
    /// <remarks>Answers <see cref="Appended"/>: the case and the events appended.</remarks>
    public static Task<IResult> DecideAsync<T>(this IDocumentSession session, Guid id, Func<T?, Task<Decision>> decide, CancellationToken ct)
        where T : class =>
        session.DecideAsync(id, decide, AppendedTo(id), ct);

    /// <inheritdoc cref="DecideAsync{T}(IDocumentSession, Guid, Func{T, Task{Decision}}, CancellationToken)"/>
    public static Task<IResult> DecideAsync<T>(this IDocumentSession session, Guid id, Func<T?, Decision> decide, CancellationToken ct)
        where T : class =>
        session.DecideAsync(id, decide, AppendedTo(id), ct);

    /// <summary>
    /// As <see cref="DecideAsync{T}(IDocumentSession, Guid, Func{T, Task{Decision}}, Func{Decision, IResult}, CancellationToken)"/>,
    /// for a case that belongs to an instansi (a career record, a JPT selection, a relocation case, a housing quota): a
    /// case outside the instansi of <paramref name="user"/>'s token is refused (403 <c>scope.instansi</c>) before
    /// anything is decided.
    /// </summary>
    public static Task<IResult> DecideAsync<T>(this IDocumentSession session, ClaimsPrincipal user, Guid id, Func<T?, Task<Decision>> decide, Func<Decision, IResult> accepted, CancellationToken ct)
        where T : class =>
        session.DecideAsync<T>(id, async state => InstansiScope.CheckCase(user, state) ?? await decide(state), accepted, ct);

    /// <inheritdoc cref="DecideAsync{T}(IDocumentSession, ClaimsPrincipal, Guid, Func{T, Task{Decision}}, Func{Decision, IResult}, CancellationToken)"/>
    public static Task<IResult> DecideAsync<T>(this IDocumentSession session, ClaimsPrincipal user, Guid id, Func<T?, Decision> decide, Func<Decision, IResult> accepted, CancellationToken ct)
        where T : class =>
        session.DecideAsync<T>(user, id, state => Task.FromResult(decide(state)), accepted, ct);

    /// <inheritdoc cref="DecideAsync{T}(IDocumentSession, ClaimsPrincipal, Guid, Func{T, Task{Decision}}, Func{Decision, IResult}, CancellationToken)"/>
    public static Task<IResult> DecideAsync<T>(this IDocumentSession session, ClaimsPrincipal user, Guid id, Func<T?, Task<Decision>> decide, CancellationToken ct)
        where T : class =>
        session.DecideAsync(user, id, decide, AppendedTo(id), ct);

    /// <inheritdoc cref="DecideAsync{T}(IDocumentSession, ClaimsPrincipal, Guid, Func{T, Task{Decision}}, Func{Decision, IResult}, CancellationToken)"/>
    public static Task<IResult> DecideAsync<T>(this IDocumentSession session, ClaimsPrincipal user, Guid id, Func<T?, Decision> decide, CancellationToken ct)
        where T : class =>
        session.DecideAsync(user, id, decide, AppendedTo(id), ct);

    /// <summary>What an accepted command answers unless it says more: the case and the names of the events appended.</summary>
    public sealed record Appended(Guid Id, IReadOnlyList<string> Events);

    /// <summary>The answer <see cref="Appended"/> for case <paramref name="id"/>.</summary>
    public static Func<Decision, IResult> AppendedTo(Guid id) =>
        d => Results.Ok(new Appended(id, d.Events.Select(e => e.GetType().Name).ToList()));

    /// <summary>The refusal for a case that does not exist: 404, "No {what} {id}."</summary>
    public static Refusal NotFound(string what, object id) => new(RefusalKind.NotFound, "not-found", $"No {what} {id}.");
}
