using System.Security.Claims;
using Merit.Localization;
using FluentValidation;
using Marten;
using Merit.Career;
using Merit.Deciding;
using Merit.Infrastructure;
using Merit.Security;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;
using Microsoft.AspNetCore.Mvc;

namespace Merit.Relocation;

/// <summary>
/// One nomination: the career record's id (from <c>POST /civil-servants/lookup</c>), the eselon-I unit, the
/// nomination date, the BKN assessment (score 0–100 and date, if any), marital status (Unmarried, Married), and
/// the retirement date (BUP) from the instansi's records, read for the screening and not stored.
/// </summary>
public sealed record NominationRequest(Guid ServantId, string UnitCode, string NominatedOn, decimal? AssessmentScore, string? AssessedOn, string MaritalStatus, string RetirementDate);

/// <summary>An instansi's nominations for a wave, decided together: one refused nomination refuses the list.</summary>
public sealed record NominateRequest(IReadOnlyList<NominationRequest> Nominations);

public sealed class NominateRequestValidator : AbstractValidator<NominateRequest>
{
    // Small transactions: the daemon skips a sequence gap held for more than a few seconds by an append that has
    // reserved its numbers but not yet begun writing, and a large batch's inline projections take that long here.
    public const int MaximumNominations = 500;

    public NominateRequestValidator()
    {
        RuleFor(x => x.Nominations).NotEmpty().Must(n => n.Count <= MaximumNominations).WithMessage(_ => Texts.Current.Say($"At most {MaximumNominations:N0} nominations per request."));
        RuleForEach(x => x.Nominations).ChildRules(n =>
        {
            n.RuleFor(x => x.ServantId).NotEmpty();
            n.RuleFor(x => x.UnitCode).NotEmpty().MaximumLength(60);
            n.RuleFor(x => x.NominatedOn).IsIsoDate();
            n.RuleFor(x => x.AssessmentScore).InclusiveBetween(0m, 100m).PrecisionScale(5, 2, ignoreTrailingZeros: true);
            n.RuleFor(x => x.AssessedOn).IsOptionalIsoDate().NotNull().When(x => x.AssessmentScore is not null).WithMessage("An assessment score comes with its date.");
            n.RuleFor(x => x.MaritalStatus).IsName<NominationRequest, MaritalStatus>();
            n.RuleFor(x => x.RetirementDate).IsIsoDate();
        });
    }
}

/// <summary>One nomination's outcome: the case and whether the screening found it eligible.</summary>
public sealed record NominationOutcome(Guid ServantId, Guid CaseId, bool Eligible);

public sealed record NominationsAccepted(Guid WaveId, string PolicyVersion, int Nominated, int Eligible, IReadOnlyList<NominationOutcome> Cases);

public static class NominateForRelocationEndpoint
{
    /// <summary>
    /// Nominate civil servants for a wave; each is screened at once under the wave's policy (every gate's result).
    /// The whole list is decided first: one refusal (unknown record, instansi outside the wave, already nominated)
    /// refuses the list, naming the nomination, and nothing is recorded.
    /// </summary>
    [WolverinePost("/relocation-waves/{waveId}/nominations", OperationId = "NominateForRelocation")]
    [ProducesResponseType<NominationsAccepted>(StatusCodes.Status200OK)]
    [Tags("Relocation")]
    [Authorize(Roles = Roles.Committee)]
    public static async Task<IResult> Post(Guid waveId, NominateRequest request, ClaimsPrincipal user, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        if (await session.LoadAsync<RelocationWave>(waveId, ct) is not { } wave)
        {
            return Problems.ToResult(CommandPath.NotFound("relocation wave", waveId));
        }

        if (request.Nominations.GroupBy(n => n.ServantId).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            return Problems.ToResult(new Refusal(RefusalKind.Invalid, "relocation.nominated-twice", $"Civil servant {twice.Key} is listed more than once.", "nominations"));
        }

        var policy = RelocationPolicies.Find(wave.PolicyVersion)!;
        var servants = request.Nominations.Select(n => n.ServantId).ToArray();
        var records = (await session.LoadManyAsync<CareerRecord>(ct, servants)).ToDictionary(r => r.Id);
        var existing = (await session.LoadManyAsync<RelocationCase>(ct, servants.Select(s => RelocationCase.IdFor(waveId, s)).ToArray())).ToDictionary(c => c.ServantId);
        var quotas = (await session.LoadManyAsync<HousingQuota>(ct, wave.Instansi.Select(i => HousingQuota.IdFor(waveId, i.InstansiCode)).ToArray())).ToDictionary(q => q.InstansiCode, StringComparer.Ordinal);
        var now = clock.GetUtcNow();
        var decisions = new List<Decision>(request.Nominations.Count);
        for (var i = 0; i < request.Nominations.Count; i++)
        {
            var n = request.Nominations[i];
            var record = records.GetValueOrDefault(n.ServantId);
            var facts = new ScreeningFacts(
                n.UnitCode, n.AssessmentScore is { } score ? new AssessmentResult(score, IsoDate.Parse(n.AssessedOn!)) : null, CareerCodes.Parse<MaritalStatus>(n.MaritalStatus), IsoDate.Parse(n.RetirementDate));
            // A servant of an instansi outside the caller's scope is refused like any other nomination of the list.
            var decision = record is not null && InstansiScope.Check(user, record.InstansiCode) is { } outside ? outside : RelocationDecisions.Nominate(
                wave, policy, record is null ? null : quotas.GetValueOrDefault(record.InstansiCode), existing.GetValueOrDefault(n.ServantId), record, new Nominate(waveId, n.ServantId, IsoDate.Parse(n.NominatedOn), facts, now));
            if (decision.Refusal is { } refusal)
            {
                return Problems.ToResult(refusal with { Text = Wording.Of($"Nomination {i + 1}: {refusal.Text}"), Field = $"nominations[{i}].{refusal.Field}" });
            }

            decisions.Add(decision);
        }

        // Each nomination starts its case's stream: a concurrent nomination of the same civil servant collides (409).
        var outcomes = new List<NominationOutcome>(decisions.Count);
        foreach (var decision in decisions)
        {
            session.AppendRouted(decision);
            var screened = decision.Events.OfType<RelocationScreened>().Single();
            outcomes.Add(new NominationOutcome(decision.Events.OfType<RelocationNominated>().Single().ServantId, screened.CaseId, screened.Eligible));
        }

        return Results.Ok(new NominationsAccepted(waveId, policy.Version, outcomes.Count, outcomes.Count(o => o.Eligible), outcomes));
    }
}
