namespace Merit.Career;

/// <summary>
/// Pendidikan: the qualification that sets the entry rank and the ceiling of regular promotion (brief 3.1). The
/// ceiling of each, and so which is "highest", is data of the promotion rule set.
/// </summary>
public enum Education
{
    SD,
    SLTP,
    /// <summary>SLTP kejuruan: vocational lower secondary.</summary>
    SLTPKejuruan,
    /// <summary>SLTA: upper secondary.</summary>
    SLTA,
    D1,
    D2,
    D3,
    /// <summary>Sarjana Muda: treated as D-III.</summary>
    SarjanaMuda,
    /// <summary>SGPLB: special-education teacher school.</summary>
    SGPLB,
    D4,
    S1,
    S2,
    Dokter,
    Apoteker,
    S3,
}

/// <summary>Predikat kinerja: the yearly SKP predicate (PermenPANRB 6/2022, brief 3.3).</summary>
public enum Predicate
{
    SangatBaik,
    Baik,
    ButuhPerbaikan,
    /// <summary>Kurang / misconduct.</summary>
    Kurang,
    SangatKurang,
}

/// <summary>Status kepegawaian: where a civil servant's appointment stands.</summary>
public enum ServantStatus
{
    /// <summary>CPNS: candidate on probation (R19).</summary>
    Cpns,
    /// <summary>PNS: appointed civil servant.</summary>
    Pns,
    /// <summary>Diberhentikan sebagai CPNS: probation ended without appointment (R19).</summary>
    DismissedAsCpns,
}

/// <summary>Jenis jabatan (UU 20/2023 Pasal 13–18, brief 3.4): managerial or non-managerial position.</summary>
public enum PositionKind
{
    /// <summary>Jabatan pelaksana: non-managerial, non-functional.</summary>
    Pelaksana,
    /// <summary>Jabatan fungsional (JF), with a <see cref="FunctionalLevel"/>.</summary>
    Fungsional,
    /// <summary>Jabatan pengawas.</summary>
    Pengawas,
    /// <summary>Jabatan administrator.</summary>
    Administrator,
    /// <summary>JPT pratama.</summary>
    JptPratama,
    /// <summary>JPT madya.</summary>
    JptMadya,
    /// <summary>JPT utama.</summary>
    JptUtama,
}

/// <summary>Jenjang jabatan fungsional: keterampilan (Pemula…Penyelia) and keahlian (Ahli Pertama…Ahli Utama).</summary>
public enum FunctionalLevel
{
    Pemula,
    Terampil,
    Mahir,
    Penyelia,
    AhliPertama,
    AhliMuda,
    AhliMadya,
    AhliUtama,
}

/// <summary>Tingkat hukuman disiplin: light, medium or heavy (ringan, sedang, berat).</summary>
public enum DisciplineLevel
{
    /// <summary>Ringan.</summary>
    Light,
    /// <summary>Sedang.</summary>
    Medium,
    /// <summary>Berat.</summary>
    Heavy,
}

/// <summary>Ujian dinas (service exam): tingkat I for II/d → III/a, tingkat II for III/d → IV/a (R30).</summary>
public enum ServiceExamLevel
{
    /// <summary>Ujian dinas tingkat I.</summary>
    I,
    /// <summary>Ujian dinas tingkat II.</summary>
    II,
}

/// <summary>Jenis kenaikan pangkat: the route a promotion takes.</summary>
public enum PromotionRoute
{
    /// <summary>KP reguler (R28): pelaksana and positions without a route of their own.</summary>
    Regular,
    /// <summary>KP pilihan, jabatan fungsional (R29).</summary>
    Functional,
}
