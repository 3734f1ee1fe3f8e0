using JasperFx.Events;
using Marten.Events.Aggregation;
using Merit.Career;

namespace Merit.Projections.Career;

/// <summary>
/// One JPT selection as analytics read it: applicants per vacancy (one vacancy per selection), eligible
/// applicants, extensions (R35), the size of the pansel's list and the rank the PPK picked (R37). No personal data.
/// </summary>
public sealed record JptSelectionStats(
    Guid Id,
    string Code,
    string InstansiCode,
    JptLevel Level,
    JptStatus Status,
    int Applicants,
    int EligibleApplicants,
    int Extensions,
    int ShortlistSize,
    int? AppointedRank,
    string RuleSetVersion)
{
    /// <summary>The global sequence number of the last event applied to this document (events it ignores do not move it).</summary>
    public long LastSequence { get; init; }
}

public sealed class JptSelectionStatsProjection : SingleStreamProjection<JptSelectionStats, Guid>
{
    /// <summary>The last event this document reflects (docs/adr/0012).</summary>
    public override JptSelectionStats ApplyMetadata(JptSelectionStats aggregate, IEvent lastEvent) => aggregate with { LastSequence = lastEvent.Sequence };

    public static JptSelectionStats Create(JptSelectionAnnounced e) =>
        new(e.SelectionId, e.Code, e.InstansiCode, e.Level, JptStatus.Registration, 0, 0, 0, 0, null, e.RuleSetVersion);

    public static JptSelectionStats Apply(JptApplicantRegistered e, JptSelectionStats s) =>
        s with { Applicants = s.Applicants + 1, EligibleApplicants = s.EligibleApplicants + (e.Eligible ? 1 : 0) };

    public static JptSelectionStats Apply(JptRegistrationExtended e, JptSelectionStats s) => s with { Extensions = e.Number };

    public static JptSelectionStats Apply(JptRegistrationClosed e, JptSelectionStats s) => s with { Status = JptStatus.Assessment };

    public static JptSelectionStats Apply(JptShortlistProposed e, JptSelectionStats s) => s with { Status = JptStatus.Shortlisted, ShortlistSize = e.Shortlist.Count };

    public static JptSelectionStats Apply(JptAppointed e, JptSelectionStats s) => s with { Status = JptStatus.Appointed, AppointedRank = e.ShortlistRank };

    public static JptSelectionStats Apply(JptSelectionCancelled e, JptSelectionStats s) => s with { Status = JptStatus.Cancelled };
}
