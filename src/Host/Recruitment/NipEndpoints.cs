using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Merit.Security;
using System.Globalization;
using FluentValidation;
using Marten;

using Merit.Infrastructure;
using Merit.PersonalData;
using Wolverine.Http;

namespace Merit.Recruitment;

/// <summary>Issue a passer's NIP with the TMT CPNS (the first day of a month).</summary>
public sealed record IssueNipRequest(string TmtCpns);

public sealed class IssueNipRequestValidator : AbstractValidator<IssueNipRequest>
{
    public IssueNipRequestValidator() =>
        RuleFor(x => x.TmtCpns).Must(d => DateOnly.TryParseExact(d, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) && date.Day == 1)
            .WithMessage("TMT CPNS must be an ISO date on the first day of a month (R22).");
}

/// <summary>Issue a PPPK passer's NI PPPK: the year of the first PPPK appointment and the 2-digit code BKN assigns.</summary>
public sealed record IssueNiPppkRequest(int AppointmentYear, string Code);

public sealed class IssueNiPppkRequestValidator : AbstractValidator<IssueNiPppkRequest>
{
    public IssueNiPppkRequestValidator()
    {
        RuleFor(x => x.AppointmentYear).InclusiveBetween(1, 9999).WithMessage("The appointment year has four digits (R26).");
        RuleFor(x => x.Code).Matches("^[0-9]{2}$").WithMessage("The NI PPPK code is two digits (R26).");
    }
}

public static class NipEndpoints
{
    /// <summary>
    /// Issue the 18-digit NIP (R22, R23): birth date, TMT CPNS, sex digit, and the next sequence never used for the
    /// same first 15 digits. The NIP is returned to the committee; the event keeps only TMT and sequence.
    /// </summary>
    [WolverinePost("/applications/{applicationId}/nip", OperationId = "IssueNip")]
    [Tags("Appointment")]
    [Authorize(Roles = Roles.Committee)]
    public static async Task<IResult> Issue(Guid applicationId, IssueNipRequest request, ClaimsPrincipal user, IDocumentSession session, PersonalDataProtector protector, PersonalDataVault vault, TimeProvider clock, CancellationToken ct)
    {
        var (appointee, refused) = await AppointeeAsync(applicationId, user, session, vault, "nip", "a NIP", ct);
        if (appointee is not { Stream: var stream, Application: var application, Round: var round, BirthDate: var birthDate })
        {
            return refused!;
        }

        var tmt = DateOnly.ParseExact(request.TmtCpns, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        var prefix = Identifiers.Nip.Prefix(birthDate, tmt, application.Sex);
        var counter = await session.LoadAsync<NipPrefixCounter>(protector.NipPrefixKey(prefix), ct) ?? new NipPrefixCounter { Id = protector.NipPrefixKey(prefix) };
        var decision = AppointmentDecisions.IssueNip(round, application, new IssueNip(applicationId, tmt, birthDate, counter.LastSequence, clock.GetUtcNow()));
        if (decision.IsRefused)
        {
            return Problems.ToResult(decision.Refusal!);
        }

        var issued = (NipAssigned)decision.Events[0];
        counter.LastSequence = issued.Sequence;
        session.Store(counter);
        var nip = Identifiers.Nip.Compose(prefix, issued.Sequence);
        return decision.AppendTo(stream, () => Results.Ok(new { id = applicationId, nip }));
    }

    /// <summary>
    /// Issue the 18-digit NI PPPK instead of a NIP (brief 5.2, R26): birth date, year of the first PPPK appointment,
    /// the 2-digit code, sex digit, and the next sequence never used for the same first 15 digits.
    /// </summary>
    [WolverinePost("/applications/{applicationId}/ni-pppk", OperationId = "IssueNiPppk")]
    [Tags("Appointment")]
    [Authorize(Roles = Roles.Committee)]
    public static async Task<IResult> IssueNiPppk(Guid applicationId, IssueNiPppkRequest request, ClaimsPrincipal user, IDocumentSession session, PersonalDataProtector protector, PersonalDataVault vault, TimeProvider clock, CancellationToken ct)
    {
        var (appointee, refused) = await AppointeeAsync(applicationId, user, session, vault, "ni-pppk", "an NI PPPK", ct);
        if (appointee is not { Stream: var stream, Application: var application, Round: var round, BirthDate: var birthDate })
        {
            return refused!;
        }

        var prefix = Identifiers.NiPppk.Prefix(birthDate, request.AppointmentYear, request.Code, application.Sex);
        var key = protector.NiPppkPrefixKey(prefix);
        var counter = await session.LoadAsync<NipPrefixCounter>(key, ct) ?? new NipPrefixCounter { Id = key };
        var decision = AppointmentDecisions.IssueNiPppk(round, application, new IssueNiPppk(applicationId, request.AppointmentYear, request.Code, birthDate, counter.LastSequence, clock.GetUtcNow()));
        if (decision.IsRefused)
        {
            return Problems.ToResult(decision.Refusal!);
        }

        var issued = (NiPppkAssigned)decision.Events[0];
        counter.LastSequence = issued.Sequence;
        session.Store(counter);
        var niPppk = Identifiers.NiPppk.Compose(prefix, issued.Sequence);
        return decision.AppendTo(stream, () => Results.Ok(new { id = applicationId, niPppk }));
    }

    private sealed record Appointee(JasperFx.Events.IEventStream<Application> Stream, Application Application, Round Round, DateOnly BirthDate);

    /// <summary>
    /// The passer an employee number is issued to: the application, loaded for writing; the committee kept to its rounds;
    /// the birth date (the number's first eight digits) read through the vault, which logs the read. A refusal otherwise.
    /// </summary>
    private static async Task<(Appointee? Appointee, IResult? Refused)> AppointeeAsync(Guid applicationId, ClaimsPrincipal user, IDocumentSession session, PersonalDataVault vault, string number, string article, CancellationToken ct)
    {
        var stream = await session.Events.FetchForWriting<Application>(applicationId, ct);
        if (stream.Aggregate is not { } application)
        {
            return (null, Results.Problem(Problems.NotFound("application", applicationId)));
        }

        var round = (await session.LoadAsync<Round>(application.RoundId, ct))!;
        if (RoundScope.Refuse(user, round) is { } outside)
        {
            return (null, outside);
        }

        var reading = await vault.RevealAsync(PersonalDataReader.Of(user, $"POST /applications/{applicationId}/{number}"), $"{number}-issuance", [application.PersonId], ct);
        if (reading.Refusal is { } forbidden)
        {
            return (null, PersonalDataEndpoints.Forbidden(forbidden));
        }

        // Erased: the birth date, and with it the number's first eight digits, are gone (docs/adr/0014).
        if (!reading.Details.TryGetValue(application.PersonId, out var details))
        {
            return (null, Results.Problem(Problems.From(new Deciding.Refusal(Deciding.RefusalKind.Conflict, $"{number}.personal-data-erased", $"The applicant's personal data is erased; {article} cannot be composed."))));
        }

        return (new Appointee(stream, application, round, details.BirthDate), null);
    }
}
