using JasperFx.Events;
using Marten.Events.Projections;
using Merit.Recruitment;

namespace Merit.Projections.Recruitment;

/// <summary>
/// Per-formation counts for the committee's overview: how many registered, were verified MS or TMS, sat the
/// SKD and met its threshold. Built asynchronously by the daemon; carries no personal data.
/// </summary>
public sealed record FormationSummary(
    Guid Id,
    Guid RoundId,
    string Code,
    string InstansiCode,
    string Position,
    string Location,
    FormationCategory Category,
    int Allocation,
    int Registered,
    int Qualified,
    int NotQualified,
    int SkdRecorded,
    int SkdThresholdMet)
{
    /// <summary>The global sequence number of the last event applied to this document (events it ignores do not move it).</summary>
    public long LastSequence { get; init; }
}

public sealed class FormationSummaryProjection : RoundReadModelProjection<FormationSummary, Guid>
{
    public FormationSummaryProjection()
    {
        Identity<FormationOpened>(e => e.FormationId);
        Identity<IApplicationEvent>(e => e.FormationId);
    }

    /// <summary>The last event this document reflects (docs/adr/0012).</summary>
    public override FormationSummary ApplyMetadata(FormationSummary aggregate, IEvent lastEvent) => aggregate with { LastSequence = lastEvent.Sequence };

    public static FormationSummary Create(FormationOpened e) =>
        new(e.FormationId, e.RoundId, e.Code, e.InstansiCode, e.Position, e.Location, e.Category, e.Allocation, 0, 0, 0, 0, 0);

    public static FormationSummary Apply(ApplicantRegistered e, FormationSummary s) => s with { Registered = s.Registered + 1 };

    public static FormationSummary Apply(AdministrativeVerificationRecorded e, FormationSummary s) => e.Result == AdministrativeResult.MS
        ? s with { Qualified = s.Qualified + 1 }
        : s with { NotQualified = s.NotQualified + 1 };

    public static FormationSummary Apply(SkdResultRecorded e, FormationSummary s) => s with
    {
        SkdRecorded = s.SkdRecorded + 1,
        SkdThresholdMet = s.SkdThresholdMet + (e.ThresholdMet ? 1 : 0),
    };

    /// <summary>A PPPK round's competence test counts where the SKD does.</summary>
    public static FormationSummary Apply(CompetenceResultRecorded e, FormationSummary s) => s with
    {
        SkdRecorded = s.SkdRecorded + 1,
        SkdThresholdMet = s.SkdThresholdMet + (e.ThresholdMet ? 1 : 0),
    };
}
