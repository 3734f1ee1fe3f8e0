using System.Security.Claims;
using Marten;
using Merit.Infrastructure;
using Merit.Security;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;
using Microsoft.AspNetCore.Mvc;

namespace Merit.Career;

/// <summary>The registration extended: which extension this is and the new closing day.</summary>
public sealed record JptExtensionView(Guid Id, int Number, DateOnly ClosesNow);

public static class ExtendJptRegistrationEndpoint
{
    /// <summary>Extend registration by 7 days when fewer than 4 eligible applicants registered; at most twice (R35).</summary>
    [WolverinePost("/jpt-selections/{selectionId}/extensions", OperationId = "ExtendJptRegistration")]
    [ProducesResponseType<JptExtensionView>(StatusCodes.Status200OK)]
    [Tags("Career")]
    [Authorize(Roles = Roles.Committee)]
    public static Task<IResult> Post(Guid selectionId, ClaimsPrincipal user, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        session.DecideAsync<JptSelection>(user, selectionId, s => JptDecisions.Extend(s, new ExtendJptRegistration(selectionId, clock.GetUtcNow())), d =>
        {
            var extended = (JptRegistrationExtended)d.Events[0];
            return Results.Ok(new JptExtensionView(selectionId, extended.Number, extended.ClosesNow));
        }, ct);
}
