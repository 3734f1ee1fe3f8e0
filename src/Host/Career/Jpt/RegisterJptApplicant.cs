using System.Security.Claims;
using FluentValidation;
using Marten;
using Merit.Identifiers;
using Merit.Infrastructure;
using Merit.Security;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;
using Microsoft.AspNetCore.Mvc;

namespace Merit.Career;

/// <summary>
/// An applicant: registration code, NIP (read for the age limit and the person's pseudonym, never stored), education,
/// years of related experience, the post held and years in it, rank, and any Presidential approval of an exception.
/// </summary>
public sealed record RegisterJptApplicantRequest(string ApplicantCode, string Nip, string Education, int ExperienceYears, string Post, int YearsInPost, string? Rank, string? PresidentialApproval);

public sealed class RegisterJptApplicantRequestValidator : AbstractValidator<RegisterJptApplicantRequest>
{
    public RegisterJptApplicantRequestValidator()
    {
        RuleFor(x => x.ApplicantCode).NotEmpty().MaximumLength(40).Matches(InputPatterns.Number()).WithMessage("Applicant code must be 1–40 letters, digits or '-'.");
        RuleFor(x => x.Nip).Must(n => Nip.Problem(n) is null).WithMessage(x => Nip.Problem(x.Nip) ?? "").WithErrorCode("R22");
        RuleFor(x => x.Education).IsName<RegisterJptApplicantRequest, Education>();
        RuleFor(x => x.ExperienceYears).InclusiveBetween(0, 60);
        RuleFor(x => x.Post).IsName<RegisterJptApplicantRequest, Post>();
        RuleFor(x => x.YearsInPost).InclusiveBetween(0, 60);
        RuleFor(x => x.Rank).IsOptionalRank();
        RuleFor(x => x.PresidentialApproval).MaximumLength(200);
    }
}

/// <summary>An applicant registered: whether eligible, with every check, and the presidential approval where one was needed.</summary>
public sealed record JptApplicantView(Guid Id, string ApplicantCode, bool Eligible, IReadOnlyList<JptCheck> Checks, string? PresidentialApproval);

public static class RegisterJptApplicantEndpoint
{
    /// <summary>Register an applicant, screened against the eligibility table of the level (R36); answers eligible or not, with every check.</summary>
    [WolverinePost("/jpt-selections/{selectionId}/applicants", OperationId = "RegisterJptApplicant")]
    [ProducesResponseType<JptApplicantView>(StatusCodes.Status200OK)]
    [Tags("Career")]
    [Authorize(Roles = Roles.Committee)]
    public static Task<IResult> Post(Guid selectionId, RegisterJptApplicantRequest request, ClaimsPrincipal user, IDocumentSession session, CivilServantIds ids, TimeProvider clock, CancellationToken ct)
    {
        var servantId = ids.For(request.Nip);
        var command = new RegisterJptApplicant(
            selectionId, request.ApplicantCode, servantId, Nip.Parse(request.Nip).BirthDate, CareerCodes.Parse<Education>(request.Education), request.ExperienceYears,
            CareerCodes.Parse<Post>(request.Post), request.YearsInPost, CareerCodes.OptionalRank(request.Rank), request.PresidentialApproval, clock.GetUtcNow());
        return session.DecideAsync<JptSelection>(
            user,
            selectionId,
            async s => JptDecisions.Register(s, await session.LoadAsync<CareerRecord>(servantId, ct), command),
            d =>
            {
                var registered = (JptApplicantRegistered)d.Events[0];
                return Results.Ok(new JptApplicantView(selectionId, registered.ApplicantCode, registered.Eligible, registered.Checks, registered.PresidentialApproval));
            },
            ct);
    }
}
