using FluentValidation;
using Marten;
using Merit.Career;
using Merit.Deciding;
using Merit.Infrastructure;
using Merit.Security;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Merit.Relocation;

/// <summary>A step of a case on a date.</summary>
public sealed record CaseStepRequest(string On);

public sealed class CaseStepRequestValidator : AbstractValidator<CaseStepRequest>
{
    public CaseStepRequestValidator() => RuleFor(x => x.On).IsIsoDate();
}

/// <summary>A step with its reason: a decline or a withdrawal.</summary>
public sealed record CaseReasonRequest(string Reason, string On);

public sealed class CaseReasonRequestValidator : AbstractValidator<CaseReasonRequest>
{
    public CaseReasonRequestValidator()
    {
        RuleFor(x => x.Reason).NotEmpty().MaximumLength(500);
        RuleFor(x => x.On).IsIsoDate();
    }
}

/// <summary>A deferral: the reason, and until when.</summary>
public sealed record DeferRequest(string Reason, string Until, string On);

public sealed class DeferRequestValidator : AbstractValidator<DeferRequest>
{
    public DeferRequestValidator()
    {
        RuleFor(x => x.Reason).NotEmpty().MaximumLength(500);
        RuleFor(x => x.Until).IsIsoDate();
        RuleFor(x => x.On).IsIsoDate();
    }
}

/// <summary>The arrival at IKN and the number of family members who came along (counted for housing).</summary>
public sealed record ArrivalRequest(string ArrivedOn, int FamilyMembers);

public sealed class ArrivalRequestValidator : AbstractValidator<ArrivalRequest>
{
    public ArrivalRequestValidator()
    {
        RuleFor(x => x.ArrivedOn).IsIsoDate();
        RuleFor(x => x.FamilyMembers).InclusiveBetween(0, 20);
    }
}

/// <summary>One civil servant's relocation case after the selection: notified, accepted, deferred or declined, arrived, completed; or withdrawn.</summary>
public static class CaseEndpoints
{
    /// <summary>A case: status, each gate's result, rank, the policy it was decided under.</summary>
    [WolverineGet("/relocation-cases/{caseId}", OperationId = "GetRelocationCase")]
    [Tags("Relocation")]
    [Authorize(Roles = Roles.CommitteeOrAuditor)]
    public static async Task<IResult> Get(Guid caseId, IQuerySession session, CancellationToken ct) =>
        await session.LoadAsync<RelocationCase>(caseId, ct) is { } found ? Results.Ok(found) : Results.Problem(Problems.NotFound("relocation case", caseId));

    [WolverinePost("/relocation-cases/{caseId}/notification", OperationId = "NotifyRelocation")]
    [Tags("Relocation")]
    [Authorize(Roles = Roles.Committee)]
    public static Task<IResult> Notify(Guid caseId, CaseStepRequest request, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        session.DecideAsync<RelocationCase>(caseId, c => RelocationDecisions.Notify(c, new NotifySelected(caseId, IsoDate.Parse(request.On), clock.GetUtcNow())), ct);

    [WolverinePost("/relocation-cases/{caseId}/acceptance", OperationId = "AcceptRelocation")]
    [Tags("Relocation")]
    [Authorize(Roles = Roles.Committee)]
    public static Task<IResult> Accept(Guid caseId, CaseStepRequest request, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        session.DecideAsync<RelocationCase>(caseId, c => RelocationDecisions.Accept(c, new AcceptRelocation(caseId, IsoDate.Parse(request.On), clock.GetUtcNow())), ct);

    /// <summary>Defer with a reason until a date; the housing unit stays reserved.</summary>
    [WolverinePost("/relocation-cases/{caseId}/deferral", OperationId = "DeferRelocation")]
    [Tags("Relocation")]
    [Authorize(Roles = Roles.Committee)]
    public static Task<IResult> Defer(Guid caseId, DeferRequest request, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        session.DecideAsync<RelocationCase>(caseId, c => RelocationDecisions.Defer(c, new DeferRelocation(caseId, request.Reason, IsoDate.Parse(request.Until), IsoDate.Parse(request.On), clock.GetUtcNow())), ct);

    /// <summary>Decline: the housing unit is freed on the quota (offer it with <c>POST /housing-quotas/{id}/offers</c>).</summary>
    [WolverinePost("/relocation-cases/{caseId}/declination", OperationId = "DeclineRelocation")]
    [Tags("Relocation")]
    [Authorize(Roles = Roles.Committee)]
    public static Task<IResult> Decline(Guid caseId, CaseReasonRequest request, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        WithQuotaAsync(caseId, session, (c, _) => RelocationDecisions.Decline(c, new DeclineRelocation(caseId, request.Reason, IsoDate.Parse(request.On), clock.GetUtcNow())), ct);

    /// <summary>Withdraw a nomination before arrival: a held unit is freed, a wait-list place left.</summary>
    [WolverinePost("/relocation-cases/{caseId}/withdrawal", OperationId = "WithdrawRelocation")]
    [Tags("Relocation")]
    [Authorize(Roles = Roles.Committee)]
    public static Task<IResult> Withdraw(Guid caseId, CaseReasonRequest request, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        WithQuotaAsync(caseId, session, (c, q) => RelocationDecisions.Withdraw(c, q, new WithdrawNomination(caseId, request.Reason, IsoDate.Parse(request.On), clock.GetUtcNow())), ct);

    /// <summary>The arrival, with the family members who came along, within what the policy houses.</summary>
    [WolverinePost("/relocation-cases/{caseId}/arrival", OperationId = "RecordRelocationArrival")]
    [Tags("Relocation")]
    [Authorize(Roles = Roles.Committee)]
    public static async Task<IResult> Arrive(Guid caseId, ArrivalRequest request, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var stream = await session.Events.FetchForWriting<RelocationCase>(caseId, ct);
        if (stream.Aggregate is not { PolicyVersion: { } version } found)
        {
            return Problems.ToResult(new Refusal(RefusalKind.NotFound, "relocation.no-case", $"No relocation case {caseId}.", "caseId"));
        }

        var decision = RelocationDecisions.Arrive(found, RelocationPolicies.Find(version)!, new RecordArrival(caseId, IsoDate.Parse(request.ArrivedOn), request.FamilyMembers, clock.GetUtcNow()));
        return decision.AppendTo(stream, () => Results.Ok(new CareerStreams.Accepted(caseId, decision.Events.Select(e => e.GetType().Name).ToList())));
    }

    [WolverinePost("/relocation-cases/{caseId}/completion", OperationId = "CompleteRelocation")]
    [Tags("Relocation")]
    [Authorize(Roles = Roles.Committee)]
    public static Task<IResult> Complete(Guid caseId, CaseStepRequest request, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        session.DecideAsync<RelocationCase>(caseId, c => RelocationDecisions.Complete(c, new CompleteRelocation(caseId, IsoDate.Parse(request.On), clock.GetUtcNow())), ct);

    /// <summary>A decision that may free a unit: the quota is fetched for writing too, so it is guarded against a concurrent offer.</summary>
    private static async Task<IResult> WithQuotaAsync(Guid caseId, IDocumentSession session, Func<RelocationCase?, HousingQuota?, Decision> decide, CancellationToken ct)
    {
        var caseStream = await session.Events.FetchForWriting<RelocationCase>(caseId, ct);
        if (caseStream.Aggregate is not { } found)
        {
            return Problems.ToResult(new Refusal(RefusalKind.NotFound, "relocation.no-case", $"No relocation case {caseId}.", "caseId"));
        }

        var quotaStream = await session.Events.FetchForWriting<HousingQuota>(RelocationDecisions.QuotaOf(found), ct);
        var decision = decide(found, quotaStream.Aggregate);
        if (decision.Refusal is { } refusal)
        {
            return Problems.ToResult(refusal);
        }

        foreach (var e in decision.Events)
        {
            if (e is IHousingQuotaEvent)
            {
                quotaStream.AppendOne(e);
            }
            else
            {
                caseStream.AppendOne(e);
            }
        }

        return Results.Ok(new CareerStreams.Accepted(caseId, decision.Events.Select(e => e.GetType().Name).ToList()));
    }
}
