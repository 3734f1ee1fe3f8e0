using System.Security.Claims;
using Marten;
using Merit.Infrastructure;
using Merit.Security;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;
using Microsoft.AspNetCore.Mvc;

namespace Merit.Career;

/// <summary>The shortlist proposed to the PPK, how many applicants were ranked, and the rule set applied.</summary>
public sealed record JptShortlistView(Guid Id, IReadOnlyList<ShortlistEntry> Shortlist, int Ranked, string RuleSetVersion);

public static class ProposeJptShortlistEndpoint
{
    /// <summary>The pansel's list: the 3 best by the recorded scores (R37).</summary>
    [WolverinePost("/jpt-selections/{selectionId}/shortlist", OperationId = "ProposeJptShortlist")]
    [ProducesResponseType<JptShortlistView>(StatusCodes.Status200OK)]
    [Tags("Career")]
    [Authorize(Roles = Roles.Committee)]
    public static Task<IResult> Post(Guid selectionId, ClaimsPrincipal user, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        session.DecideAsync<JptSelection>(user, selectionId, s => JptDecisions.ProposeShortlist(s, new ProposeJptShortlist(selectionId, clock.GetUtcNow())), d =>
        {
            var proposed = (JptShortlistProposed)d.Events[0];
            return Results.Ok(new JptShortlistView(selectionId, proposed.Shortlist, proposed.Ranked, proposed.RuleSetVersion));
        }, ct);
}
