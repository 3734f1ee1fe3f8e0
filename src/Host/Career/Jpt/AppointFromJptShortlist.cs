using System.Security.Claims;
using FluentValidation;
using Marten;
using Merit.Infrastructure;
using Merit.Security;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;
using Microsoft.AspNetCore.Mvc;

namespace Merit.Career;

/// <summary>The PPK's pick among the pansel's 3 names, with the reason (R37).</summary>
public sealed record AppointJptRequest(string ApplicantCode, string Reason);

public sealed class AppointJptRequestValidator : AbstractValidator<AppointJptRequest>
{
    public AppointJptRequestValidator()
    {
        RuleFor(x => x.ApplicantCode).NotEmpty().MaximumLength(40);
        RuleFor(x => x.Reason).NotEmpty().MaximumLength(2000);
    }
}

/// <summary>The applicant appointed from the shortlist, at their rank on it.</summary>
public sealed record JptAppointmentView(Guid Id, string ApplicantCode, int ShortlistRank, string RuleSetVersion);

public static class AppointFromJptShortlistEndpoint
{
    /// <summary>The PPK appoints one of the 3 names; any other is refused (R37).</summary>
    [WolverinePost("/jpt-selections/{selectionId}/appointment", OperationId = "AppointFromJptShortlist")]
    [ProducesResponseType<JptAppointmentView>(StatusCodes.Status200OK)]
    [Tags("Career")]
    [Authorize(Roles = Roles.Ppk)]
    public static Task<IResult> Post(Guid selectionId, AppointJptRequest request, ClaimsPrincipal user, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        session.DecideAsync<JptSelection>(user, selectionId, s => JptDecisions.Appoint(s, new AppointFromShortlist(selectionId, request.ApplicantCode, request.Reason, clock.GetUtcNow())), d =>
        {
            var appointed = (JptAppointed)d.Events[0];
            return Results.Ok(new JptAppointmentView(selectionId, appointed.ApplicantCode, appointed.ShortlistRank, appointed.RuleSetVersion));
        }, ct);
}
