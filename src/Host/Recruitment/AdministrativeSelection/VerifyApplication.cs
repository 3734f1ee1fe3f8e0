using System.Security.Claims;
using FluentValidation;
using Marten;
using Merit.Security;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;
using Microsoft.AspNetCore.Mvc;

namespace Merit.Recruitment;

/// <summary>Administrative verification: MS or TMS with its reason.</summary>
public sealed record VerifyApplicationRequest(string Result, string Reason);

public sealed class VerifyApplicationRequestValidator : AbstractValidator<VerifyApplicationRequest>
{
    public VerifyApplicationRequestValidator()
    {
        RuleFor(x => x.Result).Must(r => r is "MS" or "TMS").WithMessage("Result must be MS or TMS.");
        RuleFor(x => x.Reason).NotEmpty().MaximumLength(1000);
    }
}

/// <summary>The administrative result recorded for the application: MS or TMS.</summary>
public sealed record VerificationRecorded(Guid Id, AdministrativeResult Result);

public static class VerifyApplicationEndpoint
{
    /// <summary>Record the administrative verification (stage AdministrativeSelection).</summary>
    [WolverinePost("/applications/{applicationId}/administrative-verification", OperationId = "VerifyApplication")]
    [ProducesResponseType<VerificationRecorded>(StatusCodes.Status200OK)]
    [Tags("Applications")]
    [Authorize(Roles = Roles.Committee)]
    public static Task<IResult> Post(Guid applicationId, VerifyApplicationRequest request, ClaimsPrincipal user, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var command = new VerifyApplication(applicationId, Enum.Parse<AdministrativeResult>(request.Result), request.Reason, clock.GetUtcNow());
        return session.OnApplicationAsync(user, applicationId, c => ApplicationDecisions.Verify(c.Round, c.Application, command), _ => Results.Ok(new VerificationRecorded(applicationId, command.Result)), ct);
    }
}
