using System.Security.Claims;
using Marten;
using Merit.Infrastructure;
using Merit.Security;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Merit.Career;

public static class ExtendJptRegistrationEndpoint
{
    /// <summary>Extend registration by 7 days when fewer than 4 eligible applicants registered; at most twice (R35).</summary>
    [WolverinePost("/jpt-selections/{selectionId}/extensions", OperationId = "ExtendJptRegistration")]
    [Tags("Career")]
    [Authorize(Roles = Roles.Committee)]
    public static Task<IResult> Post(Guid selectionId, ClaimsPrincipal user, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        session.DecideAsync<JptSelection>(user, selectionId, s => JptDecisions.Extend(s, new ExtendJptRegistration(selectionId, clock.GetUtcNow())), d =>
        {
            var extended = (JptRegistrationExtended)d.Events[0];
            return Results.Ok(new { id = selectionId, extended.Number, extended.ClosesNow });
        }, ct);
}
