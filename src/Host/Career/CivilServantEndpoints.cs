using System.Security.Claims;
using Merit.Security;
using Microsoft.AspNetCore.Authorization;
using FluentValidation;
using Marten;
using Merit.Identifiers;
using Merit.Infrastructure;
using Merit.PersonalData;
using Merit.Recruitment;
using Wolverine.Http;

namespace Merit.Career;

/// <summary>Appoint a recruitment passer with an issued NIP as CPNS (R19). The NIP is composed from the personal-data store.</summary>
public sealed record AppointCpnsRequest(Guid ApplicationId);

public sealed class AppointCpnsRequestValidator : AbstractValidator<AppointCpnsRequest>
{
    public AppointCpnsRequestValidator() => RuleFor(x => x.ApplicationId).NotEmpty();
}

/// <summary>Find a civil servant's record by NIP, sent in the body so that it never appears in an address or a log.</summary>
public sealed record LookupRequest(string Nip);

public sealed class LookupRequestValidator : AbstractValidator<LookupRequest>
{
    public LookupRequestValidator() =>
        RuleFor(x => x.Nip).Must(n => Nip.Problem(n) is null).WithMessage(x => Nip.Problem(x.Nip) ?? "").WithErrorCode("R22");
}

/// <summary>Latsar result: passed, working days (113) and lesson hours (1,141 JP), and the day it ended.</summary>
public sealed record RecordLatsarRequest(bool Passed, int WorkingDays, int LessonHours, string CompletedOn);

public sealed class RecordLatsarRequestValidator : AbstractValidator<RecordLatsarRequest>
{
    public RecordLatsarRequestValidator()
    {
        RuleFor(x => x.WorkingDays).InclusiveBetween(0, 400);
        RuleFor(x => x.LessonHours).InclusiveBetween(0, 5000);
        RuleFor(x => x.CompletedOn).IsIsoDate();
    }
}

/// <summary>Health certificate: fit or not, and the day it was issued.</summary>
public sealed record RecordHealthCertificateRequest(bool Fit, string IssuedOn);

public sealed class RecordHealthCertificateRequestValidator : AbstractValidator<RecordHealthCertificateRequest>
{
    public RecordHealthCertificateRequestValidator() => RuleFor(x => x.IssuedOn).IsIsoDate();
}

/// <summary>End of probation: the TMT PNS (the 1st of a month after the probation year).</summary>
public sealed record ConcludeProbationRequest(string TmtPns);

public sealed class ConcludeProbationRequestValidator : AbstractValidator<ConcludeProbationRequest>
{
    public ConcludeProbationRequestValidator() => RuleFor(x => x.TmtPns).IsIsoDate();
}

/// <summary>A position held from a date: kind (Pelaksana, Fungsional, Pengawas, Administrator, JptPratama…), title, JF level for Fungsional, and the direct superior's rank.</summary>
public sealed record AssignPositionRequest(string Kind, string Title, string? FunctionalLevel, string? SuperiorRank, string From);

public sealed class AssignPositionRequestValidator : AbstractValidator<AssignPositionRequest>
{
    public AssignPositionRequestValidator()
    {
        RuleFor(x => x.Kind).IsName<AssignPositionRequest, PositionKind>();
        RuleFor(x => x.Title).NotEmpty().MaximumLength(200);
        RuleFor(x => x.FunctionalLevel).IsOptionalName<AssignPositionRequest, FunctionalLevel>();
        RuleFor(x => x.SuperiorRank).IsOptionalRank();
        RuleFor(x => x.From).IsIsoDate();
    }
}

/// <summary>The SKP predicate of a year: SangatBaik, Baik, ButuhPerbaikan, Kurang or SangatKurang.</summary>
public sealed record RatePerformanceRequest(int Year, string Predicate);

public sealed class RatePerformanceRequestValidator : AbstractValidator<RatePerformanceRequest>
{
    public RatePerformanceRequestValidator()
    {
        RuleFor(x => x.Year).InclusiveBetween(1950, 2100);
        RuleFor(x => x.Predicate).IsName<RatePerformanceRequest, Predicate>();
    }
}

/// <summary>An education acquired: SD, SLTP, SLTPKejuruan, SLTA, D1, D2, D3, SarjanaMuda, SGPLB, D4, S1, S2, Dokter, Apoteker, S3.</summary>
public sealed record RecordEducationRequest(string Education, string AcquiredOn);

public sealed class RecordEducationRequestValidator : AbstractValidator<RecordEducationRequest>
{
    public RecordEducationRequestValidator()
    {
        RuleFor(x => x.Education).IsName<RecordEducationRequest, Education>();
        RuleFor(x => x.AcquiredOn).IsIsoDate();
    }
}

/// <summary>A disciplinary sentence: decree number, level (Light, Medium, Heavy), first and last day.</summary>
public sealed record ImposeSentenceRequest(string DecreeNumber, string Level, string Start, string Until);

public sealed class ImposeSentenceRequestValidator : AbstractValidator<ImposeSentenceRequest>
{
    public ImposeSentenceRequestValidator()
    {
        RuleFor(x => x.DecreeNumber).NotEmpty().MaximumLength(100);
        RuleFor(x => x.Level).IsName<ImposeSentenceRequest, DisciplineLevel>();
        RuleFor(x => x.Start).IsIsoDate();
        RuleFor(x => x.Until).IsIsoDate();
    }
}

/// <summary>An ethics violation established by decree on a date.</summary>
public sealed record RecordEthicsViolationRequest(string DecreeNumber, string On);

public sealed class RecordEthicsViolationRequestValidator : AbstractValidator<RecordEthicsViolationRequest>
{
    public RecordEthicsViolationRequestValidator()
    {
        RuleFor(x => x.DecreeNumber).NotEmpty().MaximumLength(100);
        RuleFor(x => x.On).IsIsoDate();
    }
}

/// <summary>An ujian dinas result (level I or II), or, with <c>exemptionReason</c>, an exemption from it.</summary>
public sealed record RecordServiceExamRequest(string Level, bool Passed, string On, string? ExemptionReason);

public sealed class RecordServiceExamRequestValidator : AbstractValidator<RecordServiceExamRequest>
{
    public RecordServiceExamRequestValidator()
    {
        RuleFor(x => x.Level).IsName<RecordServiceExamRequest, ServiceExamLevel>();
        RuleFor(x => x.On).IsIsoDate();
        RuleFor(x => x.ExemptionReason).MaximumLength(500);
    }
}

/// <summary>Credit points (angka kredit) counted towards the next JF promotion.</summary>
public sealed record RecordCreditPointsRequest(decimal Total, string On);

public sealed class RecordCreditPointsRequestValidator : AbstractValidator<RecordCreditPointsRequest>
{
    public RecordCreditPointsRequestValidator()
    {
        RuleFor(x => x.Total).InclusiveBetween(0m, 10_000m).PrecisionScale(8, 3, ignoreTrailingZeros: true);
        RuleFor(x => x.On).IsIsoDate();
    }
}

/// <summary>A BKN block (Peraturan BKN 1/2023) with its reference and reason.</summary>
public sealed record BlockRequest(string Reference, string Reason, string On);

public sealed class BlockRequestValidator : AbstractValidator<BlockRequest>
{
    public BlockRequestValidator()
    {
        RuleFor(x => x.Reference).NotEmpty().MaximumLength(100);
        RuleFor(x => x.Reason).NotEmpty().MaximumLength(1000);
        RuleFor(x => x.On).IsIsoDate();
    }
}

/// <summary>The lifting of a block, on a date.</summary>
public sealed record UnblockRequest(string On);

public sealed class UnblockRequestValidator : AbstractValidator<UnblockRequest>
{
    public UnblockRequestValidator() => RuleFor(x => x.On).IsIsoDate();
}

/// <summary>The civil servant's career record: appointment, ranks, positions, SKP, education, sentences, exams, blocks, open proposal. No NIP, no name.</summary>
public static class CivilServantEndpoints
{
    /// <summary>Appoint a passer of a recruitment round with an issued NIP as CPNS at the entry rank of the formation's education (R19).</summary>
    [WolverinePost("/civil-servants/appointments", OperationId = "AppointCpns")]
    [Tags("Career")]
    [Authorize(Roles = Roles.Committee)]
    public static async Task<IResult> Appoint(AppointCpnsRequest request, ClaimsPrincipal user, IDocumentSession session, PersonalDataVault vault, CivilServantIds ids, TimeProvider clock, CancellationToken ct)
    {
        if (await session.Events.FetchLatest<Application>(request.ApplicationId, ct) is not { } application)
        {
            return Results.Problem(Problems.NotFound("application", request.ApplicationId));
        }

        var formation = (await session.Events.FetchLatest<Formation>(application.FormationId, ct))!;
        var events = await session.Events.FetchStreamAsync(application.Id, token: ct);
        if (events.Select(e => e.Data).OfType<NipAssigned>().LastOrDefault() is not { } nipAssigned || application.NipSequence is not { } sequence)
        {
            // The decision refuses: not a passer, or no NIP yet.
            return CareerStreams.Refused(CareerDecisions.AppointCpns(null, application, formation, new AppointCpns(Guid.Empty, application.Id, default, clock.GetUtcNow())).Refusal!);
        }

        var reading = await vault.RevealAsync(PersonalDataReader.Of(user, "POST /civil-servants/appointments"), "cpns-appointment", [application.PersonId], ct);
        if (reading.Refusal is { } forbidden)
        {
            return PersonalDataEndpoints.Forbidden(forbidden);
        }

        if (!reading.Details.TryGetValue(application.PersonId, out var details))
        {
            return CareerStreams.Refused(new Deciding.Refusal(Deciding.RefusalKind.Conflict, "appointment.personal-data-erased", "The passer's personal data is erased; the NIP cannot be composed."));
        }

        var tmt = new DateOnly(nipAssigned.TmtYear, nipAssigned.TmtMonth, 1);
        var nip = Nip.Compose(Nip.Prefix(details.BirthDate, tmt, application.Sex), sequence);
        var servantId = ids.For(nip);
        return await session.DecideAsync<CareerRecord>(
            servantId,
            r => CareerDecisions.AppointCpns(r, application, formation, new AppointCpns(servantId, application.Id, tmt, clock.GetUtcNow())),
            ct,
            d => Results.Created($"/civil-servants/{servantId}", new { id = servantId, nip, rank = ((CpnsAppointed)d.Events[0]).Rank }));
    }

    /// <summary>The id of the career record of a NIP, if there is one.</summary>
    [WolverinePost("/civil-servants/lookup", OperationId = "LookupCivilServant")]
    [Tags("Career")]
    [Authorize(Roles = Roles.CommitteeOrAuditor)]
    public static async Task<IResult> Lookup(LookupRequest request, IQuerySession session, CivilServantIds ids, CancellationToken ct)
    {
        var id = ids.For(request.Nip);
        return await session.LoadAsync<CareerRecord>(id, ct) is null
            ? Results.Problem(Problems.NotFound("career record for this NIP", "").WithoutEcho())
            : Results.Ok(new { id });
    }

    /// <summary>A civil servant's career record.</summary>
    [WolverineGet("/civil-servants/{servantId}", OperationId = "GetCareerRecord")]
    [Tags("Career")]
    [Authorize(Roles = Roles.CommitteeOrAuditor)]
    public static async Task<IResult> Get(Guid servantId, IQuerySession session, CancellationToken ct) =>
        await session.LoadAsync<CareerRecord>(servantId, ct) is { } record
            ? Results.Ok(record)
            : Results.Problem(Problems.NotFound("career record", servantId));

    /// <summary>Record the latsar result of a CPNS (R19).</summary>
    [WolverinePost("/civil-servants/{servantId}/latsar", OperationId = "RecordLatsar")]
    [Tags("Career")]
    [Authorize(Roles = Roles.Committee)]
    public static Task<IResult> Latsar(Guid servantId, RecordLatsarRequest request, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        session.DecideAsync<CareerRecord>(servantId, r => CareerDecisions.RecordLatsar(r, new RecordLatsar(servantId, request.Passed, request.WorkingDays, request.LessonHours, IsoDate.Parse(request.CompletedOn), clock.GetUtcNow())), ct);

    /// <summary>Record the health certificate of a CPNS (R19).</summary>
    [WolverinePost("/civil-servants/{servantId}/health-certificate", OperationId = "RecordHealthCertificate")]
    [Tags("Career")]
    [Authorize(Roles = Roles.Committee)]
    public static Task<IResult> Health(Guid servantId, RecordHealthCertificateRequest request, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        session.DecideAsync<CareerRecord>(servantId, r => CareerDecisions.RecordHealthCertificate(r, new RecordHealthCertificate(servantId, request.Fit, IsoDate.Parse(request.IssuedOn), clock.GetUtcNow())), ct);

    /// <summary>End the probation: PNS appointment, or dismissal as CPNS without a latsar pass or health certificate (R19).</summary>
    [WolverinePost("/civil-servants/{servantId}/probation-conclusion", OperationId = "ConcludeProbation")]
    [Tags("Career")]
    [Authorize(Roles = Roles.Committee)]
    public static Task<IResult> Conclude(Guid servantId, ConcludeProbationRequest request, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        session.DecideAsync<CareerRecord>(servantId, r => CareerDecisions.ConcludeProbation(r, new ConcludeProbation(servantId, IsoDate.Parse(request.TmtPns), clock.GetUtcNow())), ct);

    /// <summary>Record a position held from a date.</summary>
    [WolverinePost("/civil-servants/{servantId}/positions", OperationId = "AssignPosition")]
    [Tags("Career")]
    [Authorize(Roles = Roles.Committee)]
    public static Task<IResult> Position(Guid servantId, AssignPositionRequest request, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        session.DecideAsync<CareerRecord>(servantId, r => CareerDecisions.AssignPosition(r, new AssignPosition(
            servantId, CareerCodes.Parse<PositionKind>(request.Kind), request.Title, CareerCodes.ParseOptional<FunctionalLevel>(request.FunctionalLevel), CareerCodes.OptionalRank(request.SuperiorRank), IsoDate.Parse(request.From), clock.GetUtcNow())), ct);

    /// <summary>Record the SKP predicate of a year.</summary>
    [WolverinePost("/civil-servants/{servantId}/performance", OperationId = "RatePerformance")]
    [Tags("Career")]
    [Authorize(Roles = Roles.Committee)]
    public static Task<IResult> Performance(Guid servantId, RatePerformanceRequest request, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        session.DecideAsync<CareerRecord>(servantId, r => CareerDecisions.RatePerformance(r, new RatePerformance(servantId, request.Year, CareerCodes.Parse<Predicate>(request.Predicate), clock.GetUtcNow())), ct);

    /// <summary>Record an education acquired.</summary>
    [WolverinePost("/civil-servants/{servantId}/education", OperationId = "RecordEducation")]
    [Tags("Career")]
    [Authorize(Roles = Roles.Committee)]
    public static Task<IResult> Education(Guid servantId, RecordEducationRequest request, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        session.DecideAsync<CareerRecord>(servantId, r => CareerDecisions.RecordEducation(r, new RecordEducation(servantId, CareerCodes.Parse<Education>(request.Education), IsoDate.Parse(request.AcquiredOn), clock.GetUtcNow())), ct);

    /// <summary>Record a disciplinary sentence with its period (R31, R40).</summary>
    [WolverinePost("/civil-servants/{servantId}/disciplinary-sentences", OperationId = "ImposeDisciplinarySentence")]
    [Tags("Career")]
    [Authorize(Roles = Roles.Committee)]
    public static Task<IResult> Sentence(Guid servantId, ImposeSentenceRequest request, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        session.DecideAsync<CareerRecord>(servantId, r => CareerDecisions.ImposeSentence(r, new ImposeDisciplinarySentence(
            servantId, request.DecreeNumber, CareerCodes.Parse<DisciplineLevel>(request.Level), IsoDate.Parse(request.Start), IsoDate.Parse(request.Until), clock.GetUtcNow())), ct);

    /// <summary>Record an ethics violation (R40).</summary>
    [WolverinePost("/civil-servants/{servantId}/ethics-violations", OperationId = "RecordEthicsViolation")]
    [Tags("Career")]
    [Authorize(Roles = Roles.Committee)]
    public static Task<IResult> Ethics(Guid servantId, RecordEthicsViolationRequest request, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        session.DecideAsync<CareerRecord>(servantId, r => CareerDecisions.RecordEthicsViolation(r, new RecordEthicsViolation(servantId, request.DecreeNumber, IsoDate.Parse(request.On), clock.GetUtcNow())), ct);

    /// <summary>Record an ujian dinas result or an exemption from it (R30).</summary>
    [WolverinePost("/civil-servants/{servantId}/service-exams", OperationId = "RecordServiceExam")]
    [Tags("Career")]
    [Authorize(Roles = Roles.Committee)]
    public static Task<IResult> ServiceExam(Guid servantId, RecordServiceExamRequest request, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var level = CareerCodes.Parse<ServiceExamLevel>(request.Level);
        var on = IsoDate.Parse(request.On);
        return session.DecideAsync<CareerRecord>(servantId, r => request.ExemptionReason is { Length: > 0 } reason
            ? CareerDecisions.GrantServiceExamExemption(r, new GrantServiceExamExemption(servantId, level, reason, on, clock.GetUtcNow()))
            : CareerDecisions.RecordServiceExam(r, new RecordServiceExam(servantId, level, request.Passed, on, clock.GetUtcNow())), ct);
    }

    /// <summary>Record the credit points (angka kredit) of a JF holder (R29).</summary>
    [WolverinePost("/civil-servants/{servantId}/credit-points", OperationId = "RecordCreditPoints")]
    [Tags("Career")]
    [Authorize(Roles = Roles.Committee)]
    public static Task<IResult> CreditPoints(Guid servantId, RecordCreditPointsRequest request, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        session.DecideAsync<CareerRecord>(servantId, r => CareerDecisions.RecordCreditPoints(r, new RecordCreditPoints(servantId, request.Total, IsoDate.Parse(request.On), clock.GetUtcNow())), ct);

    /// <summary>Block the civil servant's data and services (R46): every service command is refused until lifted.</summary>
    [WolverinePost("/civil-servants/{servantId}/blocks", OperationId = "BlockServices")]
    [Tags("Career")]
    [Authorize(Roles = Roles.Committee)]
    public static Task<IResult> Block(Guid servantId, BlockRequest request, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        session.DecideAsync<CareerRecord>(servantId, r => CareerDecisions.Block(r, new BlockServices(servantId, request.Reference, request.Reason, IsoDate.Parse(request.On), clock.GetUtcNow())), ct);

    /// <summary>Lift a block (R46).</summary>
    [WolverinePost("/civil-servants/{servantId}/blocks/{reference}/lifting", OperationId = "UnblockServices")]
    [Tags("Career")]
    [Authorize(Roles = Roles.Committee)]
    public static Task<IResult> Unblock(Guid servantId, string reference, UnblockRequest request, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        session.DecideAsync<CareerRecord>(servantId, r => CareerDecisions.Unblock(r, new UnblockServices(servantId, reference, IsoDate.Parse(request.On), clock.GetUtcNow())), ct);

    /// <summary>The career rule sets (promotion regimes, appointment, JPT, talent) with their sources.</summary>
    [WolverineGet("/career/rule-sets", OperationId = "ListCareerRuleSets")]
    [Tags("Career")]
    [Authorize(Roles = Roles.Anyone)]
    public static IEnumerable<object> RuleSets() => CareerRuleSets.All.OrderBy(r => r.EffectiveFrom).Cast<object>();

    private static Microsoft.AspNetCore.Mvc.ProblemDetails WithoutEcho(this Microsoft.AspNetCore.Mvc.ProblemDetails problem)
    {
        problem.Detail = "No career record for this NIP.";
        return problem;
    }
}
