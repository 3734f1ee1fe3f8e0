using System.Security.Claims;
using FluentValidation;
using Marten;
using Merit.Deciding;
using Merit.Security;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Merit.Recruitment;

/// <summary>Fill a vacant formation with an applicant of another formation (optimalisasi).</summary>
public sealed record PlaceByOptimisationRequest(Guid ApplicationId);

public sealed class PlaceByOptimisationRequestValidator : AbstractValidator<PlaceByOptimisationRequest>
{
    public PlaceByOptimisationRequestValidator() => RuleFor(x => x.ApplicationId).NotEmpty();
}

public static class PlaceByOptimisationEndpoint
{
    /// <summary>Fill a vacancy of this formation by optimisation (stage Optimisation), best-ranked eligible applicant first (R17).</summary>
    [WolverinePost("/formations/{formationId}/optimisation", OperationId = "PlaceByOptimisation")]
    [Tags("Decisions")]
    [Authorize(Roles = Roles.Committee)]
    public static Task<IResult> Post(Guid formationId, PlaceByOptimisationRequest request, ClaimsPrincipal user, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        session.OnFormationAsync(user, formationId, async c =>
        {
            // The pool: every applicant of a formation with the same position in the round.
            var siblings = await session.Query<Formation>().Where(f => f.RoundId == c.Round.Id && f.Position == c.Formation.Position).ToListAsync(ct);
            var ids = siblings.Select(f => f.Id).ToArray();
            var applications = await session.Query<Application>().Where(a => a.FormationId.IsOneOf(ids)).ToListAsync(ct);
            var byId = siblings.ToDictionary(f => f.Id);
            var pool = AppointmentDecisions.Pool(c.Formation, applications.Select(a => (byId[a.FormationId], a)), c.Round.Rules().Skd);
            return applications.FirstOrDefault(a => a.Id == request.ApplicationId) is { } application
                ? AppointmentDecisions.PlaceByOptimisation(c.Round, c.Formation, pool, application, new PlaceByOptimisation(formationId, request.ApplicationId, clock.GetUtcNow()))
                : new Refusal(RefusalKind.Invalid, "optimisation.unknown-applicant", $"No applicant {request.ApplicationId} in a formation with the same position.", "applicationId");
        }, RecruitmentCases.Counted(formationId), ct);
}
