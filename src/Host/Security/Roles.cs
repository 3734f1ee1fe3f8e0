namespace Merit.Security;

/// <summary>
/// Who may do what: every endpoint declares one of these, or a combination, with [Authorize(Roles = …)]. Each role is
/// one office of the regulation, so a decision taken by one office is never open to another (docs/adr/0052);
/// docs/security.md lists every endpoint with its roles.
/// </summary>
public static class Roles
{
    /// <summary>Panitia seleksi: the committee of a round or selection; records its decisions, only in the rounds of its scope.</summary>
    public const string Committee = "committee";

    /// <summary>BPK, BPKP, inspectorates: read every history, verify, explain; change nothing.</summary>
    public const string Auditor = "auditor";

    /// <summary>KemenPANRB, BKN analysts: analytics only, never a case or personal data.</summary>
    public const string Analyst = "analyst";

    /// <summary>Rounds, rule sets, keys.</summary>
    public const string Admin = "admin";

    /// <summary>
    /// BKN: Badan Kepegawaian Negara; blocks and unblocks a civil servant's services (pemblokiran, Peraturan BKN
    /// 1/2023) and approves or rejects promotion proposals (persetujuan teknis).
    /// </summary>
    public const string Bkn = "bkn";

    /// <summary>
    /// PPK: Pejabat Pembina Kepegawaian; appoints (PNS after probation, the JPT pick of the three names), forms the
    /// pansel by decree, imposes disciplinary sentences, proposes optimalisasi.
    /// </summary>
    public const string Ppk = "ppk";

    /// <summary>Panselnas: Panitia Seleksi Nasional; decides optimalisasi proposals and resolves ties referred to it.</summary>
    public const string Panselnas = "panselnas";

    /// <summary>Anggota pansel JPT: one member of a JPT selection's pansel; scores and declares conflicts as themself (the token's subject is the member code).</summary>
    public const string PanselMember = "pansel-member";

    public const string CommitteeOrAuditor = Committee + "," + Auditor;

    public const string Anyone = Committee + "," + Auditor + "," + Analyst + "," + Admin;

    public static readonly IReadOnlyList<string> All = [Committee, Auditor, Analyst, Admin, Bkn, Ppk, Panselnas, PanselMember];
}
