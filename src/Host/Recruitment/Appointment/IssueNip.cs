using System.Globalization;
using System.Security.Claims;
using FluentValidation;
using Marten;
using Merit.PersonalData;
using Merit.Security;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;
using Microsoft.AspNetCore.Mvc;

namespace Merit.Recruitment;

/// <summary>Issue a passer's NIP with the TMT CPNS (the first day of a month).</summary>
public sealed record IssueNipRequest(string TmtCpns);

public sealed class IssueNipRequestValidator : AbstractValidator<IssueNipRequest>
{
    public IssueNipRequestValidator() =>
        RuleFor(x => x.TmtCpns).Must(d => DateOnly.TryParseExact(d, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) && date.Day == 1)
            .WithMessage("TMT CPNS must be an ISO date on the first day of a month (R22).");
}

/// <summary>The NIP issued to the passer of the application.</summary>
public sealed record NipIssued(Guid Id, string Nip);

public static class IssueNipEndpoint
{
    /// <summary>
    /// Issue the 18-digit NIP (R22, R23): birth date, TMT CPNS, sex digit, and the next sequence never used for the
    /// same first 15 digits by any NIP recorded — issued here, imported, or listed as issued elsewhere. BKN issues it
    /// (brief 2.10) for the formation's instansi; the NIP is returned to the caller, the event keeps only TMT and
    /// sequence. Where the NIK is known, a NIP that disagrees with it is recorded as a data-quality finding (R24).
    /// </summary>
    [WolverinePost("/applications/{applicationId}/nip", OperationId = "IssueNip")]
    [ProducesResponseType<NipIssued>(StatusCodes.Status200OK)]
    [Tags("Appointment")]
    [Authorize(Roles = Roles.Bkn)]
    public static Task<IResult> Post(Guid applicationId, IssueNipRequest request, ClaimsPrincipal user, IDocumentSession session, PersonalDataProtector protector, PersonalDataVault vault, Career.CivilServantIds ids, TimeProvider clock, CancellationToken ct)
    {
        var tmt = DateOnly.ParseExact(request.TmtCpns, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        string? nip = null;
        return session.OnApplicationAsync(user, applicationId, async c =>
        {
            if (InstansiScope.Check(user, c.Formation.InstansiCode) is { } outside)
            {
                return outside;
            }

            var (details, unreadable) = await EmployeeNumbers.DetailsAsync(vault, user, c.Application, "nip", "a NIP", ct);
            if (unreadable is not null)
            {
                return unreadable;
            }

            var prefix = Identifiers.Nip.Prefix(details!.BirthDate, tmt, c.Application.Sex);
            var counter = await session.CounterAsync(protector.NipPrefixKey(prefix), ct);
            var last = await session.HighestNipSequenceAsync(ids, prefix, counter.LastSequence, ct);
            var decision = AppointmentDecisions.IssueNip(c.Round, c.Application, new IssueNip(applicationId, tmt, details.BirthDate, last, clock.GetUtcNow(), details.Nik));
            if (decision.Events is [NipAssigned issued, ..])
            {
                session.Issue(counter, issued.Sequence);
                nip = Identifiers.Nip.Compose(prefix, issued.Sequence);
            }

            return decision;
        }, _ => Results.Ok(new NipIssued(applicationId, nip!)), ct);
    }
}
