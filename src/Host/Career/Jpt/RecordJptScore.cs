using FluentValidation;
using Marten;
using Merit.Infrastructure;
using Merit.Security;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Merit.Career;

/// <summary>One member's score (0–100) of one applicant at one stage, with the member's declaration that there is no conflict of interest (R38).</summary>
public sealed record RecordJptScoreRequest(string MemberCode, string ApplicantCode, string Stage, decimal Score, bool NoConflictDeclared);

public sealed class RecordJptScoreRequestValidator : AbstractValidator<RecordJptScoreRequest>
{
    public RecordJptScoreRequestValidator()
    {
        RuleFor(x => x.MemberCode).NotEmpty().MaximumLength(40);
        RuleFor(x => x.ApplicantCode).NotEmpty().MaximumLength(40);
        RuleFor(x => x.Stage).NotEmpty().MaximumLength(40);
        RuleFor(x => x.Score).PrecisionScale(5, 2, ignoreTrailingZeros: true);
    }
}

public static class RecordJptScoreEndpoint
{
    /// <summary>Record one member's score of one applicant at one stage (R38).</summary>
    [WolverinePost("/jpt-selections/{selectionId}/scores", OperationId = "RecordJptScore")]
    [Tags("Career")]
    [Authorize(Roles = Roles.Committee)]
    public static Task<IResult> Post(Guid selectionId, RecordJptScoreRequest request, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        session.DecideAsync<JptSelection>(selectionId, s => JptDecisions.Score(s, new RecordJptScore(selectionId, request.MemberCode, request.ApplicantCode, request.Stage, request.Score, request.NoConflictDeclared, clock.GetUtcNow())), ct);
}
