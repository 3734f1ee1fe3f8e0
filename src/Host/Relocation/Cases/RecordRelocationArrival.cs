using System.Security.Claims;
using FluentValidation;
using Marten;
using Merit.Career;
using Merit.Infrastructure;
using Merit.Security;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;
using Microsoft.AspNetCore.Mvc;

namespace Merit.Relocation;

/// <summary>The arrival at IKN and the number of family members who came along (counted for housing).</summary>
public sealed record ArrivalRequest(string ArrivedOn, int FamilyMembers);

public sealed class ArrivalRequestValidator : AbstractValidator<ArrivalRequest>
{
    public ArrivalRequestValidator()
    {
        RuleFor(x => x.ArrivedOn).IsIsoDate();
        RuleFor(x => x.FamilyMembers).InclusiveBetween(0, 20);
    }
}

public static class RecordRelocationArrivalEndpoint
{
    /// <summary>The arrival, with the family members who came along, within what the policy houses.</summary>
    [WolverinePost("/relocation-cases/{caseId}/arrival", OperationId = "RecordRelocationArrival")]
    [ProducesResponseType<CommandPath.Appended>(StatusCodes.Status200OK)]
    [Tags("Relocation")]
    [Authorize(Roles = Roles.Committee)]
    public static Task<IResult> Post(Guid caseId, ArrivalRequest request, ClaimsPrincipal user, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        session.DecideAsync<RelocationCase>(user, caseId, c => c is { PolicyVersion: { } version }
            ? RelocationDecisions.Arrive(c, RelocationPolicies.Find(version)!, new RecordArrival(caseId, IsoDate.Parse(request.ArrivedOn), request.FamilyMembers, clock.GetUtcNow()))
            : RelocationCases.NoCase(caseId), ct);
}
