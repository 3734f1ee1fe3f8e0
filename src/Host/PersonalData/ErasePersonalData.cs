using System.Security.Claims;
using FluentValidation;
using Marten;
using Merit.Infrastructure;
using Merit.Recruitment;
using Merit.Security;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;
using Microsoft.AspNetCore.Mvc;

namespace Merit.PersonalData;

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

public static class ErasePersonalDataEndpoint
{
    /// <summary>
    /// Erase the personal data of the person behind this application (every application of theirs): their key is
    /// destroyed, an erasure event names who, when and the legal basis. The history, chains and seals still verify.
    /// Erasing again changes nothing and answers as the first time.
    /// </summary>
    /// <remarks>
    /// Not on the command path: the person's log is folded from its events, and the erasure retries on top of a read
    /// logged meanwhile instead of answering 409 (<see cref="PersonalDataErasure"/>, shared with <c>merit personal-data erase</c>).
    /// </remarks>
    [WolverinePost("/applications/{applicationId}/personal-data/erasure", OperationId = "ErasePersonalData")]
    [ProducesResponseType<ErasureView>(StatusCodes.Status200OK)]
    [Tags("Personal data")]
    [Authorize(Roles = Roles.Admin)]
    public static async Task<IResult> Post(Guid applicationId, ErasePersonalDataRequest request, ClaimsPrincipal user, IQuerySession session, PersonalDataErasure erasure, CancellationToken ct)
    {
        if (await session.LoadAsync<Application>(applicationId, ct) is not { } application)
        {
            return Problems.ToResult(CommandPath.NotFound("application", applicationId));
        }

        var outcome = await erasure.EraseAsync(application.PersonId, user.Identity?.Name ?? "anonymous", request.LegalBasis, request.Reference, ct);
        return outcome.Refusal is { } refusal
            ? Problems.ToResult(refusal)
            : Results.Ok(new ErasureView(applicationId, outcome.PersonId, "erased", outcome.AlreadyErased, outcome.ErasedAt, outcome.LegalBasis));
    }
}
