using System.Security.Claims;
using FluentValidation;
using Marten;
using Merit.Infrastructure;
using Merit.Security;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;
using Microsoft.AspNetCore.Mvc;

namespace Merit.Career;

/// <summary>A disciplinary sentence: decree number, level (Light, Medium, Heavy), first and last day.</summary>
public sealed record ImposeSentenceRequest(string DecreeNumber, string Level, string Start, string Until);

public sealed class ImposeSentenceRequestValidator : AbstractValidator<ImposeSentenceRequest>
{
    public ImposeSentenceRequestValidator()
    {
        RuleFor(x => x.DecreeNumber).NotEmpty().MaximumLength(100);
        RuleFor(x => x.Level).IsName<ImposeSentenceRequest, DisciplineLevel>();
        RuleFor(x => x.Start).IsIsoDate();
        RuleFor(x => x.Until).IsIsoDate();
    }
}

public static class ImposeDisciplinarySentenceEndpoint
{
    /// <summary>Record a disciplinary sentence with its period (R31, R40).</summary>
    [WolverinePost("/civil-servants/{servantId}/disciplinary-sentences", OperationId = "ImposeDisciplinarySentence")]
    [ProducesResponseType<CommandPath.Appended>(StatusCodes.Status200OK)]
    [Tags("Career")]
    [Authorize(Roles = Roles.Ppk)]
    public static Task<IResult> Post(Guid servantId, ImposeSentenceRequest request, ClaimsPrincipal user, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        session.DecideAsync<CareerRecord>(user, servantId, r => CareerDecisions.ImposeSentence(r, new ImposeDisciplinarySentence(
            servantId, request.DecreeNumber, CareerCodes.Parse<DisciplineLevel>(request.Level), IsoDate.Parse(request.Start), IsoDate.Parse(request.Until), clock.GetUtcNow())), ct);
}
