namespace Merit.Security;

/// <summary>
/// Who may do what: every endpoint declares one of these, or a combination, with [Authorize(Roles = …)].
/// </summary>
public static class Roles
{
    /// <summary>Panitia seleksi: records decisions, only in the rounds of its scope.</summary>
    public const string Committee = "committee";

    /// <summary>BPK, BPKP, inspectorates: read every history, verify, explain; change nothing.</summary>
    public const string Auditor = "auditor";

    /// <summary>KemenPANRB, BKN analysts: analytics only, never a case or personal data.</summary>
    public const string Analyst = "analyst";

    /// <summary>Rounds, rule sets, keys.</summary>
    public const string Admin = "admin";

    public const string CommitteeOrAuditor = Committee + "," + Auditor;

    public const string Anyone = Committee + "," + Auditor + "," + Analyst + "," + Admin;

    public static readonly IReadOnlyList<string> All = [Committee, Auditor, Analyst, Admin];
}
