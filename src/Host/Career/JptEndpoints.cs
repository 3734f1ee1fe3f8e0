using Merit.Security;
using Microsoft.AspNetCore.Authorization;
using FluentValidation;
using Marten;
using Merit.Identifiers;
using Merit.Infrastructure;
using Merit.Projections.Career;
using Wolverine.Http;

namespace Merit.Career;

/// <summary>Announce a senior post (JPT Pratama, Madya or Utama) for open selection; registration open until a date.</summary>
public sealed record AnnounceJptSelectionRequest(string Code, string InstansiCode, string Position, string Level, string RegistrationCloses, string? MinimumRank);

public sealed class AnnounceJptSelectionRequestValidator : AbstractValidator<AnnounceJptSelectionRequest>
{
    public AnnounceJptSelectionRequestValidator()
    {
        RuleFor(x => x.Code).NotEmpty().MaximumLength(40).Matches("^[A-Za-z0-9._-]+$").WithMessage("Code must be 1–40 letters, digits, '.', '_' or '-'.");
        RuleFor(x => x.InstansiCode).NotEmpty().MaximumLength(42);
        RuleFor(x => x.Position).NotEmpty().MaximumLength(200);
        RuleFor(x => x.Level).IsName<AnnounceJptSelectionRequest, JptLevel>();
        RuleFor(x => x.RegistrationCloses).IsIsoDate();
        RuleFor(x => x.MinimumRank).IsOptionalRank();
    }
}

/// <summary>A pansel member: an opaque code (no name), internal or not, and for an internal member the post held.</summary>
public sealed record PanselMemberRequest(string Code, bool Internal, string? Post);

/// <summary>The pansel formed by PPK decree (R34).</summary>
public sealed record FormPanselRequest(string DecreeNumber, IReadOnlyList<PanselMemberRequest> Members);

public sealed class FormPanselRequestValidator : AbstractValidator<FormPanselRequest>
{
    public FormPanselRequestValidator()
    {
        RuleFor(x => x.DecreeNumber).NotEmpty().MaximumLength(100);
        RuleFor(x => x.Members).NotNull().Must(m => m.Count <= 50).WithMessage("At most 50 members are listed.");
        RuleForEach(x => x.Members).ChildRules(m =>
        {
            m.RuleFor(x => x.Code).NotEmpty().MaximumLength(40);
            m.RuleFor(x => x.Post).IsOptionalName<PanselMemberRequest, Post>();
        });
    }
}

/// <summary>
/// An applicant: registration code, NIP (read for the age limit and the person's pseudonym, never stored), education,
/// years of related experience, the post held and years in it, rank, and any Presidential approval of an exception.
/// </summary>
public sealed record RegisterJptApplicantRequest(string ApplicantCode, string Nip, string Education, int ExperienceYears, string Post, int YearsInPost, string? Rank, string? PresidentialApproval);

public sealed class RegisterJptApplicantRequestValidator : AbstractValidator<RegisterJptApplicantRequest>
{
    public RegisterJptApplicantRequestValidator()
    {
        RuleFor(x => x.ApplicantCode).NotEmpty().MaximumLength(40).Matches("^[A-Za-z0-9-]+$").WithMessage("Applicant code must be 1–40 letters, digits or '-'.");
        RuleFor(x => x.Nip).Must(n => Nip.Problem(n) is null).WithMessage(x => Nip.Problem(x.Nip) ?? "").WithErrorCode("R22");
        RuleFor(x => x.Education).IsName<RegisterJptApplicantRequest, Education>();
        RuleFor(x => x.ExperienceYears).InclusiveBetween(0, 60);
        RuleFor(x => x.Post).IsName<RegisterJptApplicantRequest, Post>();
        RuleFor(x => x.YearsInPost).InclusiveBetween(0, 60);
        RuleFor(x => x.Rank).IsOptionalRank();
        RuleFor(x => x.PresidentialApproval).MaximumLength(200);
    }
}

/// <summary>A member's declaration of a conflict of interest with an applicant (R38).</summary>
public sealed record DeclareConflictRequest(string MemberCode, string ApplicantCode);

public sealed class DeclareConflictRequestValidator : AbstractValidator<DeclareConflictRequest>
{
    public DeclareConflictRequestValidator()
    {
        RuleFor(x => x.MemberCode).NotEmpty().MaximumLength(40);
        RuleFor(x => x.ApplicantCode).NotEmpty().MaximumLength(40);
    }
}

/// <summary>One member's score (0–100) of one applicant at one stage, with the member's declaration that there is no conflict of interest (R38).</summary>
public sealed record RecordJptScoreRequest(string MemberCode, string ApplicantCode, string Stage, decimal Score, bool NoConflictDeclared);

public sealed class RecordJptScoreRequestValidator : AbstractValidator<RecordJptScoreRequest>
{
    public RecordJptScoreRequestValidator()
    {
        RuleFor(x => x.MemberCode).NotEmpty().MaximumLength(40);
        RuleFor(x => x.ApplicantCode).NotEmpty().MaximumLength(40);
        RuleFor(x => x.Stage).NotEmpty().MaximumLength(40);
        RuleFor(x => x.Score).PrecisionScale(5, 2, ignoreTrailingZeros: true);
    }
}

/// <summary>An applicant who withdraws.</summary>
public sealed record WithdrawJptApplicantRequest(string ApplicantCode);

public sealed class WithdrawJptApplicantRequestValidator : AbstractValidator<WithdrawJptApplicantRequest>
{
    public WithdrawJptApplicantRequestValidator() => RuleFor(x => x.ApplicantCode).NotEmpty().MaximumLength(40);
}

/// <summary>The PPK's pick among the pansel's 3 names, with the reason (R37).</summary>
public sealed record AppointJptRequest(string ApplicantCode, string Reason);

public sealed class AppointJptRequestValidator : AbstractValidator<AppointJptRequest>
{
    public AppointJptRequestValidator()
    {
        RuleFor(x => x.ApplicantCode).NotEmpty().MaximumLength(40);
        RuleFor(x => x.Reason).NotEmpty().MaximumLength(2000);
    }
}

/// <summary>Cancel a selection, with the reason.</summary>
public sealed record CancelJptSelectionRequest(string Reason);

public sealed class CancelJptSelectionRequestValidator : AbstractValidator<CancelJptSelectionRequest>
{
    public CancelJptSelectionRequestValidator() => RuleFor(x => x.Reason).NotEmpty().MaximumLength(2000);
}

/// <summary>JPT statistics of one instansi or all: applicants per vacancy, extensions, and how often the PPK did not pick rank 1.</summary>
public sealed record JptStatisticsView(
    string? InstansiCode,
    int Selections,
    decimal ApplicantsPerVacancy,
    int SelectionsExtended,
    int Extensions,
    int Appointed,
    int AppointedNotRank1,
    decimal? ShareNotRank1,
    IReadOnlyList<JptSelectionStats> Items);

/// <summary>JPT open selection (seleksi terbuka), R34–R38: one stream per selection (one vacancy).</summary>
public static class JptEndpoints
{
    /// <summary>Announce a selection under the JPT rule set in force.</summary>
    [WolverinePost("/jpt-selections", OperationId = "AnnounceJptSelection")]
    [Tags("Career")]
    [Authorize(Roles = Roles.Committee)]
    public static Task<IResult> Announce(AnnounceJptSelectionRequest request, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var id = JptDecisions.IdFor(request.Code);
        var command = new AnnounceJptSelection(request.Code, request.InstansiCode, request.Position, CareerCodes.Parse<JptLevel>(request.Level), IsoDate.Parse(request.RegistrationCloses), CareerCodes.OptionalRank(request.MinimumRank), clock.GetUtcNow());
        return session.DecideAsync<JptSelection>(id, s => JptDecisions.Announce(s, command), ct, d => Results.Created($"/jpt-selections/{id}", new { id, ruleSetVersion = ((JptSelectionAnnounced)d.Events[0]).RuleSetVersion }));
    }

    /// <summary>A selection: status, pansel, applicants, scores, the pansel's list and the PPK's pick.</summary>
    [WolverineGet("/jpt-selections/{selectionId}", OperationId = "GetJptSelection")]
    [Tags("Career")]
    [Authorize(Roles = Roles.CommitteeOrAuditor)]
    public static async Task<IResult> Get(Guid selectionId, IQuerySession session, CancellationToken ct) =>
        await session.LoadAsync<JptSelection>(selectionId, ct) is { } selection
            ? Results.Ok(selection)
            : Results.Problem(Problems.NotFound("JPT selection", selectionId));

    /// <summary>Form the pansel, validated against R34.</summary>
    [WolverinePost("/jpt-selections/{selectionId}/pansel", OperationId = "FormPansel")]
    [Tags("Career")]
    [Authorize(Roles = Roles.Committee)]
    public static Task<IResult> Pansel(Guid selectionId, FormPanselRequest request, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var members = request.Members.Select(m => new PanselMember(m.Code, m.Internal, CareerCodes.ParseOptional<Post>(m.Post))).ToList();
        return session.DecideAsync<JptSelection>(selectionId, s => JptDecisions.FormPansel(s, new FormPansel(selectionId, request.DecreeNumber, members, clock.GetUtcNow())), ct);
    }

    /// <summary>Register an applicant, screened against the eligibility table of the level (R36); answers eligible or not, with every check.</summary>
    [WolverinePost("/jpt-selections/{selectionId}/applicants", OperationId = "RegisterJptApplicant")]
    [Tags("Career")]
    [Authorize(Roles = Roles.Committee)]
    public static async Task<IResult> Register(Guid selectionId, RegisterJptApplicantRequest request, IDocumentSession session, CivilServantIds ids, TimeProvider clock, CancellationToken ct)
    {
        var servantId = ids.For(request.Nip);
        var record = await session.LoadAsync<CareerRecord>(servantId, ct);
        var command = new RegisterJptApplicant(
            selectionId, request.ApplicantCode, servantId, Nip.Parse(request.Nip).BirthDate, CareerCodes.Parse<Education>(request.Education), request.ExperienceYears,
            CareerCodes.Parse<Post>(request.Post), request.YearsInPost, CareerCodes.OptionalRank(request.Rank), request.PresidentialApproval, clock.GetUtcNow());
        return await session.DecideAsync<JptSelection>(selectionId, s => JptDecisions.Register(s, record, command), ct, d =>
        {
            var registered = (JptApplicantRegistered)d.Events[0];
            return Results.Ok(new { id = selectionId, registered.ApplicantCode, registered.Eligible, registered.Checks, registered.PresidentialApproval });
        });
    }

    /// <summary>Extend registration by 7 days when fewer than 4 eligible applicants registered; at most twice (R35).</summary>
    [WolverinePost("/jpt-selections/{selectionId}/extensions", OperationId = "ExtendJptRegistration")]
    [Tags("Career")]
    [Authorize(Roles = Roles.Committee)]
    public static Task<IResult> Extend(Guid selectionId, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        session.DecideAsync<JptSelection>(selectionId, s => JptDecisions.Extend(s, new ExtendJptRegistration(selectionId, clock.GetUtcNow())), ct, d =>
        {
            var extended = (JptRegistrationExtended)d.Events[0];
            return Results.Ok(new { id = selectionId, extended.Number, extended.ClosesNow });
        });

    /// <summary>Close registration: at least 4 eligible applicants and a formed pansel (R35).</summary>
    [WolverinePost("/jpt-selections/{selectionId}/registration-closure", OperationId = "CloseJptRegistration")]
    [Tags("Career")]
    [Authorize(Roles = Roles.Committee)]
    public static Task<IResult> Close(Guid selectionId, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        session.DecideAsync<JptSelection>(selectionId, s => JptDecisions.Close(s, new CloseJptRegistration(selectionId, clock.GetUtcNow())), ct);

    /// <summary>A member declares a conflict of interest with an applicant and will not score them (R38).</summary>
    [WolverinePost("/jpt-selections/{selectionId}/conflicts-of-interest", OperationId = "DeclareConflictOfInterest")]
    [Tags("Career")]
    [Authorize(Roles = Roles.Committee)]
    public static Task<IResult> Conflict(Guid selectionId, DeclareConflictRequest request, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        session.DecideAsync<JptSelection>(selectionId, s => JptDecisions.DeclareConflict(s, new DeclareConflictOfInterest(selectionId, request.MemberCode, request.ApplicantCode, clock.GetUtcNow())), ct);

    /// <summary>Record one member's score of one applicant at one stage (R38).</summary>
    [WolverinePost("/jpt-selections/{selectionId}/scores", OperationId = "RecordJptScore")]
    [Tags("Career")]
    [Authorize(Roles = Roles.Committee)]
    public static Task<IResult> Score(Guid selectionId, RecordJptScoreRequest request, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        session.DecideAsync<JptSelection>(selectionId, s => JptDecisions.Score(s, new RecordJptScore(selectionId, request.MemberCode, request.ApplicantCode, request.Stage, request.Score, request.NoConflictDeclared, clock.GetUtcNow())), ct);

    /// <summary>An applicant withdraws.</summary>
    [WolverinePost("/jpt-selections/{selectionId}/withdrawals", OperationId = "WithdrawJptApplicant")]
    [Tags("Career")]
    [Authorize(Roles = Roles.Committee)]
    public static Task<IResult> Withdraw(Guid selectionId, WithdrawJptApplicantRequest request, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        session.DecideAsync<JptSelection>(selectionId, s => JptDecisions.Withdraw(s, new WithdrawJptApplicant(selectionId, request.ApplicantCode, clock.GetUtcNow())), ct);

    /// <summary>The pansel's list: the 3 best by the recorded scores (R37).</summary>
    [WolverinePost("/jpt-selections/{selectionId}/shortlist", OperationId = "ProposeJptShortlist")]
    [Tags("Career")]
    [Authorize(Roles = Roles.Committee)]
    public static Task<IResult> Shortlist(Guid selectionId, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        session.DecideAsync<JptSelection>(selectionId, s => JptDecisions.ProposeShortlist(s, new ProposeJptShortlist(selectionId, clock.GetUtcNow())), ct, d =>
        {
            var proposed = (JptShortlistProposed)d.Events[0];
            return Results.Ok(new { id = selectionId, proposed.Shortlist, proposed.Ranked, proposed.RuleSetVersion });
        });

    /// <summary>The PPK appoints one of the 3 names; any other is refused (R37).</summary>
    [WolverinePost("/jpt-selections/{selectionId}/appointment", OperationId = "AppointFromJptShortlist")]
    [Tags("Career")]
    [Authorize(Roles = Roles.Committee)]
    public static Task<IResult> Appoint(Guid selectionId, AppointJptRequest request, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        session.DecideAsync<JptSelection>(selectionId, s => JptDecisions.Appoint(s, new AppointFromShortlist(selectionId, request.ApplicantCode, request.Reason, clock.GetUtcNow())), ct, d =>
        {
            var appointed = (JptAppointed)d.Events[0];
            return Results.Ok(new { id = selectionId, appointed.ApplicantCode, appointed.ShortlistRank, appointed.RuleSetVersion });
        });

    /// <summary>Cancel a selection.</summary>
    [WolverinePost("/jpt-selections/{selectionId}/cancellation", OperationId = "CancelJptSelection")]
    [Tags("Career")]
    [Authorize(Roles = Roles.Committee)]
    public static Task<IResult> Cancel(Guid selectionId, CancelJptSelectionRequest request, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        session.DecideAsync<JptSelection>(selectionId, s => JptDecisions.Cancel(s, new CancelJptSelection(selectionId, request.Reason, clock.GetUtcNow())), ct);

    /// <summary>JPT statistics (asynchronous read model): applicants per vacancy, extensions, share of appointments that were not rank 1.</summary>
    [WolverineGet("/jpt-statistics", OperationId = "GetJptStatistics")]
    [Tags("Career")]
    [Authorize(Roles = Roles.Analyst + "," + Roles.Auditor + "," + Roles.Admin)]
    public static async Task<JptStatisticsView> Statistics(string? instansiCode, IQuerySession session, CancellationToken ct)
    {
        var query = instansiCode is null ? session.Query<JptSelectionStats>() : session.Query<JptSelectionStats>().Where(s => s.InstansiCode == instansiCode);
        var items = (await query.ToListAsync(ct)).OrderBy(s => s.Code, StringComparer.Ordinal).ToList();
        var appointed = items.Where(s => s.AppointedRank is not null).ToList();
        var notRank1 = appointed.Count(s => s.AppointedRank != 1);
        return new JptStatisticsView(
            instansiCode,
            items.Count,
            items.Count == 0 ? 0 : decimal.Round((decimal)items.Sum(s => s.Applicants) / items.Count, 2, MidpointRounding.AwayFromZero),
            items.Count(s => s.Extensions > 0),
            items.Sum(s => s.Extensions),
            appointed.Count,
            notRank1,
            appointed.Count == 0 ? null : decimal.Round((decimal)notRank1 / appointed.Count, 4, MidpointRounding.AwayFromZero),
            items);
    }
}
