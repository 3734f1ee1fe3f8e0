using JasperFx.Events;
using JasperFx.Events.Grouping;
using Marten;
using Marten.Events.Projections;
using Merit.Recruitment;

namespace Merit.Projections.Analytics;

/// <summary>A score histogram with fixed bins: bin <c>i</c> holds the scores from <c>i × Width</c> to <c>(i + 1) × Width − 1</c>.</summary>
public sealed class ScoreHistogram
{
    public int Width { get; set; }

    public int[] Bins { get; set; } = [];

    public static ScoreHistogram Covering(int maximum, int width) => new() { Width = width, Bins = new int[(maximum / width) + 1] };

    public void Add(int score) => Bins[Math.Clamp(score / Width, 0, Bins.Length - 1)]++;
}

/// <summary>SKD scores of one formation category in a round (jenis kebutuhan).</summary>
public sealed class CategoryScores
{
    public FormationCategory Category { get; set; }

    /// <summary>SKD results counted: sat in this round or carried over by a reused certificate (R12).</summary>
    public int Results { get; set; }

    public int CertificatesReused { get; set; }

    public int ThresholdMet { get; set; }

    // Bins cover the CPNS blueprint's maxima (TWK 150, TIU 175, TKP 225, total 550) at steps analysts read thresholds at.
    public ScoreHistogram Twk { get; set; } = ScoreHistogram.Covering(150, 5);

    public ScoreHistogram Tiu { get; set; } = ScoreHistogram.Covering(175, 5);

    public ScoreHistogram Tkp { get; set; } = ScoreHistogram.Covering(225, 5);

    public ScoreHistogram Total { get; set; } = ScoreHistogram.Covering(550, 10);
}

/// <summary>
/// The SKD score distributions of one round, per formation category: one small document per round (7 categories ×
/// 4 histograms), so a distribution query reads one row. No personal data; <see cref="LastSequence"/> is the
/// last event it reflects.
/// </summary>
public sealed class SkdDistribution
{
    /// <summary>The round's id.</summary>
    public Guid Id { get; set; }

    /// <summary>Categories in their declared order.</summary>
    public List<CategoryScores> Categories { get; set; } = [];

    public long LastSequence { get; set; }
}

/// <summary>SKD results routed to their round through the formation they belong to. Asynchronous.</summary>
public sealed class SkdDistributionProjection : RoundReadModelProjection<SkdDistribution, Guid>
{
    public const string ProjectionName = "AnalyticsSkdDistribution";

    public SkdDistributionProjection()
    {
        Name = ProjectionName;
        IncludeType<SkdResultRecorded>();
        IncludeType<SkdCertificateReused>();
        CustomGrouping(GroupByRoundAsync);
    }

    private static async Task GroupByRoundAsync(IQuerySession session, IReadOnlyList<IEvent> events, IEventGrouping<Guid> grouping)
    {
        var scored = events.Where(e => e.Data is SkdResultRecorded or SkdCertificateReused).ToList();
        var formations = await CaseFacts.FormationsAsync(session, scored.Select(e => ((IApplicationEvent)e.Data).FormationId), CancellationToken.None);
        foreach (var e in scored)
        {
            if (formations.TryGetValue(((IApplicationEvent)e.Data).FormationId, out var formation))
            {
                grouping.AddEvent(formation.RoundId, e);
            }
        }
    }

    public override SkdDistribution? Evolve(SkdDistribution? snapshot, Guid id, IEvent e)
    {
        snapshot ??= new SkdDistribution { Id = id };
        switch (e.Data)
        {
            case SkdResultRecorded r:
                Add(snapshot, r.Category, r.Twk, r.Tiu, r.Tkp, r.ThresholdMet, reused: false);
                break;
            case SkdCertificateReused r:
                Add(snapshot, r.Category, r.Twk, r.Tiu, r.Tkp, r.ThresholdMet, reused: true);
                break;
        }

        snapshot.LastSequence = e.Sequence;
        return snapshot;
    }

    private static void Add(SkdDistribution distribution, FormationCategory category, int twk, int tiu, int tkp, bool met, bool reused)
    {
        var scores = distribution.Categories.Find(c => c.Category == category);
        if (scores is null)
        {
            scores = new CategoryScores { Category = category };
            distribution.Categories.Add(scores);
            distribution.Categories.Sort((a, b) => a.Category.CompareTo(b.Category));
        }

        scores.Results++;
        scores.CertificatesReused += reused ? 1 : 0;
        scores.ThresholdMet += met ? 1 : 0;
        scores.Twk.Add(twk);
        scores.Tiu.Add(tiu);
        scores.Tkp.Add(tkp);
        scores.Total.Add(twk + tiu + tkp);
    }
}
