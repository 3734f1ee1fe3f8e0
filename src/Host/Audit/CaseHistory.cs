using Microsoft.AspNetCore.Authorization;
using Merit.Security;
using System.Globalization;
using JasperFx.Events;
using Marten;
using Merit.Infrastructure;
using Merit.Recruitment;
using Wolverine.Http;
using Microsoft.AspNetCore.Mvc;

namespace Merit.Audit;

/// <summary>One event of a case's history as an auditor reads it: what, when, by whom, under which rule set, with its chain hash.</summary>
public sealed record HistoryEntry(long Version, long Sequence, DateTimeOffset Timestamp, string Type, string? Actor, string? CorrelationId, string? RuleSetVersion, string? Hash, object Data);

/// <summary>A case's state at a moment (or version), and the history that led to it.</summary>
public sealed record CaseAsOf(Guid Id, string Kind, long Version, DateTimeOffset? AsOf, object? State, IReadOnlyList<HistoryEntry> History);

/// <summary>
/// Point-in-time reconstruction of any case — round, formation, application — from its events alone: what was
/// known and decided at a past moment, replaying the same pure Evolve functions the decisions use.
/// </summary>
public sealed class CaseHistory(IDocumentStore store)
{
    /// <summary>The case as of <paramref name="asOf"/> (inclusive) or <paramref name="version"/>; the latest when neither is given. Null when no such stream.</summary>
    public async Task<CaseAsOf?> ReadAsync(Guid id, DateTimeOffset? asOf, long? version, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var events = await session.Events.FetchStreamAsync(id, token: ct);
        if (events.Count == 0)
        {
            return null;
        }

        var upTo = events.Where(e => (asOf is null || e.Timestamp <= asOf) && (version is null || e.Version <= version)).ToList();
        var (kind, state) = Replay(events[0].Data, upTo.Select(e => e.Data));
        return new CaseAsOf(id, kind, upTo.Count == 0 ? 0 : upTo[^1].Version, asOf, state, upTo.Select(Entry).ToList());
    }

    public static HistoryEntry Entry(IEvent e) => new(
        e.Version,
        e.Sequence,
        e.Timestamp,
        e.EventTypeName,
        e.UserName,
        e.CorrelationId,
        e.Data.GetType().GetProperty("RuleSetVersion")?.GetValue(e.Data) as string,
        e.Headers is { } headers && headers.TryGetValue("hash", out var hash) ? Convert.ToString(hash, CultureInfo.InvariantCulture) : null,
        e.Data);

    /// <summary>The stream's kind from its first event, and the state after the given events.</summary>
    private static (string Kind, object? State) Replay(object first, IEnumerable<object> events) => first switch
    {
        RoundOpened => ("round", events.Aggregate((Round?)null, Round.Evolve)),
        FormationOpened => ("formation", events.Aggregate((Formation?)null, Formation.Evolve)),
        ApplicantRegistered => ("application", events.Aggregate((Application?)null, Application.Evolve)),
        _ => (first.GetType().Name, null),
    };
}

public static class CaseHistoryEndpoints
{
    /// <summary>
    /// A case (round, formation or application) as it stood at a past moment (<c>asOf</c>, ISO 8601) or version,
    /// with every event up to then: actor, time, rule set version and hash.
    /// </summary>
    [WolverineGet("/cases/{caseId}", OperationId = "GetCaseAsOf")]
    [ProducesResponseType<CaseAsOf>(StatusCodes.Status200OK)]
    [Tags("Audit")]
    [Authorize(Roles = Roles.Auditor)]
    public static async Task<IResult> Get(Guid caseId, DateTimeOffset? asOf, long? version, CaseHistory history, CancellationToken ct) =>
        await history.ReadAsync(caseId, asOf, version, ct) is { } found
            ? Results.Ok(found)
            : Results.Problem(Problems.NotFound("case", caseId));
}
