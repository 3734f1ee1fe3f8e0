using Merit.Deciding;

namespace Merit.Career;

/// <summary>Sumbu kinerja (performance axis): di bawah, sesuai, di atas ekspektasi.</summary>
public enum PerformanceLevel
{
    /// <summary>Di bawah ekspektasi.</summary>
    Below,
    /// <summary>Sesuai ekspektasi.</summary>
    Meets,
    /// <summary>Di atas ekspektasi.</summary>
    Above,
}

/// <summary>Sumbu potensial (potential axis): rendah, menengah, tinggi.</summary>
public enum PotentialLevel
{
    /// <summary>Rendah.</summary>
    Low,
    /// <summary>Menengah.</summary>
    Medium,
    /// <summary>Tinggi.</summary>
    High,
}

/// <summary>The 9-box numbering: performance level → potential level → box 1..9.</summary>
public sealed record TalentMatrix(IReadOnlyDictionary<PerformanceLevel, IReadOnlyDictionary<PotentialLevel, int>> Cells, IReadOnlyList<int> SuccessionBoxes)
{
    public int BoxOf(PerformanceLevel performance, PotentialLevel potential) => Cells[performance][potential];

    /// <summary>Null when the matrix numbers each of the 9 cells with a distinct box 1..9 and names a succession group among them; else the problem.</summary>
    public string? Problem()
    {
        var boxes = Enum.GetValues<PerformanceLevel>()
            .SelectMany(p => Enum.GetValues<PotentialLevel>().Select(q => Cells.TryGetValue(p, out var row) && row.TryGetValue(q, out var box) ? box : 0))
            .ToList();
        if (boxes.Contains(0))
        {
            return "every cell of the 3 × 3 matrix is numbered";
        }

        if (!boxes.Order().SequenceEqual(Enumerable.Range(1, 9)))
        {
            return "the cells are numbered 1 to 9, each number once";
        }

        return SuccessionBoxes.Count == 0 || SuccessionBoxes.Any(b => b is < 1 or > 9) || SuccessionBoxes.Distinct().Count() != SuccessionBoxes.Count
            ? "the succession group names distinct boxes among 1 to 9"
            : null;
    }
}

/// <summary>An instansi adopted its own 9-box numbering (brief 3.7 [V], conflict 8.6), named by a version of its own.</summary>
public sealed record TalentMatrixAdopted(Guid MatrixId, string InstansiCode, string Version, TalentMatrix Matrix, string RuleSetVersion, DateTimeOffset At);

/// <summary>An instansi's 9-box numbering in force. Rebuilt from its events.</summary>
public sealed record InstansiTalentMatrix(Guid Id, string InstansiCode, string Version, TalentMatrix Matrix)
{
    public static InstansiTalentMatrix? Evolve(InstansiTalentMatrix? state, object @event) => @event switch
    {
        TalentMatrixAdopted e => new InstansiTalentMatrix(e.MatrixId, e.InstansiCode, e.Version, e.Matrix),
        _ => state,
    };
}

/// <summary>
/// Pemetaan talenta: the civil servant's 9-box for a year by the matrix in force for the instansi, whether the box
/// is in the succession group (R39), and the track-record screen with its findings (R40).
/// </summary>
public sealed record TalentMapped(
    Guid ServantId,
    string InstansiCode,
    int Year,
    PerformanceLevel Performance,
    PotentialLevel Potential,
    int Box,
    string MatrixVersion,
    bool InSuccessionBox,
    bool TrackRecordPassed,
    IReadOnlyList<string> TrackRecordFindings,
    bool SuccessionCandidate,
    string RuleSetVersion,
    DateTimeOffset At) : ICareerEvent;

public sealed record AdoptTalentMatrix(string InstansiCode, string Version, TalentMatrix Matrix, DateTimeOffset Now);

/// <summary>Map a civil servant; without <see cref="Performance"/>, the axis comes from the SKP of the two years before <see cref="On"/>.</summary>
public sealed record MapTalent(Guid ServantId, int Year, PerformanceLevel? Performance, PotentialLevel Potential, DateOnly On, DateTimeOffset Now);

public static class TalentDecisions
{
    public static Guid MatrixIdFor(string instansiCode) => StableId.For("talent-matrix", instansiCode);

    /// <summary>[I] The performance axis from the last two SKP years: both Sangat Baik = above, both at least Baik = meets, else below; null when one is missing.</summary>
    public static PerformanceLevel? PerformanceFromSkp(CareerRecord record, DateOnly on)
    {
        ArgumentNullException.ThrowIfNull(record);
        var last = new[] { record.PredicateOf(on.Year - 1), record.PredicateOf(on.Year - 2) };
        if (last.Any(p => p is null))
        {
            return null;
        }

        return last.All(p => p == Predicate.SangatBaik) ? PerformanceLevel.Above
            : last.All(p => p is Predicate.SangatBaik or Predicate.Baik) ? PerformanceLevel.Meets
            : PerformanceLevel.Below;
    }

    /// <summary>R40: the sentences of a failing level and the ethics violations within the last years before <paramref name="on"/>.</summary>
    public static IReadOnlyList<string> TrackRecordFindings(CareerRecord record, DateOnly on, TrackRecordRules rules)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(rules);
        var from = on.AddYears(-rules.Years);
        var findings = record.Sentences
            .Where(s => rules.FailingLevels.Contains(s.Level) && s.Overlaps(from, on))
            .Select(s => $"{s.Level} disciplinary sentence {s.DecreeNumber} ({PromotionEligibility.Iso(s.Start)}–{PromotionEligibility.Iso(s.Until)}) within the last {rules.Years} years")
            .ToList();
        if (rules.EthicsViolationsFail)
        {
            findings.AddRange(record.EthicsViolations.Where(d => d >= from && d <= on).Select(d => $"ethics violation on {PromotionEligibility.Iso(d)} within the last {rules.Years} years"));
        }

        return findings;
    }

    public static Decision Adopt(InstansiTalentMatrix? current, AdoptTalentMatrix command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (command.Matrix.Problem() is { } problem)
        {
            return new Refusal(RefusalKind.Invalid, "talent.matrix", $"The matrix is refused: {problem} (R39).", "cells");
        }

        if (current?.Version == command.Version)
        {
            return new Refusal(RefusalKind.Conflict, "talent.matrix-version", $"Version {command.Version} is already in force; a change is a new version.", "version");
        }

        var rules = CareerRuleSets.Talent.InForceOn(DateOnly.FromDateTime(command.Now.UtcDateTime)) ?? CareerRuleSets.Talent.RuleSets[^1];
        return Decision.Accept(new TalentMatrixAdopted(MatrixIdFor(command.InstansiCode), command.InstansiCode, command.Version, command.Matrix, rules.Version, command.Now));
    }

    /// <summary>R39 and R40: the box by the instansi's matrix (or the default), the succession group, and the track-record screen.</summary>
    public static Decision Map(CareerRecord? record, InstansiTalentMatrix? instansiMatrix, MapTalent command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (record is null)
        {
            return CareerDecisions.Missing(command.ServantId);
        }

        if (record.Status != ServantStatus.Pns)
        {
            return new Refusal(RefusalKind.Rule, "talent.not-pns", "Talent mapping is for PNS.");
        }

        if ((command.Performance ?? PerformanceFromSkp(record, command.On)) is not { } performance)
        {
            return new Refusal(RefusalKind.Invalid, "talent.performance-unknown", $"No SKP for {command.On.Year - 2} and {command.On.Year - 1}: give the performance level.", "performance");
        }

        var rules = CareerRuleSets.Talent.InForceOn(command.On) ?? CareerRuleSets.Talent.RuleSets[0];
        var matrix = instansiMatrix?.Matrix ?? rules.DefaultMatrix;
        var box = matrix.BoxOf(performance, command.Potential);
        var findings = TrackRecordFindings(record, command.On, rules.TrackRecord);
        var inSuccession = matrix.SuccessionBoxes.Contains(box);
        return Decision.Accept(new TalentMapped(
            record.Id, record.InstansiCode, command.Year, performance, command.Potential, box, instansiMatrix?.Version ?? rules.Version,
            inSuccession, findings.Count == 0, findings, inSuccession && findings.Count == 0, rules.Version, command.Now));
    }
}
