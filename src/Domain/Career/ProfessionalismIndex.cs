namespace Merit.Career;

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
