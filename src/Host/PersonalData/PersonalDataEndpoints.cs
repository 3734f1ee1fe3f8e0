using System.Globalization;
using System.Security.Claims;
using FluentValidation;
using Marten;
using Merit.Deciding;
using Merit.Infrastructure;
using Merit.Recruitment;
using Merit.Security;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Merit.PersonalData;

/// <summary>An applicant's personal data as a reader sees it: stored (and then shown), or erased (and then only when).</summary>
/// <param name="Status"><c>stored</c> or <c>erased</c>.</param>
public sealed record PersonalDataView(Guid ApplicationId, Guid PersonId, string Status, string? Nik, string? FullName, string? BirthDate, DateTimeOffset? ErasedAt);

/// <summary>Erase the personal data of the person behind an application.</summary>
/// <param name="LegalBasis">A legal basis of the privacy policy: subject-request, consent-withdrawn, purpose-ended, retention-expired, unlawful-processing, court-order.</param>
/// <param name="Reference">The number of the request letter or ticket (no names: it is recorded in the event).</param>
public sealed record ErasePersonalDataRequest(string LegalBasis, string Reference);

public sealed class ErasePersonalDataRequestValidator : AbstractValidator<ErasePersonalDataRequest>
{
    public ErasePersonalDataRequestValidator()
    {
        RuleFor(x => x.LegalBasis).NotEmpty().MaximumLength(64);
        RuleFor(x => x.Reference).NotEmpty().Matches(ErasePersonalData.ReferencePattern)
            .WithMessage("Reference must be a letter or ticket number (letters, digits, . / _ -; at most 64), never a name.");
    }
}

/// <summary>The answer to an erasure: the pseudonym, when, on which basis, and whether it had already been erased.</summary>
public sealed record ErasureView(Guid ApplicationId, Guid PersonId, string Status, bool AlreadyErased, DateTimeOffset? ErasedAt, string? LegalBasis);

/// <summary>Personal-data rights (issue 9, docs/adr/0014): reading an applicant's identity (logged), erasure, the access log.</summary>
public static class PersonalDataEndpoints
{
    /// <summary>
    /// An applicant's NIK, name and birth date, for a committee member of the round or an auditor. The read is
    /// logged (reader, pseudonym, purpose, endpoint, time) before it is answered; after erasure the answer says
    /// <c>erased</c> and when.
    /// </summary>
    [WolverineGet("/applications/{applicationId}/personal-data", OperationId = "GetPersonalData")]
    [Tags("Personal data")]
    [Authorize(Roles = Roles.CommitteeOrAuditor)]
    public static async Task<IResult> Get(Guid applicationId, ClaimsPrincipal user, IQuerySession session, PersonalDataVault vault, CancellationToken ct)
    {
        if (await session.LoadAsync<Application>(applicationId, ct) is not { } application)
        {
            return Results.Problem(Problems.NotFound("application", applicationId));
        }

        // Committee members see the applicants of their own rounds only; auditors read every history.
        if (!user.IsInRole(Roles.Auditor) && await session.LoadAsync<Round>(application.RoundId, ct) is { } round && RoundScope.Refuse(user, round) is { } outside)
        {
            return outside;
        }

        var reading = await vault.RevealAsync(PersonalDataReader.Of(user, $"GET /applications/{applicationId}/personal-data"), "case-review", [application.PersonId], ct);
        if (reading.Refusal is { } refusal)
        {
            return Forbidden(refusal);
        }

        if (reading.Details.TryGetValue(application.PersonId, out var details))
        {
            return Results.Ok(new PersonalDataView(applicationId, application.PersonId, "stored", details.Nik, details.FullName, details.BirthDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), null));
        }

        return reading.Erased.TryGetValue(application.PersonId, out var erasedAt)
            ? Results.Ok(new PersonalDataView(applicationId, application.PersonId, "erased", null, null, null, erasedAt))
            : Results.Problem(Problems.NotFound("personal data for application", applicationId));
    }

    /// <summary>
    /// Erase the personal data of the person behind this application (every application of theirs): their key is
    /// destroyed, an erasure event names who, when and the legal basis. The history, chains and seals still verify.
    /// Erasing again changes nothing and answers as the first time.
    /// </summary>
    [WolverinePost("/applications/{applicationId}/personal-data/erasure", OperationId = "ErasePersonalData")]
    [Tags("Personal data")]
    [Authorize(Roles = Roles.Admin)]
    public static async Task<IResult> Erase(Guid applicationId, ErasePersonalDataRequest request, ClaimsPrincipal user, IQuerySession session, PersonalDataErasure erasure, CancellationToken ct)
    {
        if (await session.LoadAsync<Application>(applicationId, ct) is not { } application)
        {
            return Results.Problem(Problems.NotFound("application", applicationId));
        }

        var outcome = await erasure.EraseAsync(application.PersonId, user.Identity?.Name ?? "anonymous", request.LegalBasis, request.Reference, ct);
        return outcome.Refusal is { } refusal
            ? Problems.ToResult(refusal)
            : Results.Ok(new ErasureView(applicationId, outcome.PersonId, "erased", outcome.AlreadyErased, outcome.ErasedAt, outcome.LegalBasis));
    }

    /// <summary>
    /// The personal-data access log, for auditors: every read and erasure of one person (<c>personId</c>, the
    /// pseudonym, or <c>applicationId</c>) or of a period (<c>from</c> inclusive, <c>to</c> exclusive, ISO 8601),
    /// oldest first, each with its chain hash.
    /// </summary>
    [WolverineGet("/personal-data/access-log", OperationId = "ListPersonalDataAccess")]
    [Tags("Personal data")]
    [Authorize(Roles = Roles.Auditor)]
    public static async Task<IResult> AccessLog(Guid? personId, Guid? applicationId, DateTimeOffset? from, DateTimeOffset? to, int? limit, IQuerySession session, PersonalDataAccessLog log, CancellationToken ct)
    {
        var person = personId;
        if (applicationId is { } id)
        {
            if (await session.LoadAsync<Application>(id, ct) is not { } application)
            {
                return Results.Problem(Problems.NotFound("application", id));
            }

            person = application.PersonId;
        }

        return Results.Ok(await log.ListAsync(person, from, to, limit ?? 1000, ct));
    }

    /// <summary>A read the privacy policy does not allow this caller is a 403, like a role the endpoint does not admit.</summary>
    public static IResult Forbidden(Refusal refusal)
    {
        var problem = Problems.From(refusal);
        if (refusal.Kind == RefusalKind.Rule)
        {
            problem.Status = StatusCodes.Status403Forbidden;
            problem.Title = "Not allowed to read personal data for this purpose.";
        }

        return Results.Problem(problem);
    }
}
