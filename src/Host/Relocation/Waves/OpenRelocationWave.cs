using FluentValidation;
using Marten;
using Merit.Career;
using Merit.Infrastructure;
using Merit.Security;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;
using Microsoft.AspNetCore.Mvc;

namespace Merit.Relocation;

/// <summary>One instansi of a wave: its priority eselon-I unit codes and its housing units.</summary>
public sealed record WaveInstansiRequest(string InstansiCode, IReadOnlyList<string> Units, int HousingUnits);

/// <summary>A wave (tahap) of a relocation programme: code, number, start date, screening policy version, and its instansi.</summary>
public sealed record OpenWaveRequest(string Programme, string Code, int Number, string StartsOn, string PolicyVersion, IReadOnlyList<WaveInstansiRequest> Instansi);

public sealed class OpenWaveRequestValidator : AbstractValidator<OpenWaveRequest>
{
    public OpenWaveRequestValidator()
    {
        RuleFor(x => x.Programme).NotEmpty().MaximumLength(40);
        RuleFor(x => x.Code).NotEmpty().MaximumLength(40).Matches(InputPatterns.Code()).WithMessage("Code must be 1–40 letters, digits, '.', '_' or '-'.");
        RuleFor(x => x.Number).InclusiveBetween(1, 100);
        RuleFor(x => x.StartsOn).IsIsoDate();
        RuleFor(x => x.PolicyVersion).NotEmpty().MaximumLength(40);
        RuleFor(x => x.Instansi).NotEmpty().Must(i => i.Count <= 200).WithMessage("At most 200 instansi per wave.");
        RuleForEach(x => x.Instansi).ChildRules(i =>
        {
            i.RuleFor(x => x.InstansiCode).NotEmpty().MaximumLength(42);
            i.RuleFor(x => x.Units).NotEmpty().Must(u => u.Count <= 500).WithMessage("At most 500 units per instansi.");
            i.RuleForEach(x => x.Units).NotEmpty().MaximumLength(60);
            i.RuleFor(x => x.HousingUnits).InclusiveBetween(0, 100_000);
        });
    }
}

/// <summary>A wave opened: its id, the screening policy it applies, and the housing quota allotted to each instansi.</summary>
public sealed record WaveOpened(Guid Id, string PolicyVersion, IReadOnlyList<WaveQuota> Quotas);

/// <summary>One instansi's housing quota in a wave.</summary>
public sealed record WaveQuota(Guid QuotaId, string InstansiCode, int Units);

public static class OpenRelocationWaveEndpoint
{
    /// <summary>Open a wave under a policy version; a housing quota is allotted to each of its instansi.</summary>
    [WolverinePost("/relocation-waves", OperationId = "OpenRelocationWave")]
    [ProducesResponseType<WaveOpened>(StatusCodes.Status201Created)]
    [Tags("Relocation")]
    [Authorize(Roles = Roles.Admin)]
    public static Task<IResult> Post(OpenWaveRequest request, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var id = RelocationWave.IdFor(request.Code);
        var command = new OpenWave(
            request.Programme, request.Code, request.Number, IsoDate.Parse(request.StartsOn), request.PolicyVersion,
            request.Instansi.Select(i => new WaveInstansi(i.InstansiCode, i.Units, i.HousingUnits)).ToList(), clock.GetUtcNow());
        return session.DecideAsync<RelocationWave>(id, wave => RelocationDecisions.OpenWave(wave, RelocationPolicies.Find(request.PolicyVersion), command), d =>
        {
            var quotas = d.Events.OfType<HousingQuotaAllotted>().Select(q => new WaveQuota(q.QuotaId, q.InstansiCode, q.Units)).ToList();
            return Results.Created($"/relocation-waves/{id}", new WaveOpened(id, request.PolicyVersion, quotas));
        }, ct);
    }
}
