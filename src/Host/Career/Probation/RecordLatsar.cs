using System.Security.Claims;
using FluentValidation;
using Marten;
using Merit.Infrastructure;
using Merit.Security;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;
using Microsoft.AspNetCore.Mvc;

namespace Merit.Career;

/// <summary>Latsar result: passed, working days (113) and lesson hours (1,141 JP), and the day it ended.</summary>
public sealed record RecordLatsarRequest(bool Passed, int WorkingDays, int LessonHours, string CompletedOn);

public sealed class RecordLatsarRequestValidator : AbstractValidator<RecordLatsarRequest>
{
    public RecordLatsarRequestValidator()
    {
        RuleFor(x => x.WorkingDays).InclusiveBetween(0, 400);
        RuleFor(x => x.LessonHours).InclusiveBetween(0, 5000);
        RuleFor(x => x.CompletedOn).IsIsoDate();
    }
}

public static class RecordLatsarEndpoint
{
    /// <summary>Record the latsar result of a CPNS (R19).</summary>
    [WolverinePost("/civil-servants/{servantId}/latsar", OperationId = "RecordLatsar")]
    [ProducesResponseType<CommandPath.Appended>(StatusCodes.Status200OK)]
    [Tags("Career")]
    [Authorize(Roles = Roles.Committee)]
    public static Task<IResult> Post(Guid servantId, RecordLatsarRequest request, ClaimsPrincipal user, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        session.DecideAsync<CareerRecord>(user, servantId, r => CareerDecisions.RecordLatsar(r, new RecordLatsar(servantId, request.Passed, request.WorkingDays, request.LessonHours, IsoDate.Parse(request.CompletedOn), clock.GetUtcNow())), ct);
}
