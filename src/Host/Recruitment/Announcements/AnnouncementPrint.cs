using Merit.Localization;

namespace Merit.Recruitment.Announcements;

/// <summary>
/// What an announcement prints, in one language: the edition issued, its list, the names read from the vault, the
/// root of the seal that covers it and the address of its proof. Every byte of the PDF and XLSX written from it is a
/// function of these values, so the same events, names and language give the same documents.
/// </summary>
public sealed record AnnouncementPrint(AnnouncementIssued Issued, AnnouncementList List, string SealRoot, Uri ProofUrl, IReadOnlyDictionary<Guid, string> Names, Texts Texts)
{
    public string Heading => Texts["announcement.heading"];

    public string Title => List.Kind switch
    {
        AnnouncementKind.SkdResult when RuleSetCatalog.Get(List.RuleSetVersion).Kind == SelectionKind.Pppk => Texts["announcement.title.competence"],
        _ => Texts["announcement.title." + List.Kind.Slug()],
    };

    public string NumberLine => Issued.Edition > 1
        ? Texts.Format("announcement.number", Issued.Number) + " · " + Texts.Format("announcement.edition", Issued.Edition)
        : Texts.Format("announcement.number", Issued.Number);

    public string DateLine => Texts.Format("announcement.date", Texts.Date(Issued.Date));

    public string RoundLine => Texts.Format("announcement.round", List.RoundName, List.RoundCode);

    public string InstansiLine => Texts.Format("announcement.instansi", List.InstansiCode);

    public string RuleSetLine => Texts.Format("announcement.rule-set", Issued.RuleSetVersion);

    public string DecisionsLine => Texts.Format("announcement.decisions", Issued.DecisionCount, Issued.FromSequence, Issued.ToSequence, Issued.DecisionsDigest);

    public string DigestLine => Texts.Format("announcement.list-digest", Issued.ListDigest);

    public string SealLine => Texts.Format("announcement.seal", Issued.SealId, SealRoot);

    public string ProofLine => Texts.Format("announcement.proof", ProofUrl);

    /// <summary>The lines under the title, in print order: number, date, round, instansi.</summary>
    public IReadOnlyList<string> IdentityLines => [NumberLine, DateLine, RoundLine, InstansiLine];

    /// <summary>Where the list comes from: rule set, decisions, list digest, seal, proof.</summary>
    public IReadOnlyList<string> ProvenanceLines => [RuleSetLine, DecisionsLine, DigestLine, SealLine, ProofLine];

    public string ColumnHeading(AnnouncementColumn column)
    {
        ArgumentNullException.ThrowIfNull(column);
        return column.Key.StartsWith("subtest:", StringComparison.Ordinal) ? column.Key["subtest:".Length..] : Texts[column.Key];
    }

    public string FormationLine(AnnouncedFormation formation)
    {
        ArgumentNullException.ThrowIfNull(formation);
        return Texts.Format("announcement.formation", formation.Code, formation.Position, formation.Location, formation.Category.Code(), formation.Allocation);
    }

    /// <summary>A cell as the document shows it: the name from the vault, a note in the language, a number with the language's decimal mark.</summary>
    public string Cell(AnnouncementRow row, int column)
    {
        ArgumentNullException.ThrowIfNull(row);
        var value = row.Cells[column];
        return List.Columns[column].Kind switch
        {
            ColumnKind.Name => NameOf(row.PersonId),
            ColumnKind.Note => Note(value),
            ColumnKind.Number => Texts.Number(value),
            _ => value,
        };
    }

    /// <summary>The codes the list uses, in the order of the legend, with their meaning.</summary>
    public IReadOnlyList<(string Code, string Meaning)> Legend()
    {
        var codeColumns = Enumerable.Range(0, List.Columns.Count).Where(i => List.Columns[i].Kind == ColumnKind.Code).ToList();
        return List.Rows.SelectMany(r => codeColumns.Select(i => r.Cells[i]))
            .Where(c => c.Length > 0)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .Select(code => (code, Texts["code." + code]))
            .ToList();
    }

    public string NameOf(Guid personId) => Names.TryGetValue(personId, out var name) ? name : Texts["name.unknown"];

    private string Note(string value)
    {
        if (value.Length == 0)
        {
            return "";
        }

        var parts = value.Split('|');
        return Texts.Format(parts[0], parts[1..]);
    }
}
