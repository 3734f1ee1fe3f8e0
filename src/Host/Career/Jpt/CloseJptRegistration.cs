using System.Security.Claims;
using Marten;
using Merit.Infrastructure;
using Merit.Security;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;
using Microsoft.AspNetCore.Mvc;

namespace Merit.Career;

public static class CloseJptRegistrationEndpoint
{
    /// <summary>Close registration: at least 4 eligible applicants and a formed pansel (R35).</summary>
    [WolverinePost("/jpt-selections/{selectionId}/registration-closure", OperationId = "CloseJptRegistration")]
    [ProducesResponseType<CommandPath.Appended>(StatusCodes.Status200OK)]
    [Tags("Career")]
    [Authorize(Roles = Roles.Committee)]
    public static Task<IResult> Post(Guid selectionId, ClaimsPrincipal user, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        session.DecideAsync<JptSelection>(user, selectionId, s => JptDecisions.Close(s, new CloseJptRegistration(selectionId, clock.GetUtcNow())), ct);
}
