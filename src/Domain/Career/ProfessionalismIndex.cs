namespace Merit.Career;

/// <summary>The weights of the four dimensions of the IP ASN (brief 1.6); they sum to 1.</summary>
public sealed record IpAsnWeights(decimal Qualification, decimal Competence, decimal Performance, decimal Discipline)
{
    public decimal Sum => Qualification + Competence + Performance + Discipline;
}

/// <summary>Competence as the career record evidences it: a latsar pass, ujian dinas passed (up to a count), credit points on record.</summary>
public sealed record IpAsnCompetence(decimal LatsarPassed, decimal PerServiceExam, int ServiceExamsCounted, decimal CreditPoints);

/// <summary>Discipline: the sub-score with no sentence, and per level of the worst sentence within the look-back.</summary>
public sealed record IpAsnDiscipline(decimal None, decimal Light, decimal Medium, decimal Heavy, int LookbackYears);

/// <summary>An IP ASN band from its lower bound on (R03).</summary>
public sealed record IpAsnBand(string Label, decimal From);

/// <summary>
/// Indeks Profesionalitas ASN as a versioned scoring policy (brief 1.6, R03): the dimension weights, the 0–100 sub-score
/// tables read from the career record (qualification by education, competence, the SKP predicate, discipline) and the bands.
/// </summary>
public sealed record IpAsnRuleSet(
    string Version,
    DateOnly EffectiveFrom,
    IReadOnlyList<string> Sources,
    IpAsnWeights Weights,
    IReadOnlyDictionary<string, decimal> Qualification,
    IpAsnCompetence Competence,
    IReadOnlyDictionary<string, decimal> Performance,
    IpAsnDiscipline Discipline,
    IReadOnlyList<IpAsnBand> Bands) : ICareerRuleSet
{
    /// <summary>R03: the band of a total (≥91 Sangat Tinggi … ≤60 Sangat Rendah).</summary>
    public IpAsnBand BandOf(decimal total) => Bands.Where(b => b.From <= total).MaxBy(b => b.From) ?? Bands.MinBy(b => b.From)!;

    public static CareerCatalog<IpAsnRuleSet> Catalog { get; } = new("ip-asn-");
}

/// <summary>One civil servant's IP ASN on a date: the four sub-scores (0–100), the weighted total (two decimals) and its band.</summary>
public sealed record IpAsnScore(DateOnly AsOf, decimal Qualification, decimal Competence, decimal Performance, decimal Discipline, decimal Total, string Band, string RuleSetVersion);

/// <summary>The IP ASN computed from the career record Merit holds: a pure function of the record, a date and the rule set.</summary>
public static class ProfessionalismIndex
{
    public static IpAsnScore Compute(CareerRecord record, DateOnly asOf, IpAsnRuleSet rules)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(rules);

        // Kualifikasi: the best-scored education acquired by then.
        var qualification = record.EducationsOn(asOf).Select(e => rules.Qualification.GetValueOrDefault(e.Education.ToString())).DefaultIfEmpty(0).Max();

        // Kompetensi: what the record evidences, capped at 100.
        var c = rules.Competence;
        var exams = record.ServiceExams.Count(e => e.On <= asOf && e.ExemptionReason is null);
        var competence = Math.Min(100m,
            (record.Latsar is { Passed: true } latsar && latsar.CompletedOn <= asOf ? c.LatsarPassed : 0)
            + (Math.Min(exams, c.ServiceExamsCounted) * c.PerServiceExam)
            + (record.CreditPoints is { } points && points.On <= asOf ? c.CreditPoints : 0));

        // Kinerja: the latest SKP predicate rated for a year up to this one.
        var latest = record.Predicates.Where(p => p.Key <= asOf.Year).OrderByDescending(p => p.Key).Select(p => (Predicate?)p.Value).FirstOrDefault();
        var performance = latest is { } predicate ? rules.Performance.GetValueOrDefault(predicate.ToString()) : rules.Performance.GetValueOrDefault("unrated");

        // Disiplin: the worst sentence overlapping the look-back window.
        var d = rules.Discipline;
        var worst = record.Sentences.Where(s => s.Overlaps(asOf.AddYears(-d.LookbackYears), asOf)).Select(s => (DisciplineLevel?)s.Level).Max();
        var discipline = worst switch
        {
            null => d.None,
            DisciplineLevel.Light => d.Light,
            DisciplineLevel.Medium => d.Medium,
            _ => d.Heavy,
        };

        var w = rules.Weights;
        var total = decimal.Round((w.Qualification * qualification) + (w.Competence * competence) + (w.Performance * performance) + (w.Discipline * discipline), 2, MidpointRounding.AwayFromZero);
        return new IpAsnScore(asOf, qualification, competence, performance, discipline, total, rules.BandOf(total).Label, rules.Version);
    }
}
