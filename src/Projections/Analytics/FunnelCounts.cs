using System.Text.RegularExpressions;
using JasperFx.Events;
using JasperFx.Events.Grouping;
using Marten;
using Merit.Recruitment;
using Merit.Recruitment.Ranking;

namespace Merit.Projections.Analytics;

/// <summary>
/// How far the applicants of one sex got: each count is of applicants who reached that step.
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

    /// <summary>NIP issued to a P/L passer of their own formation (placements by optimisation are counted apart).</summary>
    public int NipIssued { get; set; }
}

/// <summary>
/// Counts of formations, places and applicants that add up: every field is a sum over the formations counted, so
/// a formation's document and a rollup of many formations are built by the same <see cref="Count"/>.
/// </summary>
public abstract partial class FunnelCounts
{
    public int Formations { get; set; }

    /// <summary>Places (jumlah kebutuhan).</summary>
    public int Allocation { get; set; }

    public StageCounts Male { get; set; } = new();

    public StageCounts Female { get; set; } = new();

    /// <summary>Events of an application whose registration could not be read; zero unless the write model is damaged.</summary>
    public int Unattributed { get; set; }

    /// <summary>Applicants placed in another formation by optimalisasi (P/L-2), counted in their own formation.</summary>
    public int PlacedElsewhere { get; set; }

    /// <summary>NIP issued to applicants placed elsewhere by optimisation, counted in their own formation.</summary>
    public int PlacedElsewhereAppointed { get; set; }

    /// <summary>Passers who withdrew (APS).</summary>
    public int Withdrawals { get; set; }

    /// <summary>Formations whose SKD cut-off is decided.</summary>
    public int CutOffsDecided { get; set; }

    /// <summary>Applicants ranked by a cut-off: everyone with an SKD score.</summary>
    public int SkdParticipants { get; set; }

    public int AdmittedOnTie { get; set; }

    /// <summary>Formations whose final result is decided.</summary>
    public int FinalsDecided { get; set; }

    /// <summary>P/L in the final results.</summary>
    public int Passed { get; set; }

    /// <summary>P/L whose final score equalled a non-passer's and who passed on a Pasal 45(4) tie-break criterion.</summary>
    public int PassedOnTieBreak { get; set; }

    /// <summary>Applicants tied on every criterion across the last place, referred to Panselnas.</summary>
    public int ReferredToPanselnas { get; set; }

    /// <summary>Places left vacant by the final results.</summary>
    public int VacantAfterFinal { get; set; }

    /// <summary>Places filled from other formations by optimisation (P/L-2).</summary>
    public int FilledByOptimisation { get; set; }

    /// <summary>Places vacant again after a passer withdrew.</summary>
    public int VacatedByWithdrawal { get; set; }

    /// <summary>Places vacant after the final results, optimisation and withdrawals.</summary>
    public int VacantNow { get; set; }

    public long LastSequence { get; set; }

    public StageCounts Of(Sex sex) => sex == Sex.F ? Female : Male;

    /// <summary>The formation events that move a count.</summary>
    public static readonly IReadOnlyList<Type> FormationEvents =
        [typeof(FormationOpened), typeof(SkdCutOffDecided), typeof(FinalResultDecided), typeof(VacancyFilledByOptimisation), typeof(PlaceVacatedByWithdrawal)];

    /// <summary>The application events that move a count; each needs the applicant's sex (see <see cref="AttributeAsync"/>).</summary>
    public static readonly IReadOnlyList<Type> ApplicationEvents =
    [
        typeof(ApplicantRegistered), typeof(AdministrativeVerificationRecorded), typeof(AdministrativeResultReannounced),
        typeof(SkdResultRecorded), typeof(SkdCertificateReused), typeof(SkdCutOffApplied), typeof(FinalResultApplied),
        typeof(PlacedByOptimisation), typeof(WithdrewAfterPassing), typeof(NipAssigned),
    ];

    /// <summary>Adds one event (an <see cref="AttributedEvent"/> for an application's) and records its sequence.</summary>
    public void Count(IEvent e)
    {
        switch (e.Data)
        {
            case AttributedEvent { Event: var inner } attributed:
                CountApplicant(Of(attributed.Sex), attributed.OwnPass, inner);
                break;
            case IApplicationEvent:
                Unattributed++;
                break;
            case FormationOpened opened:
                Formations++;
                Allocation += opened.Allocation;
                break;
            case SkdCutOffDecided cutOff:
                CutOffsDecided++;
                SkdParticipants += cutOff.Entries.Count;
                AdmittedOnTie += cutOff.Entries.Count(x => x.Outcome == CutOffOutcome.AdmittedOnTie);
                break;
            case FinalResultDecided final:
                FinalsDecided++;
                Passed += final.Passed;
                PassedOnTieBreak += PassedOnTieBreakIn(final.Entries);
                ReferredToPanselnas += final.Entries.Count(x => x.Reason.StartsWith(ReferredToPanselnasNote, StringComparison.Ordinal));
                VacantAfterFinal += Math.Max(0, final.Allocation - final.Passed);
                VacantNow += Math.Max(0, final.Allocation - final.Passed);
                break;
            case VacancyFilledByOptimisation:
                FilledByOptimisation++;
                VacantNow--;
                break;
            case PlaceVacatedByWithdrawal:
                VacatedByWithdrawal++;
                VacantNow++;
                break;
        }

        LastSequence = e.Sequence;
    }

    private void CountApplicant(StageCounts counts, bool ownPass, object data)
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
                PlacedElsewhereAppointed++;
                break;
            case PlacedByOptimisation:
                PlacedElsewhere++;
                break;
            case WithdrewAfterPassing:
                Withdrawals++;
                break;
        }
    }

    /// <summary>
    /// Replaces each counted application event of the batch by an <see cref="AttributedEvent"/> carrying the
    /// applicant's sex, read in one query from the application write model, shared with the composite's other members
    /// (see <see cref="CaseFacts.ApplicantsOfAsync"/>).
    /// </summary>
    public static async Task AttributeAsync<TDoc, TId>(SliceGroup<TDoc, TId> group, IQuerySession session, CancellationToken ct)
        where TId : notnull
    {
        // By index: replacing by event searches the slice for it, quadratic in a round-wide slice of a 10,000-event page.
        var pending = group.Slices
            .SelectMany(slice => slice.Events().Select((e, index) => (slice, e, index)).Where(p => p.e.Data is IApplicationEvent))
            .ToList();
        var applications = await CaseFacts.ApplicantsOfAsync(
            session, pending.Where(p => p.e.Data is not ApplicantRegistered).Select(p => (p.e, ((IApplicationEvent)p.e.Data).ApplicationId)).ToList(), ct);
        foreach (var (slice, e, index) in pending)
        {
            if (e.Data is ApplicantRegistered registered)
            {
                slice.ReplaceEvent(index, new AttributedEvent(e.Data, registered.Sex, false));
            }
            else if (applications.TryGetValue(((IApplicationEvent)e.Data).ApplicationId, out var application))
            {
                slice.ReplaceEvent(index, new AttributedEvent(e.Data, application.Sex, application.FinalStatus == FinalStatus.PL));
            }
        }
    }

    // The final ranking states its tie-breaks only in each entry's reason (FinalRanking.Trace); these read them back.
    // The projection tests run the real ranking, so a change of wording fails them.
    private const string ReferredToPanselnasNote = "tied on every criterion across the last place";

    [GeneratedRegex(@"tie on final broken by [^;()]*? with (?<number>[^;()\s]+)", RegexOptions.CultureInvariant)]
    private static partial Regex TieNote();

    /// <summary>Passers separated from a non-passer with the same exact final score only by a tie-break criterion.</summary>
    private static int PassedOnTieBreakIn(IReadOnlyList<FinalEntry> entries)
    {
        var notPassed = entries.Where(x => x.Status != FinalStatus.PL).Select(x => x.RegistrationNumber).ToHashSet(StringComparer.Ordinal);
        return entries.Count(x => x.Status == FinalStatus.PL
            && TieNote().Matches(x.Reason).Any(m => notPassed.Contains(m.Groups["number"].Value)));
    }
}

/// <summary>An application event with the applicant's facts read beside it (see <see cref="CaseFacts"/>).</summary>
/// <param name="OwnPass">P/L in the applicant's own formation; read only for events recorded after the final result.</param>
public sealed record AttributedEvent(object Event, Sex Sex, bool OwnPass);
