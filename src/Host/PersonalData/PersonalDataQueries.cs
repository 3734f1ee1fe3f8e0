using System.Globalization;
using System.Security.Claims;
using Marten;
using Merit.Infrastructure;
using Merit.Recruitment;
using Merit.Security;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;
using Microsoft.AspNetCore.Mvc;

namespace Merit.PersonalData;

/// <summary>An applicant's personal data as a reader sees it: stored (and then shown), or erased (and then only when).</summary>
/// <param name="Status"><c>stored</c> or <c>erased</c>.</param>
public sealed record PersonalDataView(Guid ApplicationId, Guid PersonId, string Status, string? Nik, string? FullName, string? BirthDate, DateTimeOffset? ErasedAt);

/// <summary>Personal-data rights (docs/adr/0014): reading an applicant's identity (logged) and the access log.</summary>
public static class PersonalDataQueries
{
    /// <summary>
    /// An applicant's NIK, name and birth date, for a committee member of the round or an auditor. The read is
    /// logged (reader, pseudonym, purpose, endpoint, time) before it is answered; after erasure the answer says
    /// <c>erased</c> and when.
    /// </summary>
    [WolverineGet("/applications/{applicationId}/personal-data", OperationId = "GetPersonalData")]
    [ProducesResponseType<PersonalDataView>(StatusCodes.Status200OK)]
    [Tags("Personal data")]
    [Authorize(Roles = Roles.CommitteeOrAuditor)]
    public static async Task<IResult> GetPersonalData(Guid applicationId, ClaimsPrincipal user, IQuerySession session, PersonalDataVault vault, CancellationToken ct)
    {
        if (await session.LoadAsync<Application>(applicationId, ct) is not { } application)
        {
            return Problems.ToResult(CommandPath.NotFound("application", applicationId));
        }

        // Committee members see the applicants of their own rounds only; auditors read every history.
        if (await session.RefuseReadingAsync(user, application.RoundId, ct) is { } outside)
        {
            return outside;
        }

        // A read the privacy policy does not allow this caller is a 403, like a role the endpoint does not admit (Problems).
        var reading = await vault.RevealAsync(PersonalDataReader.Of(user, $"GET /applications/{applicationId}/personal-data"), "case-review", [application.PersonId], ct);
        if (reading.Refusal is { } refusal)
        {
            return Problems.ToResult(refusal);
        }

        if (reading.Details.TryGetValue(application.PersonId, out var details))
        {
            return Results.Ok(new PersonalDataView(applicationId, application.PersonId, "stored", details.Nik, details.FullName, details.BirthDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), null));
        }

        return reading.Erased.TryGetValue(application.PersonId, out var erasedAt)
            ? Results.Ok(new PersonalDataView(applicationId, application.PersonId, "erased", null, null, null, erasedAt))
            : Problems.ToResult(CommandPath.NotFound("personal data for application", applicationId));
    }

    /// <summary>
    /// The personal-data access log, for auditors: every read and erasure of one person (<c>personId</c>, the
    /// pseudonym, or <c>applicationId</c>) or of a period (<c>from</c> inclusive, <c>to</c> exclusive, ISO 8601),
    /// oldest first, each with its chain hash.
    /// </summary>
    [WolverineGet("/personal-data/access-log", OperationId = "ListPersonalDataAccess")]
    [ProducesResponseType<IReadOnlyList<AccessLogEntry>>(StatusCodes.Status200OK)]
    [Tags("Personal data")]
    [Authorize(Roles = Roles.Auditor)]
    public static async Task<IResult> ListPersonalDataAccess(Guid? personId, Guid? applicationId, DateTimeOffset? from, DateTimeOffset? to, int? limit, IQuerySession session, PersonalDataAccessLog log, CancellationToken ct)
    {
        var person = personId;
        if (applicationId is { } id)
        {
            if (await session.LoadAsync<Application>(id, ct) is not { } application)
            {
                return Problems.ToResult(CommandPath.NotFound("application", id));
            }

            person = application.PersonId;
        }

        return Results.Ok(await log.ListAsync(person, from, to, limit ?? 1000, ct));
    }
}
