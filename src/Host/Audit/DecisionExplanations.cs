using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Merit.Security;
using System.Text.Json;
using System.Text.Json.Nodes;
using JasperFx.Events;
using Marten;
using Merit.Infrastructure;
using Merit.Recruitment;
using Merit.Recruitment.Ranking;
using Wolverine.Http;
using Merit.Localization;
using Microsoft.AspNetCore.Mvc;

namespace Merit.Audit;

/// <summary>A ranking or eligibility decision as an auditor reads it: inputs, rule set, ordered criteria, and each applicant's reason.</summary>
public sealed record DecisionExplanation(
    Guid DecisionId,
    string Decision,
    Guid FormationId,
    string FormationCode,
    string RuleSetVersion,
    IReadOnlyList<string> Rules,
    IReadOnlyList<string> OrderedCriteria,
    long Sequence,
    DateTimeOffset DecidedAt,
    string? DecidedBy,
    object Entries);

/// <summary>Whether re-running a recorded decision from the events alone gives what was recorded.</summary>
/// <param name="ErasedBirthDates">Ranked applicants whose personal data was erased since: their birth date cannot break a tie again (docs/adr/0014).</param>
public sealed record RecomputeReport(Guid DecisionId, string Decision, bool Matches, int Entries, IReadOnlyList<string> Differences, int ErasedBirthDates = 0)
{
    /// <summary>The events the decision was taken on whose stored content no longer hashes to what was recorded: the input that changed.</summary>
    public IReadOnlyList<ChangedInput> ChangedInputs { get; init; } = [];

    /// <summary>Why the decision could not be recomputed (the birth dates it needs cannot be read); answered as a problem, never as a report.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public Deciding.Refusal? Refusal { get; init; }
}

/// <summary>An input event of a decision that changed after it was recorded, named as an auditor looks it up.</summary>
/// <param name="Input">Whose: "round CODE", "formation CODE" or "applicant REGISTRATION-NUMBER" (never personal data).</param>
/// <param name="EventType">The stored event type.</param>
public sealed record ChangedInput(string Input, Guid StreamId, long Version, long? Sequence, string EventType, BreakKind Kind, string Detail);

/// <summary>
/// Explanations and recomputation of the per-formation decisions (SKD cut-off, final result). Recomputation
/// rebuilds every input from the events recorded before the decision and runs the same pure function again.
/// </summary>
public sealed class DecisionExplanations(IDocumentStore store, RoundWideDecisions decisions, AuditVerifier verifier)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    public async Task<DecisionExplanation?> ExplainAsync(Guid decisionId, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var e = await session.Events.LoadAsync(decisionId, ct);
        if (e is null)
        {
            return null;
        }

        var rules = e.Data switch
        {
            SkdCutOffDecided d => RuleSetCatalog.Get(d.RuleSetVersion),
            FinalResultDecided d => RuleSetCatalog.Get(d.RuleSetVersion),
            _ => null,
        };
        return e.Data switch
        {
            SkdCutOffDecided d => new DecisionExplanation(
                e.Id, "skd-cutoff", d.FormationId, d.FormationCode, d.RuleSetVersion,
                [
                    Texts.Current.Say($"threshold for {d.Category.Code()}: {Describe(rules!.ThresholdFor(d.Category)!)} (R09–R11)"),
                    Texts.Current.Say($"quota: {rules.SkbQuotaMultiplier} × allocation {d.Allocation} = {d.Quota} (R13)"),
                    Texts.Current.Say("applicants equal on every criterion at the boundary are all admitted (R13)"),
                ],
                [Texts.Current.Say("SKD total"), .. rules.Skd.CutOffOrder],
                e.Sequence, d.DecidedAt, e.UserName, d.Entries),
            FinalResultDecided d => new DecisionExplanation(
                e.Id, "final", d.FormationId, d.FormationCode, d.RuleSetVersion,
                [
                    rules!.HasStage(RoundStage.Skb)
                        ? Texts.Current.Say($"final = {rules.FinalWeights.Skd} × (SKD / {rules.Skd.Maximum} × 100) + {rules.FinalWeights.Skb} × SKB, compared exactly (R14)")
                        : Texts.Current.Say($"final = the {rules.Skd.Name} total with its certificate bonus (no SKB; thresholds of the rule set, R20, R21)"),
                    Texts.Current.Say($"passers: the top {d.Allocation} by rank (R16); a full tie across the last place is referred to Panselnas"),
                ],
                [Texts.Current.Say("final score"), Texts.Current.Say($"{rules.Skd.Name} total"), .. rules.Skd.CutOffOrder, Texts.Current.Say("GPA"), Texts.Current.Say("older first")],
                e.Sequence, d.DecidedAt, e.UserName, d.Entries),
            _ => null,
        };
    }

    public async Task<RecomputeReport?> RecomputeAsync(Guid decisionId, PersonalData.PersonalDataReader reader, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var recorded = await session.Events.LoadAsync(decisionId, ct);
        if (recorded?.Data is not (SkdCutOffDecided or FinalResultDecided))
        {
            return null;
        }

        var formationId = recorded.StreamId;
        var before = (IEvent e) => e.Sequence < recorded.Sequence;
        var formation = (await session.Events.FetchStreamAsync(formationId, token: ct)).Where(before).Select(e => e.Data).Aggregate((Formation?)null, Formation.Evolve)!;
        var round = (await session.Events.FetchStreamAsync(formation.RoundId, token: ct)).Where(before).Select(e => e.Data).Aggregate((Round?)null, Round.Evolve)!;
        var ids = await session.Query<Application>().Where(a => a.FormationId == formationId).Select(a => a.Id).ToListAsync(ct);
        var applications = new List<Application>();
        foreach (var id in ids)
        {
            var state = (await session.Events.FetchStreamAsync(id, token: ct)).Where(before).Select(e => e.Data).Aggregate((Application?)null, Application.Evolve);
            if (state is not null)
            {
                applications.Add(state);
            }
        }

        object rerun;
        object original;
        string name;
        var erased = 0;
        if (recorded.Data is SkdCutOffDecided cutOff)
        {
            name = "skd-cutoff";
            original = cutOff.Entries;
            rerun = SelectionDecisions.DecideSkdCutOff(round, formation, applications, new DecideSkdCutOff(formationId, cutOff.DecidedAt)).Events.OfType<SkdCutOffDecided>().SingleOrDefault()?.Entries ?? (object)"refused";
        }
        else
        {
            var final = (FinalResultDecided)recorded.Data;
            name = "final";
            original = final.Entries;
            var birthDates = await decisions.BirthDatesAsync(applications, reader, "decision-recompute", ct);
            if (birthDates.Refusal is { } refusal)
            {
                return new RecomputeReport(decisionId, name, false, 0, [Texts.Current.Say(refusal)]) { Refusal = refusal };
            }

            erased = birthDates.Erased;
            rerun = SelectionDecisions.DecideFinal(round, formation, applications, birthDates.ByApplication, new DecideFinalResult(formationId, final.DecidedAt)).Events.OfType<FinalResultDecided>().SingleOrDefault()?.Entries ?? (object)"refused";
        }

        var expected = Entries(original);
        var differences = Differences(expected, rerun is string refused ? null : Entries(rerun));
        var inputs = new Dictionary<Guid, string> { [round.Id] = Texts.Current.Say($"round {round.Code}"), [formationId] = Texts.Current.Say($"formation {formation.Code}") };
        foreach (var application in applications)
        {
            inputs[application.Id] = Texts.Current.Say($"applicant {application.RegistrationNumber}");
        }

        var changed = (await verifier.CheckInputsAsync(inputs.Keys, recorded.Sequence, ct))
            .Select(c => new ChangedInput(inputs[c.Link.StreamId], c.Link.StreamId, c.Link.Version, c.Link.Sequence, c.EventType, c.Link.Kind, c.Link.Detail))
            .ToList();
        return new RecomputeReport(decisionId, name, differences.Count == 0, expected.Count, differences, erased) { ChangedInputs = changed };
    }

    /// <summary>Each applicant's line by application id, its members by name, enums by name.</summary>
    private static Dictionary<Guid, JsonObject> Entries(object entries) =>
        ((System.Collections.IEnumerable)entries).Cast<object>()
            .Select(e => JsonSerializer.SerializeToNode(e, e.GetType(), Json)!.AsObject())
            .ToDictionary(e => e["applicationId"]!.GetValue<Guid>());

    /// <summary>
    /// What moved, in an auditor's terms: per applicant (by registration number, never personal data) each member
    /// whose recorded and recomputed values differ, by name; an applicant on one side only; a refused recomputation.
    /// </summary>
    private static List<string> Differences(Dictionary<Guid, JsonObject> recorded, Dictionary<Guid, JsonObject>? recomputed)
    {
        if (recomputed is null)
        {
            return [Texts.Current.Say("the recomputation is refused by the rules as they stand; the decision was recorded")];
        }

        var differences = new List<string>();
        foreach (var (id, line) in recorded)
        {
            var who = (string?)line["registrationNumber"];
            if (!recomputed.TryGetValue(id, out var again))
            {
                differences.Add(Texts.Current.Say($"applicant {who}: recorded, absent from the recomputation"));
                continue;
            }

            differences.AddRange(line.Select(p => p.Key).Union(again.Select(p => p.Key))
                .Where(member => !JsonNode.DeepEquals(line[member], again[member]))
                .Select(member => Texts.Current.Say($"applicant {who}: {member} recorded {Show(line[member])}, recomputed {Show(again[member])}")));
        }

        differences.AddRange(recomputed.Where(r => !recorded.ContainsKey(r.Key)).Select(r => Texts.Current.Say($"applicant {(string?)r.Value["registrationNumber"]}: recomputed, absent from the record")));
        return differences;
    }

    private static string Show(JsonNode? value) => value is null ? Texts.Current.Say("none") : value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString();

    /// <summary>A threshold's minimums, "total ≥ 311 and TIU ≥ 85", said in the reader's language.</summary>
    private static string Describe(Threshold t) =>
        (t.TotalMinimum is { } total ? new[] { Texts.Current.Say($"total ≥ {total}") } : [])
            .Concat(t.SubtestMinimums.Select(kv => string.Create(CultureInfo.InvariantCulture, $"{kv.Key} ≥ {kv.Value}")))
            .Aggregate((first, next) => Texts.Current.Say($"{first} and {next}"));
}

public static class DecisionExplanationEndpoints
{
    /// <summary>The decisions recorded for a formation (SKD cut-off, final result), with their ids for explanation and recomputation.</summary>
    [WolverineGet("/formations/{formationId}/decisions", OperationId = "ListFormationDecisions")]
    [ProducesResponseType<IReadOnlyList<RecordedDecision>>(StatusCodes.Status200OK)]
    [Tags("Audit")]
    [Authorize(Roles = Roles.CommitteeOrAuditor)]
    public static async Task<IResult> List(Guid formationId, System.Security.Claims.ClaimsPrincipal user, IQuerySession session, CancellationToken ct)
    {
        if (await session.RefuseReadingFormationAsync(user, formationId, ct) is { } outside)
        {
            return outside;
        }

        var events = await session.Events.FetchStreamAsync(formationId, token: ct);
        return events.Count == 0
            ? Results.Problem(Problems.NotFound("formation", formationId))
            : Results.Ok(events.Where(e => e.Data is SkdCutOffDecided or FinalResultDecided)
                .Select(e => new RecordedDecision(e.Id, e.Data is SkdCutOffDecided ? "skd-cutoff" : "final", e.Sequence, e.Timestamp, e.UserName)));
    }

    /// <summary>A decision as an auditor reads it: rule set, rules applied, ordered criteria, and for each applicant why they were in or out.</summary>
    [WolverineGet("/decisions/{decisionId}/explanation", OperationId = "ExplainDecision")]
    [ProducesResponseType<DecisionExplanation>(StatusCodes.Status200OK)]
    [Tags("Audit")]
    [Authorize(Roles = Roles.CommitteeOrAuditor)]
    public static async Task<IResult> Explain(Guid decisionId, System.Security.Claims.ClaimsPrincipal user, IQuerySession session, DecisionExplanations explanations, CancellationToken ct) =>
        await explanations.ExplainAsync(decisionId, ct) is { } found
            ? await session.RefuseReadingFormationAsync(user, found.FormationId, ct) ?? Results.Ok(found)
            : Results.Problem(Problems.NotFound("decision", decisionId));

    /// <summary>Re-run a recorded decision from the events before it and say whether the result matches what was recorded.</summary>
    [WolverinePost("/decisions/{decisionId}/recompute", OperationId = "RecomputeDecision")]
    [ProducesResponseType<RecomputeReport>(StatusCodes.Status200OK)]
    [Tags("Audit")]
    [Authorize(Roles = Roles.Auditor)]
    public static async Task<IResult> Recompute(Guid decisionId, System.Security.Claims.ClaimsPrincipal user, DecisionExplanations explanations, CancellationToken ct) =>
        await explanations.RecomputeAsync(decisionId, PersonalData.PersonalDataReader.Of(user, $"POST /decisions/{decisionId}/recompute"), ct) switch
        {
            null => Results.Problem(Problems.NotFound("decision", decisionId)),
            { Refusal: { } refusal } => Problems.ToResult(refusal),
            var report => Results.Ok(report),
        };
}

/// <summary>A decision recorded on a formation: its event, which decision (<c>skd-cutoff</c> or <c>final</c>), when and by whom.</summary>
public sealed record RecordedDecision(Guid DecisionId, string Decision, long Sequence, DateTimeOffset At, string? By);
