namespace Merit.Recruitment;

/// <summary>Formation category (jenis kebutuhan): umum or one of the affirmative khusus categories (R09–R11, R43).</summary>
public enum FormationCategory
{
    /// <summary>Umum: general.</summary>
    Umum,
    /// <summary>Lulusan terbaik (cumlaude).</summary>
    Cumlaude,
    /// <summary>Diaspora.</summary>
    Diaspora,
    /// <summary>Penyandang disabilitas.</summary>
    Disabilitas,
    /// <summary>Putra/putri Papua.</summary>
    Papua,
    /// <summary>Putra/putri daerah tertinggal.</summary>
    DaerahTertinggal,
    /// <summary>Putra/putri Kalimantan (uses the umum thresholds).</summary>
    Kalimantan,
}

public static class FormationCategories
{
    private static readonly Dictionary<string, FormationCategory> ByCode = Enum.GetValues<FormationCategory>()
        .ToDictionary(c => c.Code(), StringComparer.Ordinal);

    /// <summary>The code used in files and rule sets: <c>umum</c>, <c>daerah_tertinggal</c>, ...</summary>
    public static string Code(this FormationCategory category) => category switch
    {
        FormationCategory.DaerahTertinggal => "daerah_tertinggal",
        _ => category.ToString().ToLowerInvariant(),
    };

    public static bool TryParse(string? code, out FormationCategory category) =>
        ByCode.TryGetValue(code ?? "", out category);

    public static FormationCategory Parse(string code) =>
        TryParse(code, out var category) ? category : throw new FormatException($"Unknown formation category '{code}'.");

    public static IEnumerable<string> Codes => ByCode.Keys;
}

/// <summary>Sex as recorded for analytics and the NIP sex digit; decisions never read it (R01).</summary>
public enum Sex
{
    M,
    F,
}

/// <summary>Education level (jenjang pendidikan) a formation requires and an applicant holds.</summary>
public enum EducationLevel
{
    SD,
    SLTP,
    SLTA,
    D1,
    D2,
    D3,
    D4,
    S1,
    S2,
    S3,
}
