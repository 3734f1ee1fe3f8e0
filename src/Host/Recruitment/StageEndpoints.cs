using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Merit.Security;
using FluentValidation;
using Marten;
using Merit.Infrastructure;
using Wolverine.Http;

namespace Merit.Recruitment;

/// <summary>File a sanggah: the window (Administrative or Final), the grounds, and whether new documents are attached (never allowed).</summary>
public sealed record FileAppealRequest(string Window, string Grounds, bool IncludesNewDocuments);

public sealed class FileAppealRequestValidator : AbstractValidator<FileAppealRequest>
{
    public FileAppealRequestValidator()
    {
        RuleFor(x => x.Window).IsEnumName(typeof(AppealWindow), caseSensitive: true).WithMessage("Window must be Administrative or Final.");
        RuleFor(x => x.Grounds).NotEmpty().MaximumLength(2000);
    }
}

/// <summary>The instansi's answer to a sanggah; accepted only when the fault was the instansi's.</summary>
public sealed record AnswerAppealRequest(string Window, bool Accept, bool FaultOfInstansi, string Reason);

public sealed class AnswerAppealRequestValidator : AbstractValidator<AnswerAppealRequest>
{
    public AnswerAppealRequestValidator()
    {
        RuleFor(x => x.Window).IsEnumName(typeof(AppealWindow), caseSensitive: true).WithMessage("Window must be Administrative or Final.");
        RuleFor(x => x.Reason).NotEmpty().MaximumLength(2000);
    }
}

/// <summary>Reuse of the previous round's SKD certificate (R12): the same person's application in that round.</summary>
public sealed record ReuseCertificateRequest(Guid FromApplicationId);

public sealed class ReuseCertificateRequestValidator : AbstractValidator<ReuseCertificateRequest>
{
    public ReuseCertificateRequestValidator() => RuleFor(x => x.FromApplicationId).NotEmpty();
}

/// <summary>SKB component weights of a formation (fractions summing to 1, e.g. cat 0.6, additional 0.3, interview 0.1).</summary>
public sealed record SetSkbWeightsRequest(decimal Cat, decimal Additional, decimal Interview);

public sealed class SetSkbWeightsRequestValidator : AbstractValidator<SetSkbWeightsRequest>
{
    public SetSkbWeightsRequestValidator()
    {
        RuleFor(x => x.Cat).InclusiveBetween(0m, 1m);
        RuleFor(x => x.Additional).InclusiveBetween(0m, 1m);
        RuleFor(x => x.Interview).InclusiveBetween(0m, 1m);
    }
}

/// <summary>An SKB result: the weighted score (0–100, two decimals) or the component scores (0–100 each).</summary>
public sealed record RecordSkbResultRequest(decimal? Score, decimal? Cat, decimal? Additional, decimal? Interview);

public sealed class RecordSkbResultRequestValidator : AbstractValidator<RecordSkbResultRequest>
{
    public RecordSkbResultRequestValidator()
    {
        RuleFor(x => x).Must(x => x.Score is not null ^ x.Cat is not null).WithName("score").WithMessage("Give either score or the components (cat, additional, interview).");
        RuleFor(x => x.Score).InclusiveBetween(0m, 100m).PrecisionScale(5, 2, ignoreTrailingZeros: true);
        RuleFor(x => x.Cat).InclusiveBetween(0m, 100m);
        RuleFor(x => x.Additional).InclusiveBetween(0m, 100m);
        RuleFor(x => x.Interview).InclusiveBetween(0m, 100m);
    }
}

/// <summary>Fill a vacant formation with an applicant of another formation (optimalisasi).</summary>
public sealed record PlaceByOptimisationRequest(Guid ApplicationId);

public sealed class PlaceByOptimisationRequestValidator : AbstractValidator<PlaceByOptimisationRequest>
{
    public PlaceByOptimisationRequestValidator() => RuleFor(x => x.ApplicationId).NotEmpty();
}

/// <summary>A passer's withdrawal (APS), with its reason.</summary>
public sealed record WithdrawRequest(string Reason);

public sealed class WithdrawRequestValidator : AbstractValidator<WithdrawRequest>
{
    public WithdrawRequestValidator() => RuleFor(x => x.Reason).NotEmpty().MaximumLength(2000);
}

/// <summary>Commands of the stages after registration: appeals, SKD outcomes, SKB, the per-formation decisions, optimisation and withdrawal.</summary>
public static class StageEndpoints
{
    /// <summary>File a sanggah (R07): once per window, within the window, without new documents.</summary>
    [WolverinePost("/applications/{applicationId}/appeals", OperationId = "FileAppeal")]
    [Tags("Appeals")]
    [Authorize(Roles = Roles.Committee)]
    public static Task<IResult> FileAppeal(Guid applicationId, FileAppealRequest request, ClaimsPrincipal user, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        OnApplication(applicationId, user, session, (round, _, application) => AppealDecisions.File(round, application,
            new FileAppeal(applicationId, Enum.Parse<AppealWindow>(request.Window), request.Grounds, request.IncludesNewDocuments, clock.GetUtcNow())), ct);

    /// <summary>Answer a sanggah: accepted (the instansi's error) or rejected, with the reason.</summary>
    [WolverinePost("/applications/{applicationId}/appeals/answer", OperationId = "AnswerAppeal")]
    [Tags("Appeals")]
    [Authorize(Roles = Roles.Committee)]
    public static Task<IResult> AnswerAppeal(Guid applicationId, AnswerAppealRequest request, ClaimsPrincipal user, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        OnApplication(applicationId, user, session, (round, _, application) => AppealDecisions.Answer(round, application,
            new AnswerAppeal(applicationId, Enum.Parse<AppealWindow>(request.Window), request.Accept, request.FaultOfInstansi, request.Reason, clock.GetUtcNow())), ct);

    /// <summary>Re-announce the corrected administrative result (MS) after an accepted appeal, within the days allowed (R07).</summary>
    [WolverinePost("/applications/{applicationId}/administrative-reannouncement", OperationId = "ReannounceAdministrativeResult")]
    [Tags("Appeals")]
    [Authorize(Roles = Roles.Committee)]
    public static Task<IResult> Reannounce(Guid applicationId, ClaimsPrincipal user, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        OnApplication(applicationId, user, session, (round, _, application) => AppealDecisions.Reannounce(round, application, new ReannounceAdministrativeResult(applicationId, clock.GetUtcNow())), ct);

    /// <summary>Record the applicant absent from the SKD (TH).</summary>
    [WolverinePost("/applications/{applicationId}/skd-absence", OperationId = "RecordSkdAbsence")]
    [Tags("Applications")]
    [Authorize(Roles = Roles.Committee)]
    public static Task<IResult> SkdAbsence(Guid applicationId, ClaimsPrincipal user, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        OnApplication(applicationId, user, session, (round, _, application) => SkdStageDecisions.RecordAbsence(round, application, new RecordSkdAbsence(applicationId, clock.GetUtcNow())), ct);

    /// <summary>Carry over the previous round's SKD certificate (R12).</summary>
    [WolverinePost("/applications/{applicationId}/skd-certificate", OperationId = "ReuseSkdCertificate")]
    [Tags("Applications")]
    [Authorize(Roles = Roles.Committee)]
    public static async Task<IResult> ReuseCertificate(Guid applicationId, ReuseCertificateRequest request, ClaimsPrincipal user, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var previous = await session.LoadAsync<Application>(request.FromApplicationId, ct);
        var previousRound = previous is null ? null : await session.LoadAsync<Round>(previous.RoundId, ct);
        return await OnApplication(applicationId, user, session, (round, formation, application) =>
            SkdStageDecisions.ReuseCertificate(round, formation, application, previousRound, previous, new ReuseSkdCertificate(applicationId, request.FromApplicationId, clock.GetUtcNow())), ct);
    }

    /// <summary>Record an SKB result (stage Skb), for an applicant the cut-off admitted.</summary>
    [WolverinePost("/applications/{applicationId}/skb-result", OperationId = "RecordSkbResult")]
    [Tags("Applications")]
    [Authorize(Roles = Roles.Committee)]
    public static Task<IResult> SkbResult(Guid applicationId, RecordSkbResultRequest request, ClaimsPrincipal user, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        OnApplication(applicationId, user, session, (round, formation, application) => SkbDecisions.Record(round, formation, application, new RecordSkbResult(
            applicationId,
            request.Score,
            request.Cat is { } cat ? new SkbComponents(cat, request.Additional, request.Interview) : null,
            clock.GetUtcNow())), ct);

    /// <summary>Record the applicant absent from the SKB (TH).</summary>
    [WolverinePost("/applications/{applicationId}/skb-absence", OperationId = "RecordSkbAbsence")]
    [Tags("Applications")]
    [Authorize(Roles = Roles.Committee)]
    public static Task<IResult> SkbAbsence(Guid applicationId, ClaimsPrincipal user, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        OnApplication(applicationId, user, session, (round, _, application) => SkbDecisions.RecordAbsence(round, application, new RecordSkbAbsence(applicationId, clock.GetUtcNow())), ct);

    /// <summary>A passer withdraws (APS); the person is barred from later rounds for the years the rule set sets (R18).</summary>
    [WolverinePost("/applications/{applicationId}/withdrawal", OperationId = "WithdrawAfterPassing")]
    [Tags("Appointment")]
    [Authorize(Roles = Roles.Committee)]
    public static Task<IResult> Withdraw(Guid applicationId, WithdrawRequest request, ClaimsPrincipal user, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        OnApplication(applicationId, user, session, (round, _, application) => AppointmentDecisions.Withdraw(round, application, new WithdrawAfterPassing(applicationId, request.Reason, clock.GetUtcNow())), ct);

    /// <summary>Set a formation's SKB component weights under the rule set's limits (R14).</summary>
    [WolverinePost("/formations/{formationId}/skb-weights", OperationId = "SetSkbWeights")]
    [Tags("Formations")]
    [Authorize(Roles = Roles.Committee)]
    public static Task<IResult> SetSkbWeights(Guid formationId, SetSkbWeightsRequest request, ClaimsPrincipal user, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        OnFormation(formationId, user, session, (round, formation) =>
            Task.FromResult(SkbDecisions.SetWeights(round, formation, new SetSkbWeights(formationId, new SkbWeights(request.Cat, request.Additional, request.Interview), clock.GetUtcNow()))), ct);

    /// <summary>Decide the formation's SKD cut-off (stage Skb): threshold, ranking, 3 × allocation, ties at the boundary admitted (R13).</summary>
    [WolverinePost("/formations/{formationId}/skd-cutoff", OperationId = "DecideSkdCutOff")]
    [Tags("Decisions")]
    [Authorize(Roles = Roles.Committee)]
    public static Task<IResult> DecideSkdCutOff(Guid formationId, ClaimsPrincipal user, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        OnFormation(formationId, user, session, async (round, formation) =>
        {
            var applications = await session.Query<Application>().Where(a => a.FormationId == formationId).ToListAsync(ct);
            return SelectionDecisions.DecideSkdCutOff(round, formation, applications, new DecideSkdCutOff(formationId, clock.GetUtcNow()));
        }, ct);

    /// <summary>Decide the formation's final result (stage Integration): integrated score, ranking with the tie-breaks of R15, status codes (R16).</summary>
    [WolverinePost("/formations/{formationId}/final-result", OperationId = "DecideFinalResult")]
    [Tags("Decisions")]
    [Authorize(Roles = Roles.Committee)]
    public static Task<IResult> DecideFinal(Guid formationId, ClaimsPrincipal user, IDocumentSession session, RoundWideDecisions decisions, TimeProvider clock, CancellationToken ct) =>
        OnFormation(formationId, user, session, async (round, formation) =>
        {
            var applications = await session.Query<Application>().Where(a => a.FormationId == formationId).ToListAsync(ct);
            var command = new DecideFinalResult(formationId, clock.GetUtcNow());
            if (SelectionDecisions.DecideFinal(round, formation, applications, RoundWideDecisions.NoBirthDates, command).Refusal is { } refused)
            {
                return refused; // nothing decrypted, nothing logged, for a decision that would not be taken
            }

            var birthDates = await decisions.BirthDatesAsync(applications, PersonalData.PersonalDataReader.Of(user, $"POST /formations/{formationId}/final-result"), "final-tie-break", ct);
            return birthDates.Refusal ?? SelectionDecisions.DecideFinal(round, formation, applications, birthDates.ByApplication, command);
        }, ct);

    /// <summary>Fill a vacancy of this formation by optimisation (stage Optimisation), best-ranked eligible applicant first (R17).</summary>
    [WolverinePost("/formations/{formationId}/optimisation", OperationId = "PlaceByOptimisation")]
    [Tags("Decisions")]
    [Authorize(Roles = Roles.Committee)]
    public static Task<IResult> PlaceByOptimisation(Guid formationId, PlaceByOptimisationRequest request, ClaimsPrincipal user, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        OnFormation(formationId, user, session, async (round, target) =>
        {
            var siblings = await session.Query<Formation>().Where(f => f.RoundId == round.Id && f.Position == target.Position).ToListAsync(ct);
            var ids = siblings.Select(f => f.Id).ToArray();
            var applications = await session.Query<Application>().Where(a => a.FormationId.IsOneOf(ids)).ToListAsync(ct);
            var byId = siblings.ToDictionary(f => f.Id);
            var pool = AppointmentDecisions.Pool(target, applications.Select(a => (byId[a.FormationId], a)), round.Rules().Skd);
            var application = applications.FirstOrDefault(a => a.Id == request.ApplicationId);
            if (application is null)
            {
                return new Deciding.Refusal(Deciding.RefusalKind.Invalid, "optimisation.unknown-applicant", $"No applicant {request.ApplicationId} in a formation with the same position.", "applicationId");
            }

            var decision = AppointmentDecisions.PlaceByOptimisation(round, target, pool, application, new PlaceByOptimisation(formationId, request.ApplicationId, clock.GetUtcNow()));
            return decision;
        }, ct);

    private static async Task<IResult> OnApplication(Guid applicationId, ClaimsPrincipal user, IDocumentSession session, Func<Round, Formation, Application, Deciding.Decision> decide, CancellationToken ct)
    {
        var stream = await session.Events.FetchForWriting<Application>(applicationId, ct);
        if (stream.Aggregate is not { } application)
        {
            return Results.Problem(Problems.NotFound("application", applicationId));
        }

        var round = (await session.LoadAsync<Round>(application.RoundId, ct))!;
        if (RoundScope.Refuse(user, round) is { } outside)
        {
            return outside;
        }

        var formation = (await session.LoadAsync<Formation>(application.FormationId, ct))!;
        var decision = decide(round, formation, application);
        return decision.AppendTo(stream, session, () => Results.Ok(new { id = applicationId, recorded = decision.Events.Select(e => e.GetType().Name) }));
    }

    private static async Task<IResult> OnFormation(Guid formationId, ClaimsPrincipal user, IDocumentSession session, Func<Round, Formation, Task<Deciding.Decision>> decide, CancellationToken ct)
    {
        var stream = await session.Events.FetchForWriting<Formation>(formationId, ct);
        if (stream.Aggregate is not { } formation)
        {
            return Results.Problem(Problems.NotFound("formation", formationId));
        }

        var round = (await session.LoadAsync<Round>(formation.RoundId, ct))!;
        if (RoundScope.Refuse(user, round) is { } outside)
        {
            return outside;
        }

        var decision = await decide(round, formation);
        return decision.AppendTo(stream, session, () => Results.Ok(new
        {
            id = formationId,
            recorded = decision.Events.GroupBy(e => e.GetType().Name).Select(g => new { @event = g.Key, count = g.Count() }),
        }));
    }
}
