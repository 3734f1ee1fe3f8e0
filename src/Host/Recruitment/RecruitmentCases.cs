using System.Security.Claims;
using Marten;
using Merit.Deciding;
using Merit.Infrastructure;
using Merit.Security;

namespace Merit.Recruitment;

/// <summary>What a command on an application decides on: the application, the formation applied to, and its round.</summary>
public sealed record ApplicationCase(Round Round, Formation Formation, Application Application);

/// <summary>What a command on a formation decides on: the formation and its round.</summary>
public sealed record FormationCase(Round Round, Formation Formation);

/// <summary>
/// The recruitment cases on the command path (<see cref="CommandPath"/>): a round, a formation or an application, each
/// with its round, whose stage and rule set every decision reads and whose code keeps a committee member to the rounds
/// of their token (<see cref="RoundScope"/>). A case that does not exist is a 404, a round outside the caller's scope a
/// 403, both refusals before anything is decided.
/// </summary>
public static class RecruitmentCases
{
    /// <summary>A command on an existing application.</summary>
    public static Task<IResult> OnApplicationAsync(this IDocumentSession session, ClaimsPrincipal user, Guid applicationId, Func<ApplicationCase, Task<Decision>> decide, Func<Decision, IResult> accepted, CancellationToken ct) =>
        session.DecideAsync<Application>(applicationId, async application =>
        {
            if (application is null)
            {
                return CommandPath.NotFound("application", applicationId);
            }

            var round = await session.RoundOfAsync(application.RoundId, ct);
            if (RoundScope.Check(user, round) is { } outside)
            {
                return outside;
            }

            var formation = (await session.LoadAsync<Formation>(application.FormationId, ct))!;
            return await decide(new ApplicationCase(round, formation, application));
        }, accepted, ct);

    /// <inheritdoc cref="OnApplicationAsync(IDocumentSession, ClaimsPrincipal, Guid, Func{ApplicationCase, Task{Decision}}, Func{Decision, IResult}, CancellationToken)"/>
    public static Task<IResult> OnApplicationAsync(this IDocumentSession session, ClaimsPrincipal user, Guid applicationId, Func<ApplicationCase, Decision> decide, Func<Decision, IResult> accepted, CancellationToken ct) =>
        session.OnApplicationAsync(user, applicationId, c => Task.FromResult(decide(c)), accepted, ct);

    /// <summary>A command on an existing formation.</summary>
    public static Task<IResult> OnFormationAsync(this IDocumentSession session, ClaimsPrincipal user, Guid formationId, Func<FormationCase, Task<Decision>> decide, Func<Decision, IResult> accepted, CancellationToken ct) =>
        session.DecideAsync<Formation>(formationId, async formation =>
        {
            if (formation is null)
            {
                return CommandPath.NotFound("formation", formationId);
            }

            var round = await session.RoundOfAsync(formation.RoundId, ct);
            return RoundScope.Check(user, round) ?? await decide(new FormationCase(round, formation));
        }, accepted, ct);

    /// <inheritdoc cref="OnFormationAsync(IDocumentSession, ClaimsPrincipal, Guid, Func{FormationCase, Task{Decision}}, Func{Decision, IResult}, CancellationToken)"/>
    public static Task<IResult> OnFormationAsync(this IDocumentSession session, ClaimsPrincipal user, Guid formationId, Func<FormationCase, Decision> decide, Func<Decision, IResult> accepted, CancellationToken ct) =>
        session.OnFormationAsync(user, formationId, c => Task.FromResult(decide(c)), accepted, ct);

    /// <summary>A command on an existing round.</summary>
    public static Task<IResult> OnRoundAsync(this IDocumentSession session, ClaimsPrincipal user, Guid roundId, Func<Round, Task<Decision>> decide, Func<Decision, IResult> accepted, CancellationToken ct) =>
        session.DecideAsync<Round>(roundId, async round =>
            round is null ? CommandPath.NotFound("round", roundId) : RoundScope.Check(user, round) ?? await decide(round), accepted, ct);

    /// <summary>
    /// A command that starts a case of type <typeparamref name="T"/> in an existing round (a formation, an application):
    /// <paramref name="decide"/> gets the round and the case as it stands, null while its stream does not exist.
    /// </summary>
    public static Task<IResult> InRoundAsync<T>(this IDocumentSession session, ClaimsPrincipal user, Guid roundId, Guid id, Func<Round, T?, Task<Decision>> decide, Func<Decision, IResult> accepted, CancellationToken ct)
        where T : class =>
        session.DecideAsync<T>(id, async existing =>
            await session.LoadAsync<Round>(roundId, ct) is not { } round
                ? CommandPath.NotFound("round", roundId)
                : RoundScope.Check(user, round) ?? await decide(round, existing), accepted, ct);

    /// <inheritdoc cref="InRoundAsync{T}(IDocumentSession, ClaimsPrincipal, Guid, Guid, Func{Round, T, Task{Decision}}, Func{Decision, IResult}, CancellationToken)"/>
    public static Task<IResult> InRoundAsync<T>(this IDocumentSession session, ClaimsPrincipal user, Guid roundId, Guid id, Func<Round, T?, Decision> decide, Func<Decision, IResult> accepted, CancellationToken ct)
        where T : class =>
        session.InRoundAsync<T>(user, roundId, id, (round, existing) => Task.FromResult(decide(round, existing)), accepted, ct);

    /// <summary>The answer of an application command: the application and the events recorded.</summary>
    public static Func<Decision, IResult> Recorded(Guid applicationId) =>
        d => Results.Ok(new ApplicationRecorded(applicationId, [.. d.Events.Select(e => e.GetType().Name)]));

    /// <summary>The answer of a formation decision: the formation and how many events of each kind it recorded (one per applicant decided).</summary>
    public static Func<Decision, IResult> Counted(Guid formationId) =>
        d => Results.Ok(new FormationDecided(formationId, [.. d.Events.GroupBy(e => e.GetType().Name).Select(g => new EventCount(g.Key, g.Count()))]));

    // Every formation and application belongs to a round that exists: it was checked when the case was started.
    private static async Task<Round> RoundOfAsync(this IDocumentSession session, Guid roundId, CancellationToken ct) =>
        (await session.LoadAsync<Round>(roundId, ct))!;
}

/// <summary>What an application command answers: the application and the names of the events it recorded.</summary>
public sealed record ApplicationRecorded(Guid Id, IReadOnlyList<string> Recorded);

/// <summary>What a formation decision answers: the formation and how many events of each kind it recorded.</summary>
public sealed record FormationDecided(Guid Id, IReadOnlyList<EventCount> Recorded);

/// <summary>How many events of one kind a decision recorded.</summary>
public sealed record EventCount(string Event, int Count);
