using System.Security.Claims;
using FluentValidation;
using Marten;
using Merit.PersonalData;
using Merit.Security;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;
using Microsoft.AspNetCore.Mvc;
using Merit.Infrastructure;

namespace Merit.Recruitment;

/// <summary>Issue a PPPK passer's NI PPPK: the year of the first PPPK appointment and the 2-digit code BKN assigns.</summary>
public sealed record IssueNiPppkRequest(int AppointmentYear, string Code);

public sealed class IssueNiPppkRequestValidator : AbstractValidator<IssueNiPppkRequest>
{
    public IssueNiPppkRequestValidator()
    {
        RuleFor(x => x.AppointmentYear).InclusiveBetween(1, 9999).WithMessage("The appointment year has four digits (R26).");
        RuleFor(x => x.Code).Matches(InputPatterns.TwoDigits()).WithMessage("The NI PPPK code is two digits (R26).");
    }
}

/// <summary>The NI PPPK issued to the passer of the application.</summary>
public sealed record NiPppkIssued(Guid Id, string NiPppk);

public static class IssueNiPppkEndpoint
{
    /// <summary>
    /// Issue the 18-digit NI PPPK instead of a NIP (brief 5.2, R26): birth date, year of the first PPPK appointment,
    /// the 2-digit code, sex digit, and the next sequence never used for the same first 15 digits. BKN issues it, as
    /// it issues the NIP, for the formation's instansi.
    /// </summary>
    [WolverinePost("/applications/{applicationId}/ni-pppk", OperationId = "IssueNiPppk")]
    [ProducesResponseType<NiPppkIssued>(StatusCodes.Status200OK)]
    [Tags("Appointment")]
    [Authorize(Roles = Roles.Bkn)]
    public static Task<IResult> Post(Guid applicationId, IssueNiPppkRequest request, ClaimsPrincipal user, IDocumentSession session, PersonalDataProtector protector, PersonalDataVault vault, TimeProvider clock, CancellationToken ct)
    {
        string? niPppk = null;
        return session.OnApplicationAsync(user, applicationId, async c =>
        {
            if (InstansiScope.Check(user, c.Formation.InstansiCode) is { } outside)
            {
                return outside;
            }

            var (birthDate, unreadable) = await EmployeeNumbers.BirthDateAsync(vault, user, c.Application, "ni-pppk", "an NI PPPK", ct);
            if (unreadable is not null)
            {
                return unreadable;
            }

            var prefix = Identifiers.NiPppk.Prefix(birthDate, request.AppointmentYear, request.Code, c.Application.Sex);
            var counter = await session.CounterAsync(protector.NiPppkPrefixKey(prefix), ct);
            var decision = AppointmentDecisions.IssueNiPppk(c.Round, c.Application, new IssueNiPppk(applicationId, request.AppointmentYear, request.Code, birthDate, counter.LastSequence, clock.GetUtcNow()));
            if (decision.Events is [NiPppkAssigned issued, ..])
            {
                session.Issue(counter, issued.Sequence);
                niPppk = Identifiers.NiPppk.Compose(prefix, issued.Sequence);
            }

            return decision;
        }, _ => Results.Ok(new NiPppkIssued(applicationId, niPppk!)), ct);
    }
}
