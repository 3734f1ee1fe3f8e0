using System.Security.Claims;
using FluentValidation;
using Marten;
using Merit.Infrastructure;
using Merit.Security;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;
using Microsoft.AspNetCore.Mvc;

namespace Merit.Career;

/// <summary>The calling pansel member's declaration of a conflict of interest with an applicant (R38); the member is the token's subject.</summary>
public sealed record DeclareConflictRequest(string ApplicantCode);

public sealed class DeclareConflictRequestValidator : AbstractValidator<DeclareConflictRequest>
{
    public DeclareConflictRequestValidator() => RuleFor(x => x.ApplicantCode).NotEmpty().MaximumLength(40);
}

public static class DeclareConflictOfInterestEndpoint
{
    /// <summary>A member declares a conflict of interest with an applicant and will not score them (R38).</summary>
    [WolverinePost("/jpt-selections/{selectionId}/conflicts-of-interest", OperationId = "DeclareConflictOfInterest")]
    [ProducesResponseType<CommandPath.Appended>(StatusCodes.Status200OK)]
    [Tags("Career")]
    [Authorize(Roles = Roles.PanselMember)]
    public static Task<IResult> Post(Guid selectionId, DeclareConflictRequest request, ClaimsPrincipal user, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        session.DecideAsync<JptSelection>(user, selectionId, s => JptDecisions.DeclareConflict(s, new DeclareConflictOfInterest(selectionId, PanselMembers.Of(user), request.ApplicantCode, clock.GetUtcNow())), ct);
}
