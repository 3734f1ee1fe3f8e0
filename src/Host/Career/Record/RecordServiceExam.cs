using System.Security.Claims;
using FluentValidation;
using Marten;
using Merit.Infrastructure;
using Merit.Security;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;
using Microsoft.AspNetCore.Mvc;

namespace Merit.Career;

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

public static class RecordServiceExamEndpoint
{
    /// <summary>Record an ujian dinas result or an exemption from it (R30).</summary>
    [WolverinePost("/civil-servants/{servantId}/service-exams", OperationId = "RecordServiceExam")]
    [ProducesResponseType<CommandPath.Appended>(StatusCodes.Status200OK)]
    [Tags("Career")]
    [Authorize(Roles = Roles.Committee)]
    public static Task<IResult> Post(Guid servantId, RecordServiceExamRequest request, ClaimsPrincipal user, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var level = CareerCodes.Parse<ServiceExamLevel>(request.Level);
        var on = IsoDate.Parse(request.On);
        return session.DecideAsync<CareerRecord>(user, servantId, r => request.ExemptionReason is { Length: > 0 } reason
            ? CareerDecisions.GrantServiceExamExemption(r, new GrantServiceExamExemption(servantId, level, reason, on, clock.GetUtcNow()))
            : CareerDecisions.RecordServiceExam(r, new RecordServiceExam(servantId, level, request.Passed, on, clock.GetUtcNow())), ct);
    }
}
