using System.Security.Claims;
using FluentValidation;
using Marten;
using Merit.Deciding;
using Merit.Identifiers;
using Merit.Infrastructure;
using Merit.PersonalData;
using Merit.Recruitment;
using Merit.Security;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;
using Microsoft.AspNetCore.Mvc;

namespace Merit.Career;

/// <summary>Appoint a recruitment passer with an issued NIP as CPNS (R19). The NIP is composed from the personal-data store.</summary>
public sealed record AppointCpnsRequest(Guid ApplicationId);

public sealed class AppointCpnsRequestValidator : AbstractValidator<AppointCpnsRequest>
{
    public AppointCpnsRequestValidator() => RuleFor(x => x.ApplicationId).NotEmpty();
}

/// <summary>A CPNS appointed: the career record's id, the NIP and the starting rank.</summary>
public sealed record CpnsAppointmentView(Guid Id, string Nip, Rank Rank);

public static class AppointCpnsEndpoint
{
    /// <summary>
    /// Appoint a passer of a recruitment round with an issued NIP as CPNS at the entry rank of the formation's education
    /// (R19): the PPK's decree (SK pengangkatan CPNS), after BKN issued the NIP.
    /// </summary>
    [WolverinePost("/civil-servants/appointments", OperationId = "AppointCpns")]
    [ProducesResponseType<CpnsAppointmentView>(StatusCodes.Status201Created)]
    [Tags("Career")]
    [Authorize(Roles = Roles.Ppk)]
    public static async Task<IResult> Post(AppointCpnsRequest request, ClaimsPrincipal user, IDocumentSession session, PersonalDataVault vault, CivilServantIds ids, TimeProvider clock, CancellationToken ct)
    {
        // The career record's id is a pseudonym of the NIP, composed again from the birth date before the record is fetched.
        if (await session.LoadAsync<Application>(request.ApplicationId, ct) is not { } application)
        {
            return Problems.ToResult(CommandPath.NotFound("application", request.ApplicationId));
        }

        var formation = (await session.LoadAsync<Formation>(application.FormationId, ct))!;
        if (InstansiScope.Check(user, formation.InstansiCode) is { } outside)
        {
            return Problems.ToResult(outside);
        }

        var events = await session.Events.FetchStreamAsync(application.Id, token: ct);
        if (events.Select(e => e.Data).OfType<NipAssigned>().LastOrDefault() is not { } nipAssigned || application.NipSequence is not { } sequence)
        {
            // The decision refuses: not a passer, or no NIP yet.
            return Problems.ToResult(CareerDecisions.AppointCpns(null, application, formation, new AppointCpns(Guid.Empty, application.Id, default, clock.GetUtcNow())).Refusal!);
        }

        var reading = await vault.RevealAsync(PersonalDataReader.Of(user, "POST /civil-servants/appointments"), "cpns-appointment", [application.PersonId], ct);
        if (reading.Refusal is { } forbidden)
        {
            return Problems.ToResult(forbidden);
        }

        if (!reading.Details.TryGetValue(application.PersonId, out var details))
        {
            return Problems.ToResult(new Refusal(RefusalKind.Conflict, "appointment.personal-data-erased", "The passer's personal data is erased; the NIP cannot be composed."));
        }

        var tmt = new DateOnly(nipAssigned.TmtYear, nipAssigned.TmtMonth, 1);
        var nip = Nip.Compose(Nip.Prefix(details.BirthDate, tmt, application.Sex), sequence);
        var servantId = ids.For(nip);
        return await session.DecideAsync<CareerRecord>(
            user,
            servantId,
            r => CareerDecisions.AppointCpns(r, application, formation, new AppointCpns(servantId, application.Id, tmt, clock.GetUtcNow())),
            d => Results.Created($"/civil-servants/{servantId}", new CpnsAppointmentView(servantId, nip, ((CpnsAppointed)d.Events[0]).Rank)),
            ct);
    }
}
