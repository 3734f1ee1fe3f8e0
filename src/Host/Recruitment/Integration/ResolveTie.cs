using System.Security.Claims;
using FluentValidation;
using Marten;
using Merit.Security;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;
using Microsoft.AspNetCore.Mvc;

namespace Merit.Recruitment;

/// <summary>Panselnas' decision on a tie across the last place referred to it: the applications it chooses for the places left, and why.</summary>
public sealed record ResolveTieRequest(IReadOnlyList<Guid> Chosen, string Reason);

public sealed class ResolveTieRequestValidator : AbstractValidator<ResolveTieRequest>
{
    public ResolveTieRequestValidator()
    {
        RuleFor(x => x.Chosen).NotEmpty();
        RuleFor(x => x.Reason).NotEmpty().MaximumLength(2000);
    }
}

public static class ResolveTieEndpoint
{
    /// <summary>Resolve a tie referred to Panselnas (stage Integration or FinalAppeal): those chosen pass (P/L), the others stay TL (R16).</summary>
    [WolverinePost("/formations/{formationId}/tie-resolution", OperationId = "ResolveTie")]
    [ProducesResponseType<FormationDecided>(StatusCodes.Status200OK)]
    [Tags("Decisions")]
    [Authorize(Roles = Roles.Panselnas)]
    public static Task<IResult> Post(Guid formationId, ResolveTieRequest request, ClaimsPrincipal user, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        session.OnFormationAsync(user, formationId, async c =>
        {
            var applications = await session.Query<Application>().Where(a => a.FormationId == formationId).ToListAsync(ct);
            return SelectionDecisions.ResolveTie(c.Round, c.Formation, applications, new ResolveTie(formationId, request.Chosen, request.Reason, clock.GetUtcNow()));
        }, RecruitmentCases.Counted(formationId), ct);
}
