using System.Globalization;
using System.Text;
using Marten;
using Merit.Deciding;
using Merit.Exports;
using Merit.Infrastructure;
using Merit.Projections.Recruitment;
using Merit.Recruitment.Ranking;
using Npgsql;

namespace Merit.Recruitment.Files;

/// <summary>The lists a committee publishes (pengumuman), each named as in the CLI and the HTTP path.</summary>
public enum PublishedList
{
    /// <summary>MS/TMS as announced after the administrative selection, before any appeal.</summary>
    Administrative,
    /// <summary>MS/TMS after the appeals (sanggah) and re-announcements.</summary>
    AdministrativeAfterAppeals,
    /// <summary>Every MS applicant's SKD (or competence test) scores with P/L, P, TL, TH or DIS.</summary>
    SkdResults,
    /// <summary>Those the SKD cut-off admitted to the SKB (R13).</summary>
    SkbAdmission,
    /// <summary>Every applicant of every formation whose final result is decided, with the status as it stands (R16, R17, R18).</summary>
    Final,
}

public static class PublishedLists
{
    private static readonly Dictionary<string, PublishedList> ByName = Enum.GetValues<PublishedList>().ToDictionary(Name, StringComparer.Ordinal);

    /// <summary>administrative, administrative-after-appeals, skd-results, skb-admission, final.</summary>
    public static string Name(this PublishedList list) => list switch
    {
        PublishedList.Administrative => "administrative",
        PublishedList.AdministrativeAfterAppeals => "administrative-after-appeals",
        PublishedList.SkdResults => "skd-results",
        PublishedList.SkbAdmission => "skb-admission",
        _ => "final",
    };

    public static IEnumerable<string> Names => ByName.Keys;

    public static bool TryParse(string? name, out PublishedList list) => ByName.TryGetValue(name ?? "", out list);
}

/// <summary>
/// The published lists as CSV: UTF-8, comma, "\n", invariant numbers, formations in code order, every line naming the
/// rule set version its decisions applied. Written from the <see cref="ApplicantCase"/> documents, each first checked
/// against its stream: a case whose document does not reflect every event of its application's stream, or an
/// application without one, refuses the export instead of publishing a stale line (docs/adr/0041). Only what the
/// regulation publishes: registration numbers, scores and codes; never a name, NIK or birth date.
/// </summary>
public sealed class RecruitmentExports(IDocumentStore store, ReadReplica replica, Audit.PublishedListVerifier verifier)
{
    public const string AdministrativeHeader = "formation_code,registration_number,result,reason,rule_set_version";
    public const string AdministrativeAfterAppealsHeader = "formation_code,registration_number,result,appeal,reason,rule_set_version";
    public const string SkbAdmissionHeader = "formation_code,rank,registration_number,twk,tiu,tkp,total,rule_set_version";
    public const string FinalHeader = "formation_code,rank,registration_number,skd_total,skb_score,final_score,status,sub_code,placed_in,rule_set_version";

    /// <summary>Writes <paramref name="list"/> of the round; a refusal (unknown round, a list the rule set has not, cases behind their streams) writes nothing.</summary>
    public async Task<Refusal?> WriteAsync(string roundCode, PublishedList list, TextWriter writer, CancellationToken ct)
    {
        // The check against the streams, the documents and their verification read in one transaction (on the standby
        // when there is one): one state of the database, however the primary moves meanwhile.
        await using var read = await replica.BeginAsync(ct);
        var session = read.Session;
        if (await RecruitmentImports.RoundAsync(session, roundCode, ct) is not { } round)
        {
            return new Refusal(RefusalKind.NotFound, "round.unknown", $"No round {roundCode}.", "round");
        }

        var rules = round.Rules();
        if (list == PublishedList.SkbAdmission && !rules.HasStage(RoundStage.Skb))
        {
            return new Refusal(RefusalKind.Rule, "export.no-skb", $"Rule set {rules.Version} has no SKB stage: round {round.Code} has no SKB admission list.", "list");
        }

        if (await BehindAsync(read, round.Id, ct) is { } behind)
        {
            return behind;
        }

        // A list of a decision not yet taken would publish its header alone, which reads as "nobody": refuse it.
        var formations = (await session.Query<Formation>().Where(f => f.RoundId == round.Id).ToListAsync(ct)).ToDictionary(f => f.Id);
        if (list == PublishedList.SkbAdmission && !formations.Values.Any(f => f.CutOffDecided))
        {
            return new Refusal(RefusalKind.WrongStage, "export.not-decided", $"Round {round.Code} has no SKD cut-off decided yet: there is no SKB admission list to publish.", "list");
        }

        if (list == PublishedList.Final && !formations.Values.Any(f => f.FinalDecided || f.FinalReopened))
        {
            return new Refusal(RefusalKind.WrongStage, "export.not-decided", $"Round {round.Code} has no final result decided yet: there is no final list to publish.", "list");
        }

        // The round's results read model must agree with its events before any list leaves Merit; a document changed
        // by hand refuses the export, naming the formation (docs/adr/0044).
        var published = await session.Query<FormationResults>().Where(r => r.RoundId == round.Id).ToListAsync(ct);
        await verifier.EnsureMatchesEventsAsync(session, round.Code, round.Id, published.ToList(), ct);

        var cases = await session.Query<ApplicantCase>().Where(c => c.RoundId == round.Id).ToListAsync(ct);
        var builder = new StringBuilder().Append(Header(list, rules)).Append('\n');
        foreach (var formation in cases.GroupBy(c => c.FormationId).OrderBy(g => formations[g.Key].Code, StringComparer.Ordinal))
        {
            foreach (var line in Lines(list, rules, formations, formation))
            {
                builder.Append(line).Append('\n');
            }
        }

        await writer.WriteAsync(builder, ct);
        await writer.FlushAsync(ct);
        return null;
    }

    private static string Header(PublishedList list, RuleSet rules) => list switch
    {
        PublishedList.Administrative => AdministrativeHeader,
        PublishedList.AdministrativeAfterAppeals => AdministrativeAfterAppealsHeader,
        PublishedList.SkdResults => $"formation_code,rank,registration_number,{string.Join(',', rules.Skd.Subtests.Select(s => s.FileColumn))},total,status,rule_set_version",
        PublishedList.SkbAdmission => SkbAdmissionHeader,
        _ => FinalHeader,
    };

    private static IEnumerable<string> Lines(PublishedList list, RuleSet rules, Dictionary<Guid, Formation> formations, IEnumerable<ApplicantCase> cases)
    {
        var all = cases.ToList();
        var code = formations[all[0].FormationId].Code;
        switch (list)
        {
            case PublishedList.Administrative:
                return all.Where(c => c.AdministrativeAnnounced is not null)
                    .OrderBy(c => c.RegistrationNumber, StringComparer.Ordinal)
                    .Select(c => Line(code, c.RegistrationNumber, c.AdministrativeAnnounced.ToString(), c.AdministrativeAnnounced == AdministrativeResult.TMS ? c.AdministrativeReason : "", rules.Version));
            case PublishedList.AdministrativeAfterAppeals:
                return all.Where(c => c.Administrative is not null)
                    .OrderBy(c => c.RegistrationNumber, StringComparer.Ordinal)
                    .Select(c => Line(code, c.RegistrationNumber, c.Administrative.ToString(), AppealOutcome(c), c.Administrative == AdministrativeResult.TMS ? c.AdministrativeReason : "", rules.Version));
            case PublishedList.SkdResults:
                return all.Where(c => c.Administrative == AdministrativeResult.MS)
                    .OrderBy(c => c.CutOff?.Rank ?? int.MaxValue)
                    .ThenBy(c => c.RegistrationNumber, StringComparer.Ordinal)
                    .Select(c => Line([code, Int(c.CutOff?.Rank), c.RegistrationNumber, .. Scores(rules, c), Int(Total(c)), SkdStatus(c), rules.Version]));
            case PublishedList.SkbAdmission:
                return all.Where(c => c.CutOff?.Outcome is CutOffOutcome.Admitted or CutOffOutcome.AdmittedOnTie)
                    .OrderBy(c => c.CutOff!.Rank)
                    .ThenBy(c => c.RegistrationNumber, StringComparer.Ordinal)
                    .Select(c => Line([code, Int(c.CutOff!.Rank), c.RegistrationNumber, .. Scores(rules, c), Int(Total(c)), rules.Version]));
            default:
                // Published once the formation's final result is decided: then every applicant of it has a status.
                return all.Any(c => c.Final is null) ? []
                    : all.OrderBy(c => c.Final!.Rank ?? int.MaxValue)
                        .ThenBy(c => c.RegistrationNumber, StringComparer.Ordinal)
                        .Select(c => Line(
                            code,
                            Int(c.Final!.Rank),
                            c.RegistrationNumber,
                            Int(Total(c)),
                            c.Skb?.Score?.ToString("0.00", CultureInfo.InvariantCulture),
                            c.Final.FinalScore?.ToString("0.000", CultureInfo.InvariantCulture),
                            FinalCode(c),
                            c.Optimisation is { State: "Placed" } placed && c.Withdrawal is null && c.Disqualification is null ? placed.SubCode : null,
                            c.Optimisation is { State: "Placed" } target && c.Withdrawal is null && c.Disqualification is null ? formations[target.TargetFormationId].Code : null,
                            rules.Version));
        }
    }

    /// <summary>The status as it stands: DIS and APS over a placement, P/L-2 over the formation's own result.</summary>
    private static string FinalCode(ApplicantCase c) =>
        c.Disqualification is not null ? FinalStatus.DIS.Code()
        : c.Withdrawal is not null ? FinalStatus.APS.Code()
        : c.Optimisation is { State: "Placed" } ? FinalStatus.PL2.Code()
        : c.Final!.Code;

    /// <summary>P/L admitted to the SKB, P met the threshold beyond the quota or where no cut-off follows, TL below it, TH absent, DIS.</summary>
    private static string SkdStatus(ApplicantCase c) =>
        c.Disqualification is not null ? FinalStatus.DIS.Code()
        : c.SkdAbsent ? FinalStatus.TH.Code()
        : c.CutOff?.Outcome is CutOffOutcome.Admitted or CutOffOutcome.AdmittedOnTie ? FinalStatus.PL.Code()
        : ThresholdMet(c) is not { } met ? ""
        : met ? FinalStatus.P.Code() : FinalStatus.TL.Code();

    private static bool? ThresholdMet(ApplicantCase c) => c.Skd?.ThresholdMet ?? c.Competence?.ThresholdMet;

    private static int? Total(ApplicantCase c) => c.Skd?.Total ?? c.Competence?.Total;

    private static IEnumerable<string?> Scores(RuleSet rules, ApplicantCase c) => rules.Skd.Subtests.Select(s => Int(
        c.Skd is { } skd ? s.Code switch { "TWK" => skd.Twk, "TIU" => skd.Tiu, "TKP" => skd.Tkp, _ => null }
        : c.Competence?.Components.FirstOrDefault(x => x.Code == s.Code)?.Score));

    private static string AppealOutcome(ApplicantCase c) =>
        c.Appeals.FirstOrDefault(a => a.Window == AppealWindow.Administrative) switch
        {
            null => "",
            { Accepted: true } => "accepted",
            { Accepted: false } => "rejected",
            _ => "filed",
        };

    /// <summary>
    /// The check every list makes before it is written: each application of the round has its case document, and the
    /// document's version is its stream's. A refusal names how many are not.
    /// </summary>
    private async Task<Refusal?> BehindAsync(ReplicaRead read, Guid roundId, CancellationToken ct)
    {
        var applications = store.Options.FindOrResolveDocumentType(typeof(Application)).TableName.QualifiedName;
        var cases = store.Options.FindOrResolveDocumentType(typeof(ApplicantCase)).TableName.QualifiedName;
        var streams = $"{store.Options.Events.DatabaseSchemaName}.mt_streams";
        var connection = await read.ConnectionAsync(ct);

        // A count over every application of the round, answered only when the whole join is done: at national size
        // (2.85 million) longer than Npgsql's 30 s default, so no command timeout; the export's cancellation stops it.
        await using var command = new NpgsqlCommand(
            $"select count(*) from {applications} a join {streams} s on s.id = a.id left join {cases} c on c.id = a.id " +
            "where a.round_id = $1 and (c.id is null or (c.data ->> 'Version')::bigint <> s.version)",
            connection)
        {
            CommandTimeout = 0,
        };
        command.Parameters.Add(new NpgsqlParameter { Value = roundId });
        var behind = (long)(await command.ExecuteScalarAsync(ct))!;
        return behind == 0
            ? null
            : new Refusal(RefusalKind.Conflict, "export.cases-behind-events", $"{behind} applicant case(s) do not reflect every event of their stream; nothing was written. Rebuild the ApplicantCase projection (merit projections rebuild) and export again.");
    }

    private static string? Int(int? value) => value?.ToString(CultureInfo.InvariantCulture);

    private static string Line(params string?[] fields) => string.Join(',', fields.Select(Field));

    private static string Field(string? value) => Csv.Field(value);
}
