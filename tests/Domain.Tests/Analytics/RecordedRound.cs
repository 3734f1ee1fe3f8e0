using Merit.Analytics.WhatIf;
using Merit.Deciding;
using Merit.Recruitment;
using Xunit;

namespace Merit.Tests.Analytics;

/// <summary>
/// A round taken through its stages by the product's own decisions, in memory: every accepted decision's events are
/// appended to their streams with a global sequence, as the event store would, and folded into the states the next
/// decision is taken on. <see cref="Records"/> gives each formation's events as the what-if reads them.
/// </summary>
public sealed class RecordedRound
{
    private static readonly DateTimeOffset Start = new(2024, 8, 19, 0, 0, 0, TimeSpan.FromHours(7));

    private readonly Dictionary<Guid, List<RecordedEvent>> streams = [];
    private readonly Dictionary<Guid, Formation> formations = [];
    private readonly Dictionary<Guid, Application> applications = [];
    private readonly Dictionary<Guid, DateOnly> birthDates = [];
    private long sequence;

    public RecordedRound(string ruleSet = "CPNS-2024", string code = "WHATIF-2024")
    {
        Round = Append(RoundDecisions.Open(null, new OpenRound(code, code, ruleSet, Start)), null);
    }

    public Round Round { get; private set; }

    public RuleSet Rules => Round.Rules();

    public IReadOnlyCollection<Formation> Formations => formations.Values;

    public IReadOnlyCollection<Application> Applications => applications.Values;

    public IEnumerable<object> Events => streams.Values.SelectMany(s => s).OrderBy(e => e.Sequence).Select(e => e.Data);

    public void AdvanceTo(RoundStage stage)
    {
        while (Round.Stage < stage)
        {
            var next = Round.Rules().StageOrder.SkipWhile(s => s != Round.Stage).Skip(1).First();
            Round = Append(RoundDecisions.Advance(Round, new AdvanceRoundStage(Round.Id, next, Now)), Round);
        }
    }

    public Formation Open(string code, string instansi, string position, string location, FormationCategory category, int allocation)
    {
        Append(FormationDecisions.Open(Round, null, new OpenFormation(Round.Id, code, instansi, position, location, category, allocation, EducationLevel.S1, Now)), Round);
        return formations[FormationDecisions.IdFor(Round.Id, code)];
    }

    public Application Register(Formation formation, string number, Sex sex, DateOnly birthDate, decimal gpa = 3.50m)
    {
        var command = new RegisterApplicant(Round.Id, formation.Id, number, Guid.NewGuid(), sex, birthDate, EducationLevel.S1, gpa, Now);
        Append(ApplicationDecisions.Register(Round, formation, null, false, command), Round);
        var id = ApplicationDecisions.IdFor(Round.Id, number);
        birthDates[id] = birthDate;
        return applications[id];
    }

    public void Verify(Application application, AdministrativeResult result) =>
        Append(ApplicationDecisions.Verify(Round, applications[application.Id], new VerifyApplication(application.Id, result, "dokumen", Now)), Round);

    public void Skd(Application application, SkdScore score) =>
        Append(ApplicationDecisions.RecordSkd(Round, formations[application.FormationId], applications[application.Id], new RecordSkdResult(application.Id, score, Now)), Round);

    public void SkdAbsent(Application application) =>
        Append(SkdStageDecisions.RecordAbsence(Round, applications[application.Id], new RecordSkdAbsence(application.Id, Now)), Round);

    public void CutOffs()
    {
        foreach (var formation in formations.Values.OrderBy(f => f.Code, StringComparer.Ordinal).ToList())
        {
            Append(SelectionDecisions.DecideSkdCutOff(Round, formations[formation.Id], Of(formation), new DecideSkdCutOff(formation.Id, Now)), Round);
        }
    }

    public void Skb(Application application, decimal? score)
    {
        var current = applications[application.Id];
        Append(score is { } s
            ? SkbDecisions.Record(Round, formations[current.FormationId], current, new RecordSkbResult(current.Id, s, null, Now))
            : SkbDecisions.RecordAbsence(Round, current, new RecordSkbAbsence(current.Id, Now)), Round);
    }

    public void Finals()
    {
        foreach (var formation in formations.Values.OrderBy(f => f.Code, StringComparer.Ordinal).ToList())
        {
            Append(SelectionDecisions.DecideFinal(Round, formations[formation.Id], Of(formation), birthDates, new DecideFinalResult(formation.Id, Now)), Round);
        }
    }

    /// <summary>Fills every vacant formation from its pool, best first, one place at a time, in formation code order.</summary>
    public int Optimise()
    {
        var placed = 0;
        foreach (var id in formations.Values.OrderBy(f => f.Code, StringComparer.Ordinal).Select(f => f.Id).ToList())
        {
            while (formations[id].Vacant > 0)
            {
                var target = formations[id];
                var pool = AppointmentDecisions.Pool(target, applications.Values.Select(a => (formations[a.FormationId], a)), Rules);
                if (pool.Count == 0)
                {
                    break;
                }

                var best = pool[0].Application;
                Append(AppointmentDecisions.ProposeOptimisation(Round, target, pool, best, new ProposeOptimisation(target.Id, best.Id, "usul PPK", Now)), Round);
                Append(AppointmentDecisions.DecideOptimisationProposal(Round, formations[id], applications[best.Id], new DecideOptimisationProposal(target.Id, best.Id, true, "disetujui Panselnas", Now)), Round);
                placed++;
            }
        }

        return placed;
    }

    public void Withdraw(Application application) =>
        Append(AppointmentDecisions.Withdraw(Round, applications[application.Id], new WithdrawAfterPassing(application.Id, "pindah kerja", Now)), Round);

    public Application Current(Application application) => applications[application.Id];

    /// <summary>Each formation's record, folded from its stream and its applications' streams in sequence order.</summary>
    public IReadOnlyList<FormationRecord> Records() => formations.Values
        .OrderBy(f => f.Position, StringComparer.Ordinal).ThenBy(f => f.Code, StringComparer.Ordinal)
        .Select(f => FormationRecord.Fold(
            applications.Values.Where(a => a.FormationId == f.Id).SelectMany(a => streams[a.Id]).Concat(streams[f.Id]).OrderBy(e => e.Sequence)))
        .ToList();

    /// <summary>The formation ids whose streams hold decisions after the final result.</summary>
    public IReadOnlySet<Guid> WithDecisionsAfterFinal() => formations.Keys
        .Where(id => streams[id].Any(e => e.Data is VacancyFilledByOptimisation or PlaceVacatedByWithdrawal))
        .ToHashSet();

    /// <summary>Runs a what-if over the records, holding the groups with decisions after the final result as the Host does.</summary>
    public (WhatIfOutcome Outcome, List<FormationComparison> Formations) WhatIf(RuleSet variant)
    {
        var rows = new List<FormationComparison>();
        var run = new WhatIfRun(Round, Rules, variant, rows.Add);
        var after = WithDecisionsAfterFinal();
        var heldGroups = formations.Values.Where(f => after.Contains(f.Id)).Select(f => f.Position).ToHashSet();
        string? group = null;
        foreach (var record in Records())
        {
            if (group is not null && group != record.Formation.Position)
            {
                run.CompleteGroup();
            }

            group = record.Formation.Position;
            run.Add(record, heldGroups.Contains(record.Formation.Position));
        }

        return (run.Complete(), rows);
    }

    private DateTimeOffset Now => Start.AddMinutes(sequence);

    private List<Application> Of(Formation formation) => applications.Values.Where(a => a.FormationId == formation.Id).ToList();

    private Round Append(Decision decision, Round? round)
    {
        Assert.Null(decision.Refusal);
        foreach (var e in decision.Events)
        {
            var stream = e switch
            {
                IApplicationEvent a => a.ApplicationId,
                IFormationEvent f => f.FormationId,
                RoundOpened r => r.RoundId,
                RoundStageAdvanced r => r.RoundId,
                _ => throw new InvalidOperationException($"No stream for {e.GetType().Name}."),
            };
            if (!streams.TryGetValue(stream, out var list))
            {
                streams[stream] = list = [];
            }

            list.Add(new RecordedEvent(++sequence, e));
            switch (e)
            {
                case IApplicationEvent a:
                    applications[a.ApplicationId] = Application.Evolve(applications.GetValueOrDefault(a.ApplicationId), e)!;
                    break;
                case IFormationEvent f:
                    formations[f.FormationId] = Formation.Evolve(formations.GetValueOrDefault(f.FormationId), e)!;
                    break;
                default:
                    round = Round.Evolve(round, e);
                    break;
            }
        }

        return round!;
    }
}
