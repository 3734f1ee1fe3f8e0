using System.Globalization;
using Merit.Recruitment.Ranking;

namespace Merit.Recruitment.Announcements;

/// <summary>The event types an announcement's list is made of: those recorded on application streams and on formation streams.</summary>
public sealed record AnnouncementSources(IReadOnlyList<Type> ApplicationEvents, IReadOnlyList<Type> FormationEvents);

/// <summary>
/// The lists announcements publish, built from the recorded decision events of one instansi's formations and
/// applications: every line comes from a decision, and each list names the decisions it comes from. Pure: the same
/// events give the same list.
/// </summary>
public static class AnnouncementLists
{
    private const string Registration = "column.registration";
    private const string Name = "column.name";

    /// <summary>What to read for a kind. The final list also reads the optimisation placements of its own applicants (<see cref="PlacedByOptimisation"/>).</summary>
    public static AnnouncementSources SourcesOf(AnnouncementKind kind) => kind switch
    {
        AnnouncementKind.Administrative => new([typeof(AdministrativeVerificationRecorded)], []),
        AnnouncementKind.AdministrativeAfterAppeal => new([typeof(AdministrativeVerificationRecorded), typeof(AppealFiled), typeof(AppealAnswered), typeof(AdministrativeResultReannounced)], []),
        AnnouncementKind.SkdResult => new([typeof(SkdResultRecorded), typeof(CompetenceResultRecorded), typeof(SkdCertificateReused), typeof(SkdAbsenceRecorded)], []),
        AnnouncementKind.SkbAdmission => new([], [typeof(SkdCutOffDecided)]),
        _ => new([typeof(PlacedByOptimisation)], [typeof(FinalResultDecided), typeof(VacancyFilledByOptimisation), typeof(PlaceVacatedByWithdrawal)]),
    };

    /// <param name="formations">The instansi's formations in the round.</param>
    /// <param name="applications">The applications of those formations, and any placed into them by optimisation.</param>
    /// <param name="formationsById">Every formation an optimisation placement may come from (the round's).</param>
    /// <param name="recorded">The events of <see cref="SourcesOf"/> on those streams (others are passed over), in sequence order.</param>
    public static AnnouncementList Build(
        AnnouncementKind kind,
        Round round,
        string instansiCode,
        IReadOnlyList<Formation> formations,
        IReadOnlyList<Application> applications,
        IReadOnlyDictionary<Guid, Formation> formationsById,
        IReadOnlyList<RecordedDecision> recorded)
    {
        ArgumentNullException.ThrowIfNull(round);
        ArgumentNullException.ThrowIfNull(formations);
        ArgumentNullException.ThrowIfNull(applications);
        ArgumentNullException.ThrowIfNull(recorded);
        var ordered = formations.Where(f => f.RoundId == round.Id && string.Equals(f.InstansiCode, instansiCode, StringComparison.Ordinal))
            .OrderBy(f => f.Code, StringComparer.Ordinal).ToList();
        var context = new Context(round, ordered, applications.ToDictionary(a => a.Id), formationsById, recorded.OrderBy(r => r.Sequence).ToList());
        var (columns, rows, used, pending) = kind switch
        {
            AnnouncementKind.Administrative => Administrative(context, afterAppeal: false),
            AnnouncementKind.AdministrativeAfterAppeal => Administrative(context, afterAppeal: true),
            AnnouncementKind.SkdResult => SkdResults(context),
            AnnouncementKind.SkbAdmission => SkbAdmission(context),
            _ => Final(context),
        };

        return new AnnouncementList(
            kind,
            round.Id,
            round.Code,
            round.Name,
            instansiCode,
            round.RuleSetVersion,
            columns,
            ordered.Select(f => new AnnouncedFormation(f.Code, f.Position, f.Location, f.Category, f.Allocation)).ToList(),
            rows,
            used.OrderBy(r => r.Sequence).Select(r => new DecisionReference(r.EventId, r.Sequence, r.Hash, r.At)).ToList(),
            pending);
    }

    private sealed record Context(
        Round Round,
        IReadOnlyList<Formation> Formations,
        IReadOnlyDictionary<Guid, Application> Applications,
        IReadOnlyDictionary<Guid, Formation> FormationsById,
        IReadOnlyList<RecordedDecision> Recorded)
    {
        public IEnumerable<(Formation Formation, Application Application)> ApplicationsByFormation()
        {
            var byFormation = Applications.Values.ToLookup(a => a.FormationId);
            return Formations.SelectMany(f => byFormation[f.Id].OrderBy(a => a.RegistrationNumber, StringComparer.Ordinal).Select(a => (f, a)));
        }

        public ILookup<Guid, RecordedDecision> ByApplication { get; } =
            Recorded.Where(r => r.Data is IApplicationEvent).ToLookup(r => ((IApplicationEvent)r.Data).ApplicationId);

        public ILookup<Guid, RecordedDecision> ByFormation { get; } =
            Recorded.Where(r => r.Data is IFormationEvent).ToLookup(r => ((IFormationEvent)r.Data).FormationId);
    }

    private sealed record Built(List<AnnouncementColumn> Columns, List<AnnouncementRow> Rows, List<RecordedDecision> Used, List<string> Pending);

    private static Built Administrative(Context context, bool afterAppeal)
    {
        var columns = new List<AnnouncementColumn> { new(Registration, ColumnKind.Text), new(Name, ColumnKind.Name), new("column.result", ColumnKind.Code), new("column.reason", ColumnKind.Text) };
        if (afterAppeal)
        {
            columns.Add(new("column.note", ColumnKind.Note));
        }

        var rows = new List<AnnouncementRow>();
        var used = new List<RecordedDecision>();
        var pending = new List<string>();
        foreach (var (formation, application) in context.ApplicationsByFormation())
        {
            var events = context.ByApplication[application.Id].ToList();
            var verified = events.FirstOrDefault(e => e.Data is AdministrativeVerificationRecorded);
            if (verified?.Data is not AdministrativeVerificationRecorded first)
            {
                pending.Add($"application {application.RegistrationNumber} is not verified");
                continue;
            }

            used.Add(verified);
            var result = first.Result;
            var reason = first.Reason;
            var note = "";
            if (afterAppeal)
            {
                var filed = events.LastOrDefault(e => e.Data is AppealFiled { Window: AppealWindow.Administrative });
                var answered = events.LastOrDefault(e => e.Data is AppealAnswered { Window: AppealWindow.Administrative });
                var reannounced = events.LastOrDefault(e => e.Data is AdministrativeResultReannounced);
                if (filed is not null && answered is null)
                {
                    pending.Add($"the appeal of application {application.RegistrationNumber} is not answered");
                    continue;
                }

                if (answered?.Data is AppealAnswered answer)
                {
                    used.Add(answered);
                    if (answer.Accepted && reannounced is null)
                    {
                        pending.Add($"the accepted appeal of application {application.RegistrationNumber} is not re-announced");
                        continue;
                    }

                    note = answer.Accepted ? "note.appeal-accepted" : "note.appeal-rejected";
                }

                if (reannounced?.Data is AdministrativeResultReannounced again)
                {
                    used.Add(reannounced);
                    if (again.Result != result)
                    {
                        note = $"note.result-changed|{result}|{again.Result}";
                        reason = again.Result == AdministrativeResult.MS ? "" : reason;
                    }

                    result = again.Result;
                }
            }

            var cells = new List<string> { application.RegistrationNumber, "", result.ToString(), result == AdministrativeResult.TMS ? reason : "" };
            if (afterAppeal)
            {
                cells.Add(note);
            }

            rows.Add(new AnnouncementRow(formation.Code, application.PersonId, cells));
        }

        return new Built(columns, rows, used, pending);
    }

    /// <summary>Every applicant MS after the appeals: scores by the rule set's components, P (threshold met), TL, or TH (absent, or no result once the stage is over).</summary>
    private static Built SkdResults(Context context)
    {
        var subtests = context.Round.Rules().Skd.Subtests.Select(s => s.Code).ToList();
        var columns = new List<AnnouncementColumn> { new(Registration, ColumnKind.Text), new(Name, ColumnKind.Name) };
        columns.AddRange(subtests.Select(code => new AnnouncementColumn("subtest:" + code, ColumnKind.Number)));
        columns.AddRange([new("column.total", ColumnKind.Number), new("column.status", ColumnKind.Code), new("column.note", ColumnKind.Note)]);
        var rows = new List<AnnouncementRow>();
        var used = new List<RecordedDecision>();
        foreach (var (formation, application) in context.ApplicationsByFormation().Where(p => p.Application.Administrative == AdministrativeResult.MS))
        {
            var result = context.ByApplication[application.Id].LastOrDefault(e => e.Data is SkdResultRecorded or CompetenceResultRecorded or SkdCertificateReused or SkdAbsenceRecorded);
            var cells = new List<string> { application.RegistrationNumber, "" };
            (IReadOnlyDictionary<string, int>? Scores, int Total, bool Met, string Note) outcome = result?.Data switch
            {
                SkdResultRecorded s => (new Dictionary<string, int> { ["TWK"] = s.Twk, ["TIU"] = s.Tiu, ["TKP"] = s.Tkp }, s.Total, s.ThresholdMet, ""),
                SkdCertificateReused c => (new Dictionary<string, int> { ["TWK"] = c.Twk, ["TIU"] = c.Tiu, ["TKP"] = c.Tkp }, c.Total, c.ThresholdMet, $"note.certificate-reused|{c.FromRoundCode}"),
                CompetenceResultRecorded p => (p.Components.ToDictionary(x => x.Code, x => x.Score, StringComparer.Ordinal), p.Total, p.ThresholdMet, p.CertificateBonus > 0 ? $"note.certificate-bonus|{p.CertificateBonus.ToString(CultureInfo.InvariantCulture)}" : ""),
                SkdAbsenceRecorded => (null, 0, false, "note.absent"),
                _ => (null, 0, false, "note.no-result"),
            };
            if (result is not null)
            {
                used.Add(result);
            }

            cells.AddRange(subtests.Select(code => outcome.Scores?.TryGetValue(code, out var score) == true ? Int(score) : ""));
            cells.Add(outcome.Scores is null ? "" : Int(outcome.Total));
            cells.Add(outcome.Scores is null ? nameof(FinalStatus.TH) : outcome.Met ? "P" : nameof(FinalStatus.TL));
            cells.Add(outcome.Note);
            rows.Add(new AnnouncementRow(formation.Code, application.PersonId, cells));
        }

        return new Built(columns, rows, used, []);
    }

    /// <summary>The SKD cut-off of each formation as decided: P/L (admitted to the SKB), P (threshold met, beyond the quota), TL (below the threshold).</summary>
    private static Built SkbAdmission(Context context)
    {
        var columns = new List<AnnouncementColumn>
        {
            new(Registration, ColumnKind.Text), new(Name, ColumnKind.Name),
            new("subtest:TWK", ColumnKind.Number), new("subtest:TIU", ColumnKind.Number), new("subtest:TKP", ColumnKind.Number),
            new("column.total", ColumnKind.Number), new("column.rank", ColumnKind.Number), new("column.status", ColumnKind.Code), new("column.note", ColumnKind.Note),
        };
        var rows = new List<AnnouncementRow>();
        var used = new List<RecordedDecision>();
        var pending = new List<string>();
        foreach (var formation in context.Formations)
        {
            var decided = context.ByFormation[formation.Id].LastOrDefault(e => e.Data is SkdCutOffDecided);
            if (decided?.Data is not SkdCutOffDecided cutOff)
            {
                pending.Add($"formation {formation.Code} has no SKD cut-off");
                continue;
            }

            used.Add(decided);
            foreach (var entry in cutOff.Entries)
            {
                var status = entry.Outcome switch
                {
                    CutOffOutcome.Admitted or CutOffOutcome.AdmittedOnTie => "P/L",
                    CutOffOutcome.OverQuota => "P",
                    _ => nameof(FinalStatus.TL),
                };
                rows.Add(new AnnouncementRow(formation.Code, PersonOf(context, entry.ApplicationId), [
                    entry.RegistrationNumber, "", Int(entry.Twk), Int(entry.Tiu), Int(entry.Tkp), Int(entry.Total),
                    entry.Rank is { } rank ? Int(rank) : "", status, entry.Outcome == CutOffOutcome.AdmittedOnTie ? "note.admitted-on-tie" : ""]));
            }
        }

        return new Built(columns, rows, used, pending);
    }

    /// <summary>
    /// The final result of each formation as decided (P/L, TL, TH, DIS, APS), then the places it filled by optimisation
    /// (P/L-2, R17); a passer who withdrew afterwards reads APS (R18). An applicant of the list placed elsewhere by
    /// optimisation keeps their line with a note naming the formation.
    /// </summary>
    private static Built Final(Context context)
    {
        var columns = new List<AnnouncementColumn>
        {
            new(Registration, ColumnKind.Text), new(Name, ColumnKind.Name), new("column.skd-total", ColumnKind.Number), new("column.skb-score", ColumnKind.Number),
            new("column.final-score", ColumnKind.Number), new("column.rank", ColumnKind.Number), new("column.status", ColumnKind.Code), new("column.note", ColumnKind.Note),
        };
        var rows = new List<AnnouncementRow>();
        var used = new List<RecordedDecision>();
        var pending = new List<string>();
        foreach (var formation in context.Formations)
        {
            var events = context.ByFormation[formation.Id].ToList();
            var decided = events.LastOrDefault(e => e.Data is FinalResultDecided);
            if (decided?.Data is not FinalResultDecided final)
            {
                pending.Add($"formation {formation.Code} has no final result");
                continue;
            }

            used.Add(decided);
            var withdrawn = new HashSet<Guid>();
            foreach (var vacated in events.Where(e => e.Data is PlaceVacatedByWithdrawal))
            {
                used.Add(vacated);
                withdrawn.Add(((PlaceVacatedByWithdrawal)vacated.Data).ApplicationId);
            }

            foreach (var entry in final.Entries)
            {
                var placed = context.ByApplication[entry.ApplicationId].LastOrDefault(e => e.Data is PlacedByOptimisation);
                var note = "";
                if (placed?.Data is PlacedByOptimisation placement)
                {
                    used.Add(placed);
                    note = $"note.placed-in|{CodeOf(context, placement.TargetFormationId)}";
                }

                var status = withdrawn.Contains(entry.ApplicationId) ? nameof(FinalStatus.APS) : StatusCode(entry.Status);
                if (withdrawn.Contains(entry.ApplicationId))
                {
                    note = "note.withdrew";
                }

                rows.Add(new AnnouncementRow(formation.Code, PersonOf(context, entry.ApplicationId), [
                    entry.RegistrationNumber, "", entry.SkdTotal is { } skdTotal ? Int(skdTotal) : "", entry.SkbScore?.ToString("0.00", CultureInfo.InvariantCulture) ?? "",
                    entry.FinalScore?.ToString("0.000", CultureInfo.InvariantCulture) ?? "", entry.Rank is { } rank ? Int(rank) : "", status, note]));
            }

            foreach (var filled in events.Where(e => e.Data is VacancyFilledByOptimisation))
            {
                used.Add(filled);
                var placement = (VacancyFilledByOptimisation)filled.Data;
                if (!context.Applications.TryGetValue(placement.ApplicationId, out var application))
                {
                    pending.Add($"the application placed in formation {formation.Code} by optimisation is unknown");
                    continue;
                }

                var gone = withdrawn.Contains(application.Id);
                rows.Add(new AnnouncementRow(formation.Code, application.PersonId, [
                    application.RegistrationNumber, "", application.Skd is { } skd ? Int(skd.Total) : "", application.SkbScore?.ToString("0.00", CultureInfo.InvariantCulture) ?? "",
                    "", "", gone ? nameof(FinalStatus.APS) : AppointmentDecisions.OptimisationCode,
                    gone ? "note.withdrew" : $"note.placed-from|{CodeOf(context, placement.SourceFormationId)}"]));
            }
        }

        return new Built(columns, rows, used, pending);
    }

    /// <summary>The announced form of a final status: P/L for <see cref="FinalStatus.PL"/>, the name otherwise (as the CSV export writes it).</summary>
    public static string StatusCode(FinalStatus status) => status == FinalStatus.PL ? "P/L" : status.ToString();

    private static Guid PersonOf(Context context, Guid applicationId) =>
        context.Applications.TryGetValue(applicationId, out var application) ? application.PersonId : Guid.Empty;

    private static string CodeOf(Context context, Guid formationId) =>
        context.FormationsById.TryGetValue(formationId, out var formation) ? formation.Code : formationId.ToString();

    private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);
}
