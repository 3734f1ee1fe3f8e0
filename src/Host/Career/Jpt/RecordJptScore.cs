using System.Security.Claims;
using FluentValidation;
using Marten;
using Merit.Infrastructure;
using Merit.Security;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;
using Microsoft.AspNetCore.Mvc;

namespace Merit.Career;

/// <summary>
/// The caller's score (0–100) of one applicant at one stage, with their declaration that there is no conflict of
/// interest (R38). The member is the token's subject, never a code in the body: a member scores only as themself.
/// </summary>
public sealed record RecordJptScoreRequest(string ApplicantCode, string Stage, decimal Score, bool NoConflictDeclared);

public sealed class RecordJptScoreRequestValidator : AbstractValidator<RecordJptScoreRequest>
{
    public RecordJptScoreRequestValidator()
    {
        RuleFor(x => x.ApplicantCode).NotEmpty().MaximumLength(40);
        RuleFor(x => x.Stage).NotEmpty().MaximumLength(40);
        RuleFor(x => x.Score).PrecisionScale(5, 2, ignoreTrailingZeros: true);
    }
}

public static class RecordJptScoreEndpoint
{
    /// <summary>Record the calling pansel member's score of one applicant at one stage (R38).</summary>
    [WolverinePost("/jpt-selections/{selectionId}/scores", OperationId = "RecordJptScore")]
    [ProducesResponseType<CommandPath.Appended>(StatusCodes.Status200OK)]
    [Tags("Career")]
    [Authorize(Roles = Roles.PanselMember)]
    public static Task<IResult> Post(Guid selectionId, RecordJptScoreRequest request, ClaimsPrincipal user, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        session.DecideAsync<JptSelection>(user, selectionId, s => JptDecisions.Score(s, new RecordJptScore(selectionId, PanselMembers.Of(user), request.ApplicantCode, request.Stage, request.Score, request.NoConflictDeclared, clock.GetUtcNow())), ct);
}
