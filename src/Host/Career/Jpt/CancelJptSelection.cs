using System.Security.Claims;
using FluentValidation;
using Marten;
using Merit.Infrastructure;
using Merit.Security;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;
using Microsoft.AspNetCore.Mvc;

namespace Merit.Career;

/// <summary>Cancel a selection, with the reason.</summary>
public sealed record CancelJptSelectionRequest(string Reason);

public sealed class CancelJptSelectionRequestValidator : AbstractValidator<CancelJptSelectionRequest>
{
    public CancelJptSelectionRequestValidator() => RuleFor(x => x.Reason).NotEmpty().MaximumLength(2000);
}

public static class CancelJptSelectionEndpoint
{
    /// <summary>Cancel a selection.</summary>
    [WolverinePost("/jpt-selections/{selectionId}/cancellation", OperationId = "CancelJptSelection")]
    [ProducesResponseType<CommandPath.Appended>(StatusCodes.Status200OK)]
    [Tags("Career")]
    [Authorize(Roles = Roles.Committee)]
    public static Task<IResult> Post(Guid selectionId, CancelJptSelectionRequest request, ClaimsPrincipal user, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        session.DecideAsync<JptSelection>(user, selectionId, s => JptDecisions.Cancel(s, new CancelJptSelection(selectionId, request.Reason, clock.GetUtcNow())), ct);
}
