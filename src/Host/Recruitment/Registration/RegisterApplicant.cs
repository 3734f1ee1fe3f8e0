using Merit.Localization;
using System.Globalization;
using System.Security.Claims;
using FluentValidation;
using Merit.Career;
using Marten;
using Merit.PersonalData;
using Merit.Security;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;
using Microsoft.AspNetCore.Mvc;
using Merit.Infrastructure;

namespace Merit.Recruitment;

/// <summary>Register an applicant to a formation of the round.</summary>
/// <param name="FormationId">The formation applied to.</param>
/// <param name="RegistrationNumber">The SSCASN registration number (nomor peserta).</param>
/// <param name="Nik">NIK, 16 digits (R25). Stored encrypted beside the events, never in them.</param>
/// <param name="FullName">Stored encrypted beside the events, never in them.</param>
/// <param name="BirthDate">ISO date; checked against the age limit (R06), then stored encrypted.</param>
/// <param name="Sex">M or F.</param>
/// <param name="EducationLevel">Highest education level, e.g. S1.</param>
/// <param name="Gpa">IPK 0.00–4.00, used only in the final tie-break (R15).</param>
/// <param name="RegisteredOn">The day the person applied (SSCASN): an ISO date, or a date-time with its offset, read in the
/// round's zone. Absent: the last day of the round's registration window. The age (R06) is judged on it, never on the clock.</param>
public sealed record RegisterApplicantRequest(
    Guid FormationId,
    string RegistrationNumber,
    string? Nik,
    string? FullName,
    string BirthDate,
    string Sex,
    string EducationLevel,
    decimal? Gpa,
    string? RegisteredOn = null);

public sealed class RegisterApplicantRequestValidator : AbstractValidator<RegisterApplicantRequest>
{
    public RegisterApplicantRequestValidator()
    {
        RuleFor(x => x.FormationId).NotEmpty();
        RuleFor(x => x.RegistrationNumber).NotEmpty().MaximumLength(40).Matches(InputPatterns.Number())
            .WithMessage("Registration number must be 1–40 letters, digits or '-'.");
        RuleFor(x => x.Nik).Must(n => Nik.Problem(n) is null).When(x => x.Nik is not null)
            .WithMessage(x => Nik.Problem(x.Nik)!).WithErrorCode("R25");
        RuleFor(x => x.FullName).MaximumLength(200);
        RuleFor(x => x.BirthDate).Must(d => DateOnly.TryParseExact(d, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            .WithMessage("Birth date must be an ISO date (yyyy-MM-dd).");
        RuleFor(x => x.Sex).Must(s => s is "M" or "F").WithMessage("Sex must be M or F.");
        RuleFor(x => x.EducationLevel).IsName<RegisterApplicantRequest, EducationLevel>()
            .WithMessage(_ => Texts.Current.Say($"Education level must be one of {string.Join(", ", Enum.GetNames<EducationLevel>())}."));
        RuleFor(x => x.Gpa).InclusiveBetween(0m, 4m).PrecisionScale(3, 2, ignoreTrailingZeros: true);
        RuleFor(x => x.RegisteredOn).Must(d => Files.ApplicationDate.TryParse(d, out _, out _))
            .WithMessage("Registered on must be an ISO date (yyyy-MM-dd) or a date-time with its offset (yyyy-MM-ddTHH:mm[:ss]+07:00 or Z).");
    }
}

/// <summary>A registration accepted: the application's id and the registration number it was filed under.</summary>
public sealed record RegistrationAccepted(Guid Id, string RegistrationNumber);

public static class RegisterApplicantEndpoint
{
    /// <summary>Register an applicant (stage Registration). Personal data goes to the encrypted store; the event carries a pseudonym.</summary>
    [WolverinePost("/rounds/{roundId}/applications", OperationId = "RegisterApplicant")]
    [ProducesResponseType<RegistrationAccepted>(StatusCodes.Status201Created)]
    [Tags("Applications")]
    [Authorize(Roles = Roles.Committee)]
    public static Task<IResult> Post(Guid roundId, RegisterApplicantRequest request, ClaimsPrincipal user, IDocumentSession session, PersonalDataProtector protector, TimeProvider clock, CancellationToken ct)
    {
        var id = ApplicationDecisions.IdFor(roundId, request.RegistrationNumber);
        var personId = request.Nik is null ? protector.PersonIdForRegistration(roundId, request.RegistrationNumber) : protector.PersonIdFor(request.Nik);
        var birthDate = DateOnly.ParseExact(request.BirthDate, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        // Validated with the request: a date that does not parse never reaches here.
        var applied = Files.ApplicationDate.TryParse(request.RegisteredOn, out var given, out _) ? given : Files.ApplicationDate.None;
        var command = new RegisterApplicant(roundId, request.FormationId, request.RegistrationNumber, personId, Enum.Parse<Sex>(request.Sex), birthDate, Enum.Parse<EducationLevel>(request.EducationLevel), request.Gpa, clock.GetUtcNow(), applied.Day, applied.Instant);
        return session.InRoundAsync<Application>(user, roundId, id, async (round, existing) =>
        {
            var formation = await session.LoadAsync<Formation>(request.FormationId, ct);

            // R18: a withdrawal after passing in any earlier round bars the person, found by the NIK's pseudonym.
            var banned = (await session.Query<Application>().Where(a => a.PersonId == personId && a.BannedThroughYear != null).ToListAsync(ct)).Max(a => a.BannedThroughYear);
            var decision = ApplicationDecisions.Register(round, formation, existing, await session.HasClaimAsync(roundId, personId, ct), command, banned);
            if (!decision.IsRefused)
            {
                // Beside the events, encrypted, in the same transaction (docs/adr/0004).
                session.StorePerson(protector.Protect(personId, new PersonalDetails(request.Nik, request.FullName, birthDate)), roundId, id);
            }

            return decision;
        }, _ => Results.Created($"/applications/{id}", new RegistrationAccepted(id, request.RegistrationNumber)), ct);
    }
}
