using JasperFx.Events;
using JasperFx.Events.Grouping;
using Marten;
using Marten.Events.Projections;
using Merit.Recruitment;

namespace Merit.Projections.Analytics;

/// <summary>The decisions whose time is measured, each from the opening of the window it is taken in.</summary>
public enum DecisionStage
{
    /// <summary>Seleksi administrasi: MS/TMS, from the opening of AdministrativeSelection.</summary>
    AdministrativeVerification,
    /// <summary>Sanggah on the administrative result: from the appeal filed to its answer.</summary>
    AdministrativeAppeal,
    /// <summary>SKD outcome recorded (result, absence or reused certificate), from the opening of Skd.</summary>
    SkdResult,
    /// <summary>SKD cut-off of a formation, from the opening of Skb.</summary>
    SkdCutOff,
    /// <summary>SKB outcome recorded, from the opening of Skb.</summary>
    SkbResult,
    /// <summary>Final result of a formation, from the opening of Integration.</summary>
    FinalResult,
    /// <summary>Sanggah on the final result: from the appeal filed to its answer.</summary>
    FinalAppeal,
    /// <summary>Placement by optimalisasi, from the opening of Optimisation.</summary>
    Optimisation,
    /// <summary>NIP issued, from the opening of Appointment.</summary>
    NipIssued,
}

/// <summary>
/// Counts of decisions by duration. Durations are kept to the minute below an hour, to the quarter hour below a
/// day and to the hour beyond, so a document stays small however many decisions it counts; a percentile is read
/// as the lower bound of the bin it falls in.
/// </summary>
public sealed class DurationHistogram
{
    public int Count { get; set; }

    /// <summary>Bins in ascending order of <see cref="DurationBin.FromMinutes"/>.</summary>
    public List<DurationBin> Bins { get; set; } = [];

    public static long BinOf(long minutes) => minutes switch
    {
        < 0 => 0,
        < 60 => minutes,
        < 24 * 60 => minutes - (minutes % 15),
        _ => minutes - (minutes % 60),
    };

    public void Add(long minutes, int count = 1)
    {
        var from = BinOf(minutes);
        var index = Bins.BinarySearch(new DurationBin { FromMinutes = from }, DurationBin.ByStart);
        if (index >= 0)
        {
            Bins[index].Count += count;
        }
        else
        {
            Bins.Insert(~index, new DurationBin { FromMinutes = from, Count = count });
        }

        Count += count;
    }

    /// <summary>Nearest-rank percentile (0 &lt; <paramref name="p"/> ≤ 1), in minutes; null when empty.</summary>
    public long? Percentile(double p)
    {
        if (Count == 0)
        {
            return null;
        }

        var rank = Math.Max(1, (long)Math.Ceiling(p * Count));
        long seen = 0;
        foreach (var bin in Bins)
        {
            seen += bin.Count;
            if (seen >= rank)
            {
                return bin.FromMinutes;
            }
        }

        return Bins[^1].FromMinutes;
    }
}

public sealed class DurationBin
{
    public static readonly IComparer<DurationBin> ByStart = Comparer<DurationBin>.Create((a, b) => a.FromMinutes.CompareTo(b.FromMinutes));

    public long FromMinutes { get; set; }

    public int Count { get; set; }
}

/// <summary>
/// How long one instansi's decisions took in one round, per decision stage. One document per round and instansi:
/// a few hundred per national round, each small. No personal data; <see cref="LastSequence"/> is the last
/// event it reflects.
/// </summary>
public sealed class DecisionTimes
{
    /// <summary><c>{round id}/{instansi code}</c>.</summary>
    public string Id { get; set; } = "";

    public Guid RoundId { get; set; }

    public string InstansiCode { get; set; } = "";

    /// <summary>Stages in declared order, only those with a decision.</summary>
    public List<StageDurations> Stages { get; set; } = [];

    public long LastSequence { get; set; }

    public static string IdFor(Guid roundId, string instansiCode) => $"{roundId:N}/{instansiCode}";
}

public sealed class StageDurations
{
    public DecisionStage Stage { get; set; }

    public DurationHistogram Durations { get; set; } = new();
}

/// <summary>A decision with its duration, measured when the event was read (see <see cref="CaseFacts"/>).</summary>
public sealed record TimedDecision(Guid RoundId, string InstansiCode, DecisionStage Stage, long Minutes);

/// <summary>Decisions routed to their round and instansi through the formation they concern. Asynchronous.</summary>
public sealed class DecisionTimesProjection : RoundReadModelProjection<DecisionTimes, string>
{
    public const string ProjectionName = "AnalyticsDecisionTimes";

    public DecisionTimesProjection()
    {
        Name = ProjectionName;
        foreach (var type in Measured)
        {
            IncludeType(type);
        }

        CustomGrouping(GroupByRoundAndInstansiAsync);
    }

    private static readonly Type[] Measured =
    [
        typeof(AdministrativeVerificationRecorded), typeof(AppealAnswered), typeof(SkdResultRecorded), typeof(SkdAbsenceRecorded),
        typeof(SkdCertificateReused), typeof(SkdCutOffDecided), typeof(SkbResultRecorded), typeof(SkbAbsenceRecorded),
        typeof(FinalResultDecided), typeof(PlacedByOptimisation), typeof(NipAssigned),
    ];

    /// <summary>The stage a decision is measured under and the round stage whose opening starts its clock (null: from the appeal's filing).</summary>
    private static (DecisionStage Stage, RoundStage? Window)? StageOf(object data) => data switch
    {
        AdministrativeVerificationRecorded => (DecisionStage.AdministrativeVerification, RoundStage.AdministrativeSelection),
        AppealAnswered { Window: AppealWindow.Administrative } => (DecisionStage.AdministrativeAppeal, null),
        AppealAnswered => (DecisionStage.FinalAppeal, null),
        SkdResultRecorded or SkdAbsenceRecorded or SkdCertificateReused => (DecisionStage.SkdResult, RoundStage.Skd),
        SkdCutOffDecided => (DecisionStage.SkdCutOff, RoundStage.Skb),
        SkbResultRecorded or SkbAbsenceRecorded => (DecisionStage.SkbResult, RoundStage.Skb),
        FinalResultDecided => (DecisionStage.FinalResult, RoundStage.Integration),
        PlacedByOptimisation => (DecisionStage.Optimisation, RoundStage.Optimisation),
        NipAssigned => (DecisionStage.NipIssued, RoundStage.Appointment),
        _ => null,
    };

    private static DateTimeOffset DecidedAt(object data) => data switch
    {
        AdministrativeVerificationRecorded d => d.VerifiedAt,
        AppealAnswered d => d.AnsweredAt,
        SkdResultRecorded d => d.RecordedAt,
        SkdAbsenceRecorded d => d.RecordedAt,
        SkdCertificateReused d => d.RecordedAt,
        SkdCutOffDecided d => d.DecidedAt,
        SkbResultRecorded d => d.RecordedAt,
        SkbAbsenceRecorded d => d.RecordedAt,
        FinalResultDecided d => d.DecidedAt,
        PlacedByOptimisation d => d.At,
        NipAssigned d => d.At,
        _ => throw new ArgumentOutOfRangeException(nameof(data), data.GetType().Name, "Not a measured decision."),
    };

    private static async Task GroupByRoundAndInstansiAsync(IQuerySession session, IReadOnlyList<IEvent> events, IEventGrouping<string> grouping)
    {
        var measured = events.Where(e => StageOf(e.Data) is not null && CaseFacts.FormationOf(e) is not null).ToList();
        var formations = await CaseFacts.FormationsAsync(session, measured.Select(e => CaseFacts.FormationOf(e)!.Value), CancellationToken.None);
        foreach (var e in measured)
        {
            if (formations.TryGetValue(CaseFacts.FormationOf(e)!.Value, out var formation))
            {
                grouping.AddEvent(DecisionTimes.IdFor(formation.RoundId, formation.InstansiCode), e);
            }
        }
    }

    public override async Task EnrichEventsAsync(SliceGroup<DecisionTimes, string> group, IQuerySession querySession, CancellationToken cancellation)
    {
        var measured = group.Slices.SelectMany(slice => slice.Events().Select((e, index) => (slice, e, index))).ToList();
        var formations = await CaseFacts.FormationsAsync(querySession, measured.Select(p => CaseFacts.FormationOf(p.e)!.Value), cancellation);
        var openings = await CaseFacts.StageOpeningsAsync(querySession, formations.Values.Select(f => f.RoundId), cancellation);
        var appellants = await CaseFacts.ApplicationsAsync(querySession, measured.Select(p => p.e.Data).OfType<AppealAnswered>().Select(a => a.ApplicationId), cancellation);

        foreach (var (slice, e, index) in measured)
        {
            if (!formations.TryGetValue(CaseFacts.FormationOf(e)!.Value, out var formation))
            {
                continue;
            }

            var (stage, window) = StageOf(e.Data)!.Value;
            DateTimeOffset? from = window is { } opened
                ? openings[formation.RoundId].TryGetValue(opened, out var at) ? at : null
                : e.Data is AppealAnswered answered && appellants.TryGetValue(answered.ApplicationId, out var application)
                    && application.Appeals.TryGetValue(answered.Window, out var appeal) ? appeal.FiledAt : null;
            if (from is { } start)
            {
                var minutes = (long)Math.Floor((DecidedAt(e.Data) - start).TotalMinutes);
                slice.ReplaceEvent(index, new TimedDecision(formation.RoundId, formation.InstansiCode, stage, Math.Max(0, minutes)));
            }
        }
    }

    public override DecisionTimes? Evolve(DecisionTimes? snapshot, string id, IEvent e)
    {
        if (e.Data is not TimedDecision timed)
        {
            // A decision whose window opening could not be read is not measured, but the document still reflects it.
            if (snapshot is not null)
            {
                snapshot.LastSequence = e.Sequence;
            }

            return snapshot;
        }

        snapshot ??= new DecisionTimes { Id = id, RoundId = timed.RoundId, InstansiCode = timed.InstansiCode };
        var stage = snapshot.Stages.Find(s => s.Stage == timed.Stage);
        if (stage is null)
        {
            stage = new StageDurations { Stage = timed.Stage };
            snapshot.Stages.Add(stage);
            snapshot.Stages.Sort((a, b) => a.Stage.CompareTo(b.Stage));
        }

        stage.Durations.Add(timed.Minutes);
        snapshot.LastSequence = e.Sequence;
        return snapshot;
    }
}
