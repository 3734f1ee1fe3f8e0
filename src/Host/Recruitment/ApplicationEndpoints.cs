using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Merit.Security;
using System.Globalization;
using FluentValidation;
using Marten;
using Merit.Infrastructure;
using Merit.PersonalData;
using Merit.Projections.Recruitment;
using Wolverine.Http;

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
public sealed record RegisterApplicantRequest(
    Guid FormationId,
    string RegistrationNumber,
    string? Nik,
    string? FullName,
    string BirthDate,
    string Sex,
    string EducationLevel,
    decimal? Gpa);

public sealed class RegisterApplicantRequestValidator : AbstractValidator<RegisterApplicantRequest>
{
    public RegisterApplicantRequestValidator()
    {
        RuleFor(x => x.FormationId).NotEmpty();
        RuleFor(x => x.RegistrationNumber).NotEmpty().MaximumLength(40).Matches("^[A-Za-z0-9-]+$")
            .WithMessage("Registration number must be 1–40 letters, digits or '-'.");
        RuleFor(x => x.Nik).Must(n => Nik.Problem(n) is null).When(x => x.Nik is not null)
            .WithMessage(x => Nik.Problem(x.Nik)!).WithErrorCode("R25");
        RuleFor(x => x.FullName).MaximumLength(200);
        RuleFor(x => x.BirthDate).Must(d => DateOnly.TryParseExact(d, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            .WithMessage("Birth date must be an ISO date (yyyy-MM-dd).");
        RuleFor(x => x.Sex).Must(s => s is "M" or "F").WithMessage("Sex must be M or F.");
        RuleFor(x => x.EducationLevel).IsEnumName(typeof(EducationLevel), caseSensitive: true)
            .WithMessage($"Education level must be one of {string.Join(", ", Enum.GetNames<EducationLevel>())}.");
        RuleFor(x => x.Gpa).InclusiveBetween(0m, 4m).PrecisionScale(3, 2, ignoreTrailingZeros: true);
    }
}

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

/// <summary>An SKD result from CAT BKN: TWK 0–150 and TIU 0–175 in steps of 5, TKP 0–225 (R08).</summary>
public sealed record RecordSkdResultRequest(int Twk, int Tiu, int Tkp);

public sealed class RecordSkdResultRequestValidator : AbstractValidator<RecordSkdResultRequest>
{
    // The exact maxima and steps come from the round's rule set and are checked by the decision (R08);
    // here only what no rule set allows.
    public RecordSkdResultRequestValidator()
    {
        RuleFor(x => x.Twk).GreaterThanOrEqualTo(0);
        RuleFor(x => x.Tiu).GreaterThanOrEqualTo(0);
        RuleFor(x => x.Tkp).GreaterThanOrEqualTo(0);
    }
}

/// <summary>The answer to a recorded SKD result: whether it meets the threshold of the formation's category.</summary>
public sealed record SkdAssessmentView(Guid ApplicationId, int Total, bool ThresholdMet, IReadOnlyList<string> Shortfalls, string Category, string RuleSetVersion);

public static class ApplicationEndpoints
{
    /// <summary>Register an applicant (stage Registration). Personal data goes to the encrypted store; the event carries a pseudonym.</summary>
    [WolverinePost("/rounds/{roundId}/applications", OperationId = "RegisterApplicant")]
    [Tags("Applications")]
    [Authorize(Roles = Roles.Committee)]
    public static async Task<IResult> Register(Guid roundId, RegisterApplicantRequest request, ClaimsPrincipal user, IDocumentSession session, PersonalDataProtector protector, TimeProvider clock, CancellationToken ct)
    {
        if (await session.Events.FetchLatest<Round>(roundId, ct) is not { } round)
        {
            return Results.Problem(Problems.NotFound("round", roundId));
        }

        if (RoundScope.Refuse(user, round) is { } outside)
        {
            return outside;
        }

        var formation = await session.Events.FetchLatest<Formation>(request.FormationId, ct);
        var id = ApplicationDecisions.IdFor(roundId, request.RegistrationNumber);
        var stream = await session.Events.FetchForWriting<Application>(id, ct);
        var personId = request.Nik is null ? protector.PersonIdForRegistration(roundId, request.RegistrationNumber) : protector.PersonIdFor(request.Nik);
        var birthDate = DateOnly.ParseExact(request.BirthDate, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        var command = new RegisterApplicant(roundId, request.FormationId, request.RegistrationNumber, personId, Enum.Parse<Sex>(request.Sex), birthDate, Enum.Parse<EducationLevel>(request.EducationLevel), request.Gpa, clock.GetUtcNow());

        var decision = ApplicationDecisions.Register(round, formation, stream.Aggregate, await session.HasClaimAsync(roundId, personId, ct), command);
        if (!decision.IsRefused)
        {
            session.StorePerson(protector.Protect(personId, new PersonalDetails(request.Nik, request.FullName, birthDate)), roundId, id);
        }

        return decision.AppendTo(stream, () => Results.Created($"/applications/{id}", new { id, registrationNumber = request.RegistrationNumber }));
    }

    /// <summary>Record the administrative verification (stage AdministrativeSelection).</summary>
    [WolverinePost("/applications/{applicationId}/administrative-verification", OperationId = "VerifyApplication")]
    [Tags("Applications")]
    [Authorize(Roles = Roles.Committee)]
    public static async Task<IResult> Verify(Guid applicationId, VerifyApplicationRequest request, ClaimsPrincipal user, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var stream = await session.Events.FetchForWriting<Application>(applicationId, ct);
        if (stream.Aggregate is not { } application)
        {
            return Results.Problem(Problems.NotFound("application", applicationId));
        }

        var round = (await session.Events.FetchLatest<Round>(application.RoundId, ct))!;
        if (RoundScope.Refuse(user, round) is { } outside)
        {
            return outside;
        }

        var command = new VerifyApplication(applicationId, Enum.Parse<AdministrativeResult>(request.Result), request.Reason, clock.GetUtcNow());
        return ApplicationDecisions.Verify(round, application, command)
            .AppendTo(stream, () => Results.Ok(new { id = applicationId, result = command.Result }));
    }

    /// <summary>Record an SKD result (stage Skd) and answer whether it meets the threshold of the formation's category.</summary>
    [WolverinePost("/applications/{applicationId}/skd-result", OperationId = "RecordSkdResult")]
    [Tags("Applications")]
    [Authorize(Roles = Roles.Committee)]
    public static async Task<IResult> RecordSkd(Guid applicationId, RecordSkdResultRequest request, ClaimsPrincipal user, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var stream = await session.Events.FetchForWriting<Application>(applicationId, ct);
        if (stream.Aggregate is not { } application)
        {
            return Results.Problem(Problems.NotFound("application", applicationId));
        }

        var round = (await session.Events.FetchLatest<Round>(application.RoundId, ct))!;
        if (RoundScope.Refuse(user, round) is { } outside)
        {
            return outside;
        }

        var formation = (await session.Events.FetchLatest<Formation>(application.FormationId, ct))!;
        var decision = ApplicationDecisions.RecordSkd(round, formation, application, new RecordSkdResult(applicationId, new SkdScore(request.Twk, request.Tiu, request.Tkp), clock.GetUtcNow()));
        return decision.AppendTo(stream, () =>
        {
            var recorded = (SkdResultRecorded)decision.Events[0];
            return Results.Ok(new SkdAssessmentView(applicationId, recorded.Total, recorded.ThresholdMet, recorded.Shortfalls, recorded.Category.Code(), recorded.RuleSetVersion));
        });
    }

    /// <summary>An applicant's case: status and decisions, without personal data.</summary>
    [WolverineGet("/applications/{applicationId}", OperationId = "GetApplicantCase")]
    [Tags("Applications")]
    [Authorize(Roles = Roles.CommitteeOrAuditor)]
    public static async Task<IResult> Get(Guid applicationId, IQuerySession session, CancellationToken ct) =>
        await session.LoadAsync<ApplicantCase>(applicationId, ct) is { } found
            ? Results.Ok(found)
            : Results.Problem(Problems.NotFound("application", applicationId));
}
