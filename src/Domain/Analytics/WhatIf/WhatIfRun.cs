using Merit.Recruitment;
using Merit.Recruitment.Ranking;

namespace Merit.Analytics.WhatIf;

/// <summary>
/// A what-if over one recorded round: formations are added one at a time as their records are read, each decided
/// again under the variant at once and counted — beside what was recorded — then dropped, so memory holds one
/// formation and the dimension totals. Only formations of a group with decisions after the final result
/// (optimisation, withdrawals) are held until <see cref="CompleteGroup"/>, since those decisions reach across the
/// group's formations (docs/adr/0039). Counts only: no applicant leaves this class.
/// </summary>
public sealed class WhatIfRun
{
    private static readonly int OutcomeKinds = Enum.GetValues<ApplicantOutcome>().Length;

    private readonly Round round;
    private readonly RuleSet own;
    private readonly RuleSet variant;
    private readonly Action<FormationComparison>? onFormation;
    private readonly List<(FormationRecord Record, FormationState Variant)> held = [];
    private readonly Tally actual = new();
    private readonly Tally decided = new();
    private readonly Dictionary<string, SortedDictionary<string, GroupTally>> dimensions = OutcomeSummary.Dimensions
        .ToDictionary(d => d, _ => new SortedDictionary<string, GroupTally>(StringComparer.Ordinal), StringComparer.Ordinal);
    private readonly long[,] transitions = new long[OutcomeKinds, OutcomeKinds];
    private long newlySelected;
    private long noLongerSelected;
    private long placementsNotPossible;
    private long withdrawalsNotApplicable;
    private long tiesWithoutSeniority;
    private int formations;

    /// <param name="round">The recorded round.</param>
    /// <param name="own">The rule set the round was decided under.</param>
    /// <param name="variant">The rule set to decide it again under (the own one reproduces what was decided).</param>
    /// <param name="onFormation">Receives each formation's comparison as soon as it is final.</param>
    public WhatIfRun(Round round, RuleSet own, RuleSet variant, Action<FormationComparison>? onFormation = null)
    {
        this.round = round ?? throw new ArgumentNullException(nameof(round));
        this.own = own ?? throw new ArgumentNullException(nameof(own));
        this.variant = variant ?? throw new ArgumentNullException(nameof(variant));
        this.onFormation = onFormation;
    }

    /// <summary>Adds one formation's record; <paramref name="hold"/> when its group has decisions recorded after the final result.</summary>
    public void Add(FormationRecord record, bool hold)
    {
        ArgumentNullException.ThrowIfNull(record);
        var state = RoundRedecision.Decide(round, variant, record, out var ties);
        tiesWithoutSeniority += ties;
        formations++;
        if (hold)
        {
            held.Add((record, state));
        }
        else
        {
            Count(record, state);
        }
    }

    /// <summary>Takes again the decisions after the final result of the held formations, group by group, and counts them.</summary>
    public void CompleteGroup()
    {
        foreach (var group in held.GroupBy(h => (h.Record.Formation.Position, h.Record.Formation.EducationLevel)))
        {
            var members = group.ToList();
            var (states, notPossible, notApplicable) = RoundRedecision.AfterFinal(
                round, variant, members.Select(m => m.Variant).ToList(), members.SelectMany(m => m.Record.AfterFinal));
            placementsNotPossible += notPossible;
            withdrawalsNotApplicable += notApplicable;
            for (var i = 0; i < members.Count; i++)
            {
                Count(members[i].Record, states[i]);
            }
        }

        held.Clear();
    }

    /// <summary>The answer, once every formation is added.</summary>
    public WhatIfOutcome Complete()
    {
        CompleteGroup();
        var list = new List<Transition>();
        for (var from = 0; from < OutcomeKinds; from++)
        {
            for (var to = 0; to < OutcomeKinds; to++)
            {
                if (from != to && transitions[from, to] > 0)
                {
                    list.Add(new Transition((ApplicantOutcome)from, (ApplicantOutcome)to, transitions[from, to]));
                }
            }
        }

        IReadOnlyList<GroupCounts> Groups(string dimension, bool variantSide) =>
            dimensions[dimension].Select(kv => new GroupCounts(kv.Key, (variantSide ? kv.Value.Variant : kv.Value.Actual).Counts())).ToList();
        IReadOnlyList<SelectionChange> Changes(string dimension) =>
            dimensions[dimension].Select(kv => new SelectionChange(kv.Key, kv.Value.NewlySelected, kv.Value.NoLongerSelected)).ToList();
        OutcomeSummary Summary(bool variantSide) => new(
            (variantSide ? decided : actual).Counts(), Groups("instansi", variantSide), Groups("category", variantSide), Groups("sex", variantSide), Groups("location", variantSide));

        return new WhatIfOutcome(
            formations,
            Summary(false),
            Summary(true),
            new OutcomeChanges(newlySelected, noLongerSelected, list, Changes("instansi"), Changes("category"), Changes("sex"), Changes("location")),
            new WhatIfRemarks(decided.Counts().AdmittedWithoutSkbResult, placementsNotPossible, withdrawalsNotApplicable, tiesWithoutSeniority));
    }

    private void Count(FormationRecord record, FormationState state)
    {
        var recorded = record.Formation;
        var formationActual = new Tally();
        var formationVariant = new Tally();
        var (newly, noLonger) = (0L, 0L);
        for (var i = 0; i < record.Applications.Count; i++)
        {
            var before = record.Applications[i];
            var after = state.Applications[i];
            var from = Outcomes.Of(recorded, before, own.HasStage(RoundStage.Skb));
            var to = Outcomes.Of(state.Formation, after, variant.HasStage(RoundStage.Skb));
            transitions[(int)from, (int)to]++;
            formationActual.Add(before, from);
            formationVariant.Add(after, to);
            var change = (before.IsPasser, after.IsPasser) switch { (false, true) => 1, (true, false) => -1, _ => 0 };
            newly += change > 0 ? 1 : 0;
            noLonger += change < 0 ? 1 : 0;
            foreach (var (dimension, key) in Keys(recorded, before))
            {
                if (!dimensions[dimension].TryGetValue(key, out var group))
                {
                    dimensions[dimension][key] = group = new GroupTally();
                }

                group.Actual.Add(before, from);
                group.Variant.Add(after, to);
                group.NewlySelected += change > 0 ? 1 : 0;
                group.NoLongerSelected += change < 0 ? 1 : 0;
            }
        }

        actual.Add(formationActual);
        decided.Add(formationVariant);
        newlySelected += newly;
        noLongerSelected += noLonger;
        onFormation?.Invoke(new FormationComparison(
            recorded.Code,
            recorded.InstansiCode,
            recorded.Position,
            recorded.Location,
            recorded.Category.Code(),
            recorded.Allocation,
            Side(own, recorded, record.Applications, formationActual),
            Side(variant, state.Formation, state.Applications, formationVariant),
            newly,
            noLonger));
    }

    private static FormationSide Side(RuleSet rules, Formation formation, IReadOnlyList<Application> applications, Tally counts)
    {
        var admitted = applications.Where(a => Outcomes.IsAdmitted(a.CutOff) && a.Skd is not null).Select(a => a.Skd!.Total).ToList();
        return new FormationSide(
            counts.Counts(),
            formation.CutOffDecided ? rules.SkbQuotaMultiplier * formation.Allocation : null,
            admitted.Count == 0 ? null : admitted.Min(),
            formation.FilledByOptimisation,
            formation.Vacant);
    }

    private static IEnumerable<(string Dimension, string Key)> Keys(Formation formation, Application application)
    {
        yield return ("instansi", formation.InstansiCode);
        yield return ("category", formation.Category.Code());
        yield return ("sex", application.Sex.ToString());
        yield return ("location", formation.Location);
    }

    private sealed class GroupTally
    {
        public Tally Actual { get; } = new();

        public Tally Variant { get; } = new();

        public long NewlySelected { get; set; }

        public long NoLongerSelected { get; set; }
    }

    /// <summary>The step counts of <see cref="OutcomeCounts"/>, accumulated.</summary>
    private sealed class Tally
    {
        private readonly long[] counts = new long[OutcomeCounts.Names.Count];

        public void Add(Application application, ApplicantOutcome outcome)
        {
            counts[0]++;
            var ms = application.Administrative == AdministrativeResult.MS;
            var scored = ms && application.Skd is not null;
            counts[1] += ms ? 1 : 0;
            counts[2] += scored ? 1 : 0;
            counts[3] += scored && application.SkdThresholdMet == true ? 1 : 0;
            counts[4] += Outcomes.IsAdmitted(application.CutOff) ? 1 : 0;
            counts[5] += application.FinalStatus == FinalStatus.PL ? 1 : 0;
            counts[6] += outcome == ApplicantOutcome.ReferredToPanselnas ? 1 : 0;
            counts[7] += application.PlacedInFormation is not null ? 1 : 0;
            counts[8] += application.Withdrawn ? 1 : 0;
            counts[9] += application.IsPasser ? 1 : 0;
            counts[10] += outcome == ApplicantOutcome.AdmittedWithoutSkbResult ? 1 : 0;
        }

        public void Add(Tally other)
        {
            for (var i = 0; i < counts.Length; i++)
            {
                counts[i] += other.counts[i];
            }
        }

        public OutcomeCounts Counts() => new(counts[0], counts[1], counts[2], counts[3], counts[4], counts[5], counts[6], counts[7], counts[8], counts[9], counts[10]);
    }
}
