using System.Globalization;
using System.Text;
using Merit.Testing;

namespace Merit.Tests.Recruitment;

/// <summary>
/// A synthetic CPNS round with the brief's shapes (section 7): scores in their steps, special categories, ties
/// planted on purpose, a few absentees; generated from a seed, so every run is the same round. It also computes
/// the expected lists independently of the product's code, straight from the regulation's wording.
/// </summary>
public sealed class GeneratedRound
{
    private static readonly string[] Categories = ["umum", "umum", "umum", "umum", "umum", "cumlaude", "disabilitas", "papua", "kalimantan", "daerah_tertinggal"];
    private static readonly string[] Positions = ["Analis Kebijakan", "Pranata Komputer", "Auditor", "Perencana"];

    /// <param name="registeredOn">Gives every applicant a <c>registered_on</c> of the CPNS-2024 window (brief 2.2) in one of its
    /// forms — a date, a date-time in WIB (some at 01:00 on the window's last day), one in UTC, or none (the window's last
    /// day) — and makes every 25th applicant 35 on the day they applied, past 36 by the window's close or two years on.</param>
    public GeneratedRound(int formations, int applicants, int seed, bool registeredOn = false)
    {
        var random = new Random(seed);
        for (var f = 0; f < formations; f++)
        {
            Formations.Add(new FormationRow($"F{f:0000}", $"INST{f % 17:00}", Positions[f % Positions.Length], $"Lokasi {f % 23}", Categories[random.Next(Categories.Length)], 1 + random.Next(3)));
        }

        for (var n = 0; n < applicants; n++)
        {
            var formation = Formations[random.Next(formations)];
            var birth = new DateOnly(1992, 1, 1).AddDays(random.Next(0, 9 * 365));
            var gpa = Math.Round(2.5m + (decimal)random.NextDouble() * 1.5m, 2);
            var registered = registeredOn ? RegisteredOn(n) : null;
            if (registered is not null && n % 25 == 0)
            {
                // 36 on 2024-08-25: 35 on any earlier day of the window.
                birth = new DateOnly(1988, 8, 25);
            }

            var applicant = new ApplicantRow($"24{n:00000000}", formation.Code, random.Next(2) == 0 ? "M" : "F", birth, gpa, random.Next(100) < 88) { RegisteredOn = registered };
            if (applicant.Ms && random.Next(100) < 95)
            {
                // A planted tie: the same SKD scores as an earlier applicant of the same formation.
                var earlier = random.Next(100) < 6 ? Applicants.LastOrDefault(a => a.Formation == formation.Code && a.Skd is not null) : null;
                applicant.Skd = earlier?.Skd ?? (5 * random.Next(6, 31), 5 * random.Next(8, 36), random.Next(110, 226));
            }

            Applicants.Add(applicant);
        }
    }

    public List<FormationRow> Formations { get; } = [];

    /// <summary>The rule set the expected lists name on every line.</summary>
    public const string RuleSet = "CPNS-2024";

    /// <summary>A registered_on in one of the forms a file may give it, all inside the window 2024-08-20 to 2024-09-10; the 25th ones before the 25th of August.</summary>
    private static string RegisteredOn(int n) => (n % 25, n % 4) switch
    {
        (0, _) => $"2024-08-{20 + (n / 25 % 5):00}",
        (_, 0) => $"2024-08-{20 + (n % 11):00}",
        (_, 1) => "2024-09-10T01:00:00+07:00",
        (_, 2) => $"2024-09-0{1 + (n % 9)}T16:30:00Z",
        _ => "",
    };

    /// <summary>A round of this generation imported through the bulk paths up to stage Skd: applicants registered and verified.</summary>
    public async Task<Guid> ImportToSkdStageAsync(RecruitmentApi api, string code)
    {
        ArgumentNullException.ThrowIfNull(api);
        var round = await api.OpenRoundAsync(code);
        await api.ImportAsync(round, "formations", FormationsCsv());
        await api.AdvanceAsync(round, "Registration");
        await api.ImportAsync(round, "applicants", ApplicantsCsv());
        await api.AdvanceAsync(round, "AdministrativeSelection");
        await api.ImportAsync(round, "verification", VerificationCsv());
        await api.AdvanceAsync(round, "AdministrativeAppeal", "Skd");
        return round;
    }

    public List<ApplicantRow> Applicants { get; } = [];

    /// <summary>SKB scores for the admitted (one in twenty absent), at most two decimals, with planted exact ties.</summary>
    public void ScoreSkb(IEnumerable<string> admitted, int seed)
    {
        var random = new Random(seed);
        foreach (var number in admitted.Order(StringComparer.Ordinal))
        {
            var applicant = Applicants.Single(a => a.RegistrationNumber == number);
            applicant.Skb = random.Next(20) == 0 ? null : Math.Round(40m + (decimal)(random.Next(0, 6001) / 100.0), 2);
        }
    }

    public string FormationsCsv() => Csv("formation_code,instansi_code,position,location,category,allocation,education_level",
        Formations.Select(f => $"{f.Code},{f.Instansi},{f.Position},{f.Location},{f.Category},{f.Allocation},S1"));

    public string ApplicantsCsv() => Applicants.Any(a => a.RegisteredOn is not null)
        ? Csv("registration_number,formation_code,sex,birth_date,gpa,registered_on",
            Applicants.Select(a => $"{a.RegistrationNumber},{a.Formation},{a.Sex},{a.BirthDate:yyyy-MM-dd},{a.Gpa.ToString("0.00", CultureInfo.InvariantCulture)},{a.RegisteredOn}"))
        : Csv("registration_number,formation_code,sex,birth_date,gpa",
            Applicants.Select(a => $"{a.RegistrationNumber},{a.Formation},{a.Sex},{a.BirthDate:yyyy-MM-dd},{a.Gpa.ToString("0.00", CultureInfo.InvariantCulture)}"));

    public string VerificationCsv() => Csv("registration_number,result,reason",
        Applicants.Select(a => $"{a.RegistrationNumber},{(a.Ms ? "MS" : "TMS")},{(a.Ms ? "lengkap" : "ijazah tidak sesuai")}"));

    public string SkdCsv() => Csv("registration_number,twk,tiu,tkp",
        Applicants.Where(a => a.Skd is not null).Select(a => $"{a.RegistrationNumber},{a.Skd!.Value.Twk},{a.Skd.Value.Tiu},{a.Skd.Value.Tkp}"));

    public string SkbCsv() => Csv("registration_number,skb_score",
        Applicants.Where(a => a.Skb is not null).Select(a => $"{a.RegistrationNumber},{a.Skb!.Value.ToString("0.00", CultureInfo.InvariantCulture)}"));

    /// <summary>R09–R11 as the brief states them for 2024.</summary>
    public static bool MeetsThreshold(string category, (int Twk, int Tiu, int Tkp) s) => category switch
    {
        "cumlaude" or "diaspora" => s.Twk + s.Tiu + s.Tkp >= 311 && s.Tiu >= 85,
        "disabilitas" or "papua" or "daerah_tertinggal" => s.Twk + s.Tiu + s.Tkp >= 286 && s.Tiu >= 60,
        _ => s.Twk >= 65 && s.Tiu >= 80 && s.Tkp >= 166,
    };

    /// <summary>R13: threshold passers ranked by total, TKP, TIU, TWK, competition ranks (1, 2, 2, 4), kept on each applicant.</summary>
    private void RankCutOff()
    {
        foreach (var formation in Formations)
        {
            var passers = Applicants.Where(a => a.Formation == formation.Code && a.Skd is { } s && MeetsThreshold(formation.Category, s)).ToList();
            int Key(ApplicantRow a, int i) => i switch { 0 => a.Total, 1 => a.Skd!.Value.Tkp, 2 => a.Skd!.Value.Tiu, _ => a.Skd!.Value.Twk };
            foreach (var a in passers)
            {
                a.CutOffRank = 1 + passers.Count(b => Enumerable.Range(0, 4).Select(i => Key(b, i).CompareTo(Key(a, i))).FirstOrDefault(c => c != 0) > 0);
            }
        }
    }

    private bool IsAdmitted(ApplicantRow a) => a.CutOffRank is { } r && r <= 3 * Formations.Single(f => f.Code == a.Formation).Allocation;

    /// <summary>The SKB admission list: admitted when rank ≤ 3 × allocation, ties at the boundary included.</summary>
    public string ExpectedSkbAdmissionCsv()
    {
        RankCutOff();
        var lines = new List<string>();
        foreach (var formation in Formations.OrderBy(f => f.Code, StringComparer.Ordinal))
        {
            foreach (var a in Applicants.Where(a => a.Formation == formation.Code && IsAdmitted(a)).OrderBy(a => a.CutOffRank).ThenBy(a => a.RegistrationNumber, StringComparer.Ordinal))
            {
                lines.Add($"{formation.Code},{a.CutOffRank},{a.RegistrationNumber},{a.Skd!.Value.Twk},{a.Skd.Value.Tiu},{a.Skd.Value.Tkp},{a.Total},{RuleSet}");
            }
        }

        return Csv("formation_code,rank,registration_number,twk,tiu,tkp,total,rule_set_version", lines);
    }

    /// <summary>MS/TMS as announced after the administrative selection: the TMS reason, none for MS.</summary>
    public string ExpectedAdministrativeCsv() => Csv("formation_code,registration_number,result,reason,rule_set_version",
        Applicants.OrderBy(a => a.Formation, StringComparer.Ordinal).ThenBy(a => a.RegistrationNumber, StringComparer.Ordinal)
            .Select(a => $"{a.Formation},{a.RegistrationNumber},{(a.Ms ? "MS" : "TMS")},{(a.Ms ? "" : "ijazah tidak sesuai")},{RuleSet}"));

    /// <summary>Every MS applicant: the cut-off rank of a threshold passer, the scores, and P/L (admitted), P, TL or TH.</summary>
    public string ExpectedSkdResultsCsv()
    {
        RankCutOff();
        var lines = new List<string>();
        foreach (var formation in Formations.OrderBy(f => f.Code, StringComparer.Ordinal))
        {
            foreach (var a in Applicants.Where(a => a.Formation == formation.Code && a.Ms).OrderBy(a => a.CutOffRank ?? int.MaxValue).ThenBy(a => a.RegistrationNumber, StringComparer.Ordinal))
            {
                var status = a.Skd is null ? "TH" : IsAdmitted(a) ? "P/L" : a.CutOffRank is not null ? "P" : "TL";
                var scores = a.Skd is { } s ? $"{s.Twk},{s.Tiu},{s.Tkp},{a.Total}" : ",,,";
                lines.Add($"{formation.Code},{a.CutOffRank},{a.RegistrationNumber},{scores},{status},{RuleSet}");
            }
        }

        return Csv("formation_code,rank,registration_number,twk,tiu,tkp,total,status,rule_set_version", lines);
    }

    public IEnumerable<string> Admitted()
    {
        RankCutOff();
        return Applicants.Where(IsAdmitted).Select(a => a.RegistrationNumber);
    }

    /// <summary>
    /// R14–R16: final = 0.40 × (SKD/550 × 100) + 0.60 × SKB, compared exactly (as final × 550 = 40·SKD + 330·SKB);
    /// ties by SKD total, TKP, TIU, TWK, GPA, older first; the top allocation pass unless a full tie straddles the last place.
    /// Everyone else with the code of the stage they stopped at: TH absent from the SKB or the SKD, TMS, TL below the
    /// threshold, P beyond the SKB quota.
    /// </summary>
    public string ExpectedFinalCsv()
    {
        RankCutOff();
        var lines = new List<string>();
        foreach (var formation in Formations.OrderBy(f => f.Code, StringComparer.Ordinal))
        {
            var admitted = Applicants.Where(a => a.Formation == formation.Code && IsAdmitted(a)).ToList();
            var present = admitted.Where(a => a.Skb is not null).ToList();
            decimal Scaled(ApplicantRow a) => (40m * a.Total) + (330m * a.Skb!.Value);
            IComparable[] Keys(ApplicantRow a) => [Scaled(a), a.Total, a.Skd!.Value.Tkp, a.Skd.Value.Tiu, a.Skd.Value.Twk, a.Gpa, -a.BirthDate.DayNumber];
            int Compare(ApplicantRow x, ApplicantRow y) => Keys(x).Zip(Keys(y)).Select(p => p.First.CompareTo(p.Second)).FirstOrDefault(c => c != 0);
            foreach (var a in present)
            {
                a.FinalRank = 1 + present.Count(b => Compare(b, a) > 0);
            }

            foreach (var a in present.OrderBy(a => a.FinalRank).ThenBy(a => a.RegistrationNumber, StringComparer.Ordinal))
            {
                var group = present.Count(b => b.FinalRank == a.FinalRank);
                var passed = a.FinalRank + group - 1 <= formation.Allocation;
                var final = Math.Round(Scaled(a) / 550m, 3, MidpointRounding.AwayFromZero);
                lines.Add(string.Create(CultureInfo.InvariantCulture, $"{formation.Code},{a.FinalRank},{a.RegistrationNumber},{a.Total},{a.Skb!.Value:0.00},{final:0.000},{(passed ? "P/L" : "TL")},,,{RuleSet}"));
            }

            foreach (var a in Applicants.Where(a => a.Formation == formation.Code && !present.Contains(a)).OrderBy(a => a.RegistrationNumber, StringComparer.Ordinal))
            {
                var (total, status) = !a.Ms ? ("", "TMS")
                    : a.Skd is null ? ("", "TH")
                    : admitted.Contains(a) ? (Total(a), "TH")
                    : a.CutOffRank is not null ? (Total(a), "P")
                    : (Total(a), "TL");
                lines.Add($"{formation.Code},,{a.RegistrationNumber},{total},,,{status},,,{RuleSet}");
            }
        }

        return Csv("formation_code,rank,registration_number,skd_total,skb_score,final_score,status,sub_code,placed_in,rule_set_version", lines);

        static string Total(ApplicantRow a) => a.Total.ToString(CultureInfo.InvariantCulture);
    }

    private static string Csv(string header, IEnumerable<string> lines)
    {
        var builder = new StringBuilder(header).Append('\n');
        foreach (var line in lines)
        {
            builder.Append(line).Append('\n');
        }

        return builder.ToString();
    }

    public sealed record FormationRow(string Code, string Instansi, string Position, string Location, string Category, int Allocation);

    public sealed class ApplicantRow(string registrationNumber, string formation, string sex, DateOnly birthDate, decimal gpa, bool ms)
    {
        public string RegistrationNumber => registrationNumber;

        public string Formation => formation;

        public string Sex => sex;

        public DateOnly BirthDate => birthDate;

        public decimal Gpa => gpa;

        public bool Ms => ms;

        public (int Twk, int Tiu, int Tkp)? Skd { get; set; }

        public decimal? Skb { get; set; }

        /// <summary>The registered_on field as the file gives it; null when the file has no such column.</summary>
        public string? RegisteredOn { get; init; }

        public int Total => Skd is { } s ? s.Twk + s.Tiu + s.Tkp : 0;

        public int? CutOffRank { get; set; }

        public int? FinalRank { get; set; }
    }
}
