using System.Security.Claims;
using FluentValidation;
using Marten;
using Merit.Deciding;
using Merit.Security;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;
using Microsoft.AspNetCore.Mvc;

namespace Merit.Recruitment;

/// <summary>The instansi's (PPK's) proposal of an applicant for a vacancy of the formation, and why.</summary>
public sealed record ProposeOptimisationRequest(Guid ApplicationId, string Reason);

public sealed class ProposeOptimisationRequestValidator : AbstractValidator<ProposeOptimisationRequest>
{
    public ProposeOptimisationRequestValidator()
    {
        RuleFor(x => x.ApplicationId).NotEmpty();
        RuleFor(x => x.Reason).NotEmpty().MaximumLength(2000);
    }
}

public static class ProposeOptimisationEndpoint
{
    /// <summary>
    /// Propose the best-ranked applicant of the pool for a vacancy of this formation (stage Optimisation): same position
    /// and education, SKB sat, the umum threshold for an umum place, ranked by the final score, the formation's own tied
    /// applicants first (R17). Panselnas approves or rejects it as a decision of its own.
    /// </summary>
    [WolverinePost("/formations/{formationId}/optimisation-proposals", OperationId = "ProposeOptimisation")]
    [ProducesResponseType<FormationDecided>(StatusCodes.Status200OK)]
    [Tags("Decisions")]
    [Authorize(Roles = Roles.Ppk)]
    public static Task<IResult> Post(Guid formationId, ProposeOptimisationRequest request, ClaimsPrincipal user, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        session.OnFormationAsync(user, formationId, async c =>
        {
            // Every applicant of a formation with the same position in the round: the pool's candidates.
            var siblings = await session.Query<Formation>().Where(f => f.RoundId == c.Round.Id && f.Position == c.Formation.Position).ToListAsync(ct);
            var ids = siblings.Select(f => f.Id).ToArray();
            var applications = await session.Query<Application>().Where(a => a.FormationId.IsOneOf(ids)).ToListAsync(ct);
            var byId = siblings.ToDictionary(f => f.Id);
            var pool = AppointmentDecisions.Pool(c.Formation, applications.Select(a => (byId[a.FormationId], a)), c.Round.Rules());
            return applications.FirstOrDefault(a => a.Id == request.ApplicationId) is { } application
                ? AppointmentDecisions.ProposeOptimisation(c.Round, c.Formation, pool, application, new ProposeOptimisation(formationId, request.ApplicationId, request.Reason, clock.GetUtcNow()))
                : new Refusal(RefusalKind.Invalid, "optimisation.unknown-applicant", $"No applicant {request.ApplicationId} in a formation with the same position.", "applicationId");
        }, RecruitmentCases.Counted(formationId), ct);
}
