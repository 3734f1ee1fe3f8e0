using System.Security.Claims;
using FluentValidation;
using Marten;
using Merit.Infrastructure;
using Merit.Security;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;
using Microsoft.AspNetCore.Mvc;

namespace Merit.Career;

/// <summary>Health certificate: fit or not, and the day it was issued.</summary>
public sealed record RecordHealthCertificateRequest(bool Fit, string IssuedOn);

public sealed class RecordHealthCertificateRequestValidator : AbstractValidator<RecordHealthCertificateRequest>
{
    public RecordHealthCertificateRequestValidator() => RuleFor(x => x.IssuedOn).IsIsoDate();
}

public static class RecordHealthCertificateEndpoint
{
    /// <summary>Record the health certificate of a CPNS (R19).</summary>
    [WolverinePost("/civil-servants/{servantId}/health-certificate", OperationId = "RecordHealthCertificate")]
    [ProducesResponseType<CommandPath.Appended>(StatusCodes.Status200OK)]
    [Tags("Career")]
    [Authorize(Roles = Roles.Committee)]
    public static Task<IResult> Post(Guid servantId, RecordHealthCertificateRequest request, ClaimsPrincipal user, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        session.DecideAsync<CareerRecord>(user, servantId, r => CareerDecisions.RecordHealthCertificate(r, new RecordHealthCertificate(servantId, request.Fit, IsoDate.Parse(request.IssuedOn), clock.GetUtcNow())), ct);
}
