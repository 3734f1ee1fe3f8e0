using System.Security.Claims;
using FluentValidation;
using Marten;
using Merit.Deciding;
using Merit.Security;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;
using Microsoft.AspNetCore.Mvc;

namespace Merit.Recruitment;

/// <summary>Panselnas' decision on a pending proposal: approved (the placement, P/L-2) or not, and why.</summary>
public sealed record DecideOptimisationProposalRequest(bool Approve, string Reason);

public sealed class DecideOptimisationProposalRequestValidator : AbstractValidator<DecideOptimisationProposalRequest>
{
    public DecideOptimisationProposalRequestValidator() => RuleFor(x => x.Reason).NotEmpty().MaximumLength(2000);
}

public static class DecideOptimisationProposalEndpoint
{
    /// <summary>Approve or reject the instansi's proposal of an applicant for a vacancy of this formation (stage Optimisation, R17).</summary>
    [WolverinePost("/formations/{formationId}/optimisation-proposals/{applicationId}/decision", OperationId = "DecideOptimisationProposal")]
    [ProducesResponseType<FormationDecided>(StatusCodes.Status200OK)]
    [Tags("Decisions")]
    [Authorize(Roles = Roles.Panselnas)]
    public static Task<IResult> Post(Guid formationId, Guid applicationId, DecideOptimisationProposalRequest request, ClaimsPrincipal user, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        session.OnFormationAsync(user, formationId, async c =>
        {
            // The applicant's stream too, at the version read: a concurrent decision on the applicant makes this one 409.
            var applicant = await session.Events.FetchForWriting<Application>(applicationId, ct);
            return applicant.Aggregate is { } application
                ? AppointmentDecisions.DecideOptimisationProposal(c.Round, c.Formation, application, new DecideOptimisationProposal(formationId, applicationId, request.Approve, request.Reason, clock.GetUtcNow()))
                : new Refusal(RefusalKind.NotFound, "not-found", $"No application {applicationId}.");
        }, RecruitmentCases.Counted(formationId), ct);
}
