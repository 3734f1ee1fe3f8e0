using System.Text.RegularExpressions;
using JasperFx.Events;
using JasperFx.Events.Grouping;
using Marten;
using Marten.Events.Projections;
using Merit.Recruitment;
using Merit.Recruitment.Ranking;

namespace Merit.Projections.Analytics;

/// <summary>
/// How far the applicants of one sex got in one formation: each count is of applicants who reached that step.
/// </summary>
public sealed class StageCounts
{
    public int Registered { get; set; }

    /// <summary>MS (memenuhi syarat) after appeals: verified MS, or re-announced MS after an accepted sanggah.</summary>
    public int Ms { get; set; }

    /// <summary>Met the SKD threshold (nilai ambang batas) of the formation's category, sat or by a reused certificate.</summary>
    public int SkdThresholdMet { get; set; }

    /// <summary>Admitted to the SKB by the cut-off, ties at the boundary included.</summary>
    public int AdmittedToSkb { get; set; }

    /// <summary>P/L in the final result of their own formation.</summary>
    public int FinalPass { get; set; }

    /// <summary>NIP issued to a P/L passer of this formation (placements by optimisation are counted apart).</summary>
    public int NipIssued { get; set; }
}

/// <summary>
/// The analytics read model of one formation (formasi): its dimensions, the funnel of its applicants by sex, the
/// SKD cut-off and final result as numbers, and the optimisation effect. Every analytics table is a sum of these
/// documents grouped and filtered at query time, so any filter combination is exact (docs/adr/0008). Holds no
/// personal data and no application id; <see cref="LastSequence"/> is the last event it reflects.
/// </summary>
public sealed class FormationAnalytics
{
    public Guid Id { get; set; }

    public Guid RoundId { get; set; }

    public string Code { get; set; } = "";

    public string InstansiCode { get; set; } = "";

    public string Position { get; set; } = "";

    public string Location { get; set; } = "";

    public FormationCategory Category { get; set; }

    /// <summary>Places (jumlah kebutuhan).</summary>
    public int Allocation { get; set; }

    public StageCounts Male { get; set; } = new();

    public StageCounts Female { get; set; } = new();

    /// <summary>Events of an application whose registration could not be read; zero unless the write model is damaged.</summary>
    public int Unattributed { get; set; }

    /// <summary>Applicants of this formation placed in another formation by optimalisasi (P/L-2).</summary>
    public int PlacedElsewhere { get; set; }

    /// <summary>NIP issued to applicants of this formation placed elsewhere by optimisation.</summary>
    public int PlacedElsewhereAppointed { get; set; }

    /// <summary>Passers of this formation who withdrew (APS).</summary>
    public int Withdrawals { get; set; }

    public bool CutOffDecided { get; set; }

    /// <summary>SKB quota: the rule set's multiplier × allocation.</summary>
    public int Quota { get; set; }

    /// <summary>Applicants ranked by the cut-off: everyone with an SKD score.</summary>
    public int SkdParticipants { get; set; }

    public int AdmittedOnTie { get; set; }

    /// <summary>The lowest SKD total admitted to the SKB: the cut-off score the formation actually reached.</summary>
    public int? CutOffTotal { get; set; }

    public bool FinalDecided { get; set; }

    /// <summary>P/L in the final result.</summary>
    public int Passed { get; set; }

    /// <summary>P/L whose final score equalled a non-passer's and who passed on a Pasal 45(4) tie-break criterion.</summary>
    public int PassedOnTieBreak { get; set; }

    /// <summary>Applicants tied on every criterion across the last place, referred to Panselnas.</summary>
    public int ReferredToPanselnas { get; set; }

    /// <summary>Places filled from other formations by optimisation (P/L-2).</summary>
    public int FilledByOptimisation { get; set; }

    /// <summary>Places vacant again after a passer withdrew.</summary>
    public int VacatedByWithdrawal { get; set; }

    public long LastSequence { get; set; }

    public StageCounts Of(Sex sex) => sex == Sex.F ? Female : Male;
}

/// <summary>An application event with the applicant's facts read beside it (see <see cref="CaseFacts"/>).</summary>
/// <param name="OwnPass">P/L in the applicant's own formation; read only for events recorded after the final result.</param>
public sealed record AttributedEvent(object Event, Sex Sex, bool OwnPass);

/// <summary>One <see cref="FormationAnalytics"/> per formation, from the formation's events and its applicants' events. Asynchronous.</summary>
public sealed partial class FormationAnalyticsProjection : MultiStreamProjection<FormationAnalytics, Guid>
{
    public const string ProjectionName = "AnalyticsFormation";

    public FormationAnalyticsProjection()
    {
        Name = ProjectionName;
        Identity<IFormationEvent>(e => e.FormationId);
        Identity<IApplicationEvent>(e => e.FormationId);
        foreach (var type in FormationEvents.Concat(ApplicationEvents))
        {
            IncludeType(type);
        }
    }

    private static readonly Type[] FormationEvents =
        [typeof(FormationOpened), typeof(SkdCutOffDecided), typeof(FinalResultDecided), typeof(VacancyFilledByOptimisation), typeof(PlaceVacatedByWithdrawal)];

    /// <summary>The application events that move a count; each needs the applicant's sex.</summary>
    private static readonly Type[] ApplicationEvents =
    [
        typeof(ApplicantRegistered), typeof(AdministrativeVerificationRecorded), typeof(AdministrativeResultReannounced),
        typeof(SkdResultRecorded), typeof(SkdCertificateReused), typeof(SkdCutOffApplied), typeof(FinalResultApplied),
        typeof(PlacedByOptimisation), typeof(WithdrewAfterPassing), typeof(NipAssigned),
    ];

    public override async Task EnrichEventsAsync(SliceGroup<FormationAnalytics, Guid> group, IQuerySession querySession, CancellationToken cancellation)
    {
        var pending = group.Slices
            .SelectMany(slice => slice.Events().Where(e => e.Data is IApplicationEvent and not ApplicantRegistered).Select(e => (slice, e)))
            .ToList();
        var applications = await CaseFacts.ApplicationsAsync(querySession, pending.Select(p => ((IApplicationEvent)p.e.Data).ApplicationId), cancellation);
        foreach (var (slice, e) in pending)
        {
            if (applications.TryGetValue(((IApplicationEvent)e.Data).ApplicationId, out var application))
            {
                slice.ReplaceEvent(e, new AttributedEvent(e.Data, application.Sex, application.FinalStatus == FinalStatus.PL));
            }
        }

        foreach (var slice in group.Slices)
        {
            foreach (var e in slice.Events().Where(e => e.Data is ApplicantRegistered).ToList())
            {
                slice.ReplaceEvent(e, new AttributedEvent(e.Data, ((ApplicantRegistered)e.Data).Sex, false));
            }
        }
    }

    public override FormationAnalytics? Evolve(FormationAnalytics? snapshot, Guid id, IEvent e)
    {
        if (e.Data is FormationOpened opened)
        {
            snapshot = new FormationAnalytics
            {
                Id = opened.FormationId,
                RoundId = opened.RoundId,
                Code = opened.Code,
                InstansiCode = opened.InstansiCode,
                Position = opened.Position,
                Location = opened.Location,
                Category = opened.Category,
                Allocation = opened.Allocation,
            };
        }

        // An event of a formation this projection never saw opened cannot be placed in any dimension.
        if (snapshot is null)
        {
            return null;
        }

        Count(snapshot, e.Data);
        snapshot.LastSequence = e.Sequence;
        return snapshot;
    }

    private static void Count(FormationAnalytics f, object data)
    {
        switch (data)
        {
            case AttributedEvent { Event: var inner } attributed:
                CountApplicant(f, f.Of(attributed.Sex), attributed.OwnPass, inner);
                break;
            case IApplicationEvent:
                f.Unattributed++;
                break;
            case SkdCutOffDecided cutOff:
                var admitted = cutOff.Entries.Where(x => x.Outcome is CutOffOutcome.Admitted or CutOffOutcome.AdmittedOnTie).ToList();
                f.CutOffDecided = true;
                f.Quota = cutOff.Quota;
                f.SkdParticipants = cutOff.Entries.Count;
                f.AdmittedOnTie = admitted.Count(x => x.Outcome == CutOffOutcome.AdmittedOnTie);
                f.CutOffTotal = admitted.Count == 0 ? null : admitted.Min(x => x.Total);
                break;
            case FinalResultDecided final:
                f.FinalDecided = true;
                f.Passed = final.Passed;
                f.PassedOnTieBreak = PassedOnTieBreak(final.Entries);
                f.ReferredToPanselnas = final.Entries.Count(x => x.Reason.StartsWith(ReferredToPanselnas, StringComparison.Ordinal));
                break;
            case VacancyFilledByOptimisation:
                f.FilledByOptimisation++;
                break;
            case PlaceVacatedByWithdrawal:
                f.VacatedByWithdrawal++;
                break;
        }
    }

    private static void CountApplicant(FormationAnalytics f, StageCounts counts, bool ownPass, object data)
    {
        switch (data)
        {
            case ApplicantRegistered:
                counts.Registered++;
                break;
            case AdministrativeVerificationRecorded { Result: AdministrativeResult.MS }:
            case AdministrativeResultReannounced { Result: AdministrativeResult.MS }:
                counts.Ms++;
                break;
            case SkdResultRecorded { ThresholdMet: true }:
            case SkdCertificateReused { ThresholdMet: true }:
                counts.SkdThresholdMet++;
                break;
            case SkdCutOffApplied { Outcome: CutOffOutcome.Admitted or CutOffOutcome.AdmittedOnTie }:
                counts.AdmittedToSkb++;
                break;
            case FinalResultApplied { Status: FinalStatus.PL }:
                counts.FinalPass++;
                break;
            case NipAssigned when ownPass:
                counts.NipIssued++;
                break;
            case NipAssigned:
                f.PlacedElsewhereAppointed++;
                break;
            case PlacedByOptimisation:
                f.PlacedElsewhere++;
                break;
            case WithdrewAfterPassing:
                f.Withdrawals++;
                break;
        }
    }

    // The final ranking states its tie-breaks only in each entry's reason (FinalRanking.Trace); these read them back.
    // The projection tests run the real ranking, so a change of wording fails them.
    private const string ReferredToPanselnas = "tied on every criterion across the last place";

    [GeneratedRegex(@"tie on final broken by [^;()]*? with (?<number>[^;()\s]+)", RegexOptions.CultureInvariant)]
    private static partial Regex TieNote();

    /// <summary>Passers separated from a non-passer with the same exact final score only by a tie-break criterion.</summary>
    private static int PassedOnTieBreak(IReadOnlyList<FinalEntry> entries)
    {
        var notPassed = entries.Where(x => x.Status != FinalStatus.PL).Select(x => x.RegistrationNumber).ToHashSet(StringComparer.Ordinal);
        return entries.Count(x => x.Status == FinalStatus.PL
            && TieNote().Matches(x.Reason).Any(m => notPassed.Contains(m.Groups["number"].Value)));
    }
}
