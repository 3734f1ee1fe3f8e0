using System.Security.Claims;
using FluentValidation;
using Marten;
using Merit.Deciding;
using Merit.Identifiers;
using Merit.Infrastructure;
using Merit.Localization;
using Merit.Projections.Career;
using Merit.Security;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;
using Microsoft.AspNetCore.Mvc;

namespace Merit.Career;

/// <summary>Find a civil servant's record by NIP, sent in the body so that it never appears in an address or a log.</summary>
public sealed record LookupRequest(string Nip);

public sealed class LookupRequestValidator : AbstractValidator<LookupRequest>
{
    public LookupRequestValidator() =>
        RuleFor(x => x.Nip).Must(n => Nip.Problem(n) is null).WithMessage(x => Nip.Problem(x.Nip) ?? "").WithErrorCode("R22");
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

/// <summary>What the career slice answers without deciding: records, eligibility, periods, selections, statistics, rule sets.</summary>
public static class CareerQueries
{
    /// <summary>The id of the career record of a NIP, if there is one.</summary>
    [WolverinePost("/civil-servants/lookup", OperationId = "LookupCivilServant")]
    [ProducesResponseType<CareerRecordFound>(StatusCodes.Status200OK)]
    [Tags("Career")]
    [Authorize(Roles = Roles.CommitteeOrAuditor)]
    public static async Task<IResult> LookupCivilServant(LookupRequest request, IQuerySession session, CivilServantIds ids, CancellationToken ct)
    {
        var id = ids.For(request.Nip);
        // The NIP is neither echoed nor named in the answer: it embeds the birth date.
        return await session.LoadAsync<CareerRecord>(id, ct) is null
            ? Problems.ToResult(new Refusal(RefusalKind.NotFound, "not-found", "No career record for this NIP."))
            : Results.Ok(new CareerRecordFound(id));
    }

    /// <summary>A civil servant's career record.</summary>
    [WolverineGet("/civil-servants/{servantId:guid}", OperationId = "GetCareerRecord")]
    [ProducesResponseType<CareerRecord>(StatusCodes.Status200OK)]
    [Tags("Career")]
    [Authorize(Roles = Roles.CommitteeOrAuditor)]
    public static async Task<IResult> GetCareerRecord(Guid servantId, ClaimsPrincipal user, IQuerySession session, CancellationToken ct) =>
        await session.LoadAsync<CareerRecord>(servantId, ct) is { } record
            ? InstansiScope.RefuseReading(user, record) ?? Results.Ok(record)
            : Results.Problem(Problems.NotFound("career record", servantId));

    /// <summary>The career rule sets (promotion regimes, appointment, JPT, talent) with their sources.</summary>
    [WolverineGet("/career/rule-sets", OperationId = "ListCareerRuleSets")]
    [Tags("Career")]
    [Authorize(Roles = Roles.Anyone)]
    public static IEnumerable<object> ListCareerRuleSets() => CareerRuleSets.All.OrderBy(r => r.EffectiveFrom).Cast<object>();

    /// <summary>Whether the civil servant may be promoted on the TMT, with every condition and the regime (R28–R32, R46).</summary>
    [WolverineGet("/civil-servants/{servantId}/promotion-eligibility", OperationId = "GetPromotionEligibility")]
    [ProducesResponseType<PromotionEligibilityView>(StatusCodes.Status200OK)]
    [Tags("Career")]
    [Authorize(Roles = Roles.CommitteeOrAuditor)]
    public static async Task<IResult> GetPromotionEligibility(Guid servantId, string? tmt, ClaimsPrincipal user, IQuerySession session, CancellationToken ct)
    {
        if (!IsoDate.TryParse(tmt, out var date))
        {
            return Problems.ToResult(TmtNotIsoDate);
        }

        if (await session.LoadAsync<CareerRecord>(servantId, ct) is not { } record)
        {
            return Results.Problem(Problems.NotFound("career record", servantId));
        }

        if (InstansiScope.RefuseReading(user, record) is { } outside)
        {
            return outside;
        }

        var lookup = PromotionEligibility.RegimeFor(date);
        if (lookup.Rules is null)
        {
            return Problems.ToResult(lookup.Refusal!);
        }

        var assessment = PromotionEligibility.Assess(record, date, lookup.Rules);

        // Each check's detail in the reader's language; the template and values stay as recorded.
        var said = assessment with { Checks = assessment.Checks.Select(c => c with { Detail = Texts.Current.Say(c.Sentence()) }).ToList() };
        return Results.Ok(new PromotionEligibilityView(assessment.Eligible, said, PromotionEligibility.EarliestTmt(record)));
    }

    /// <summary>The promotion period of a TMT: who is eligible under the regime in force (R28–R32), optionally for one instansi.</summary>
    [WolverineGet("/promotion-periods/{tmt}", OperationId = "GetPromotionPeriod")]
    [ProducesResponseType<PromotionPeriodView>(StatusCodes.Status200OK, "application/json")]
    [Tags("Career")]
    [Authorize(Roles = Roles.CommitteeOrAuditor)]
    public static async Task<IResult> GetPromotionPeriod(string tmt, string? instansiCode, ClaimsPrincipal user, PromotionPeriods periods, CancellationToken ct)
    {
        if (!IsoDate.TryParse(tmt, out var date))
        {
            return Problems.ToResult(TmtNotIsoDate);
        }

        if (InstansiScope.RefuseReadingList(user, instansiCode) is { } outside)
        {
            return outside;
        }

        var (period, refusal) = await periods.ComputeAsync(date, instansiCode, ct);
        return period is null ? Problems.ToResult(refusal!) : Results.Ok(period);
    }

    /// <summary>Promotion throughput and backlog per instansi of the caller's scope (asynchronous read model).</summary>
    [WolverineGet("/promotion-backlog", OperationId = "ListPromotionBacklog")]
    [Tags("Career")]
    [Authorize(Roles = Roles.Analyst + "," + Roles.CommitteeOrAuditor)]
    public static async Task<IReadOnlyList<PromotionBacklog>> ListPromotionBacklog(ClaimsPrincipal user, IQuerySession session, CancellationToken ct) =>
        (await session.Query<PromotionBacklog>().OrderBy(b => b.Id).ToListAsync(ct)).Where(b => InstansiScope.AllowsReading(user, b.Id)).ToList();

    /// <summary>A selection: status, pansel, applicants, scores, the pansel's list and the PPK's pick.</summary>
    [WolverineGet("/jpt-selections/{selectionId}", OperationId = "GetJptSelection")]
    [ProducesResponseType<JptSelection>(StatusCodes.Status200OK)]
    [Tags("Career")]
    [Authorize(Roles = Roles.CommitteeOrAuditor)]
    public static async Task<IResult> GetJptSelection(Guid selectionId, ClaimsPrincipal user, IQuerySession session, CancellationToken ct) =>
        await session.LoadAsync<JptSelection>(selectionId, ct) is { } selection
            ? InstansiScope.RefuseReading(user, selection) ?? Results.Ok(selection)
            : Results.Problem(Problems.NotFound("JPT selection", selectionId));

    /// <summary>JPT statistics (asynchronous read model): applicants per vacancy, extensions, share of appointments that were not rank 1.</summary>
    [WolverineGet("/jpt-statistics", OperationId = "GetJptStatistics")]
    [Tags("Career")]
    [Authorize(Roles = Roles.Analyst + "," + Roles.Auditor + "," + Roles.Admin)]
    public static async Task<JptStatisticsView> GetJptStatistics(string? instansiCode, IQuerySession session, CancellationToken ct)
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

    /// <summary>The 9-box numbering in force for an instansi of the token's scope: its own, or the default of the talent rule set.</summary>
    [WolverineGet("/talent-matrices/{instansiCode}", OperationId = "GetTalentMatrix")]
    [ProducesResponseType<TalentMatrixView>(StatusCodes.Status200OK)]
    [Tags("Career")]
    [Authorize(Roles = Roles.CommitteeOrAuditor)]
    public static async Task<IResult> GetTalentMatrix(string instansiCode, ClaimsPrincipal user, IQuerySession session, CancellationToken ct)
    {
        if (InstansiScope.RefuseReadingList(user, instansiCode) is { } outside)
        {
            return outside;
        }

        if (await session.LoadAsync<InstansiTalentMatrix>(TalentDecisions.MatrixIdFor(instansiCode), ct) is { } own)
        {
            return Results.Ok(new TalentMatrixView(instansiCode, own.Version, own.Matrix));
        }

        var rules = CareerRuleSets.Talent.RuleSets[^1];
        return Results.Ok(new TalentMatrixView(instansiCode, rules.Version, rules.DefaultMatrix));
    }

    private static readonly Refusal TmtNotIsoDate = new(RefusalKind.Invalid, "validation", "tmt must be an ISO date (yyyy-MM-dd).", "tmt");
}

/// <summary>The career record a NIP leads to, named by its id only (the NIP embeds the birth date).</summary>
public sealed record CareerRecordFound(Guid Id);

/// <summary>Whether the civil servant may be promoted on the TMT asked, every condition, and the earliest TMT possible.</summary>
public sealed record PromotionEligibilityView(bool Eligible, PromotionAssessment Assessment, DateOnly? EarliestTmt);

/// <summary>The 9-box numbering in force for an instansi and its version.</summary>
public sealed record TalentMatrixView(string InstansiCode, string Version, TalentMatrix Matrix);
