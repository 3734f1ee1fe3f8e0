using System.Security.Claims;
using Marten;
using Merit.Infrastructure;
using Merit.Projections.Recruitment;
using Merit.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Merit.Recruitment;

/// <summary>A round's id, code, rule set and current stage.</summary>
public sealed record RoundView(Guid Id, string Code, string Name, string RuleSetVersion, RoundStage Stage, DateTimeOffset StageSince)
{
    public static RoundView From(Round r) => new(r.Id, r.Code, r.Name, r.RuleSetVersion, r.Stage, r.StageSince);
}

/// <summary>What recruitment answers without deciding: rounds, rule sets, formations, an applicant's case.</summary>
public static class RecruitmentQueries
{
    /// <summary>The rounds of the caller's token scope (every round for an admin), ordered by code.</summary>
    [WolverineGet("/rounds", OperationId = "ListRounds")]
    [Tags("Rounds")]
    [Authorize(Roles = Roles.Anyone)]
    public static async Task<IReadOnlyList<RoundView>> ListRounds(ClaimsPrincipal user, IQuerySession session, CancellationToken ct) =>
        (await session.Query<Round>().ToListAsync(ct))
            .Where(r => RoundScope.AllowsReading(user, r))
            .OrderBy(r => r.Code, StringComparer.Ordinal)
            .Select(RoundView.From)
            .ToList();

    /// <summary>A round and its current stage.</summary>
    [WolverineGet("/rounds/{roundId}", OperationId = "GetRound")]
    [ProducesResponseType<RoundView>(StatusCodes.Status200OK)]
    [Tags("Rounds")]
    [Authorize(Roles = Roles.Anyone)]
    public static async Task<IResult> GetRound(Guid roundId, ClaimsPrincipal user, IQuerySession session, CancellationToken ct) =>
        await session.RefuseReadingAsync(user, roundId, ct)
        ?? (await session.LoadAsync<Round>(roundId, ct) is { } round
            ? Results.Ok(RoundView.From(round))
            : Results.Problem(Problems.NotFound("round", roundId)));

    /// <summary>The rule sets Merit ships, with their thresholds, weights and sources.</summary>
    [WolverineGet("/rule-sets", OperationId = "ListRuleSets")]
    [Tags("Rule sets")]
    [Authorize(Roles = Roles.Anyone)]
    public static IEnumerable<RuleSet> ListRuleSets() => RuleSetCatalog.RuleSets.OrderBy(r => r.Version, StringComparer.Ordinal);

    /// <summary>Per-formation counts (asynchronous read model; may trail the newest event briefly).</summary>
    [WolverineGet("/formations/{formationId}/summary", OperationId = "GetFormationSummary")]
    [ProducesResponseType<FormationSummary>(StatusCodes.Status200OK)]
    [Tags("Formations")]
    [Authorize(Roles = Roles.CommitteeOrAuditor)]
    public static async Task<IResult> GetFormationSummary(Guid formationId, ClaimsPrincipal user, IQuerySession session, CancellationToken ct) =>
        await session.LoadAsync<FormationSummary>(formationId, ct) is { } summary
            ? await session.RefuseReadingAsync(user, summary.RoundId, ct) ?? Results.Ok(summary)
            : Results.Problem(Problems.NotFound("formation summary", formationId));

    /// <summary>All formation summaries of a round, ordered by formation code.</summary>
    [WolverineGet("/rounds/{roundId}/formations", OperationId = "ListFormations")]
    [Tags("Formations")]
    [ProducesResponseType<IReadOnlyList<FormationSummary>>(StatusCodes.Status200OK)]
    [Authorize(Roles = Roles.CommitteeOrAuditor)]
    public static async Task<IResult> ListFormations(Guid roundId, ClaimsPrincipal user, IQuerySession session, CancellationToken ct) =>
        await session.RefuseReadingAsync(user, roundId, ct)
        ?? Results.Ok(await session.Query<FormationSummary>().Where(f => f.RoundId == roundId).OrderBy(f => f.Code).ToListAsync(ct));

    /// <summary>
    /// An applicant's case: status and decisions, without personal data. Read on the streaming standby when there is
    /// one (docs/adr/0054): a decision just recorded appears once the standby has replayed it.
    /// </summary>
    [WolverineGet("/applications/{applicationId}", OperationId = "GetApplicantCase")]
    [ProducesResponseType<ApplicantCase>(StatusCodes.Status200OK)]
    [Tags("Applications")]
    [Authorize(Roles = Roles.CommitteeOrAuditor)]
    public static async Task<IResult> GetApplicantCase(Guid applicationId, ClaimsPrincipal user, ReadReplica replica, CancellationToken ct)
    {
        await using var read = await replica.BeginAsync(ct);
        var session = read.Session;
        return await session.LoadAsync<ApplicantCase>(applicationId, ct) is { } found
            ? await session.RefuseReadingAsync(user, found.RoundId, ct) ?? Results.Ok(found)
            : Results.Problem(Problems.NotFound("application", applicationId));
    }
}
