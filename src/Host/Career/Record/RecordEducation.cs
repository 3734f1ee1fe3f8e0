using System.Security.Claims;
using FluentValidation;
using Marten;
using Merit.Infrastructure;
using Merit.Security;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;
using Microsoft.AspNetCore.Mvc;

namespace Merit.Career;

/// <summary>An education acquired: SD, SLTP, SLTPKejuruan, SLTA, D1, D2, D3, SarjanaMuda, SGPLB, D4, S1, S2, Dokter, Apoteker, S3.</summary>
public sealed record RecordEducationRequest(string Education, string AcquiredOn);

public sealed class RecordEducationRequestValidator : AbstractValidator<RecordEducationRequest>
{
    public RecordEducationRequestValidator()
    {
        RuleFor(x => x.Education).IsName<RecordEducationRequest, Education>();
        RuleFor(x => x.AcquiredOn).IsIsoDate();
    }
}

public static class RecordEducationEndpoint
{
    /// <summary>Record an education acquired.</summary>
    [WolverinePost("/civil-servants/{servantId}/education", OperationId = "RecordEducation")]
    [ProducesResponseType<CommandPath.Appended>(StatusCodes.Status200OK)]
    [Tags("Career")]
    [Authorize(Roles = Roles.Committee)]
    public static Task<IResult> Post(Guid servantId, RecordEducationRequest request, ClaimsPrincipal user, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        session.DecideAsync<CareerRecord>(user, servantId, r => CareerDecisions.RecordEducation(r, new RecordEducation(servantId, CareerCodes.Parse<Education>(request.Education), IsoDate.Parse(request.AcquiredOn), clock.GetUtcNow())), ct);
}
