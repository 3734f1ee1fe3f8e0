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

    public GeneratedRound(int formations, int applicants, int seed)
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
            var applicant = new ApplicantRow($"24{n:00000000}", formation.Code, random.Next(2) == 0 ? "M" : "F", birth, gpa, random.Next(100) < 88);
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

    public string ApplicantsCsv() => Csv("registration_number,formation_code,sex,birth_date,gpa",
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

    /// <summary>R13: passers ranked by total, TKP, TIU, TWK; competition ranks; admitted when rank ≤ 3 × allocation.</summary>
    public string ExpectedSkdCutOffCsv()
    {
        var lines = new List<string>();
        foreach (var formation in Formations.OrderBy(f => f.Code, StringComparer.Ordinal))
        {
            var passers = Applicants.Where(a => a.Formation == formation.Code && a.Skd is { } s && MeetsThreshold(formation.Category, s)).ToList();
            int Key(ApplicantRow a, int i) => i switch { 0 => a.Total, 1 => a.Skd!.Value.Tkp, 2 => a.Skd!.Value.Tiu, _ => a.Skd!.Value.Twk };
            foreach (var a in passers)
            {
                a.CutOffRank = 1 + passers.Count(b => Enumerable.Range(0, 4).Select(i => Key(b, i).CompareTo(Key(a, i))).FirstOrDefault(c => c != 0) > 0);
            }

            foreach (var a in passers.Where(a => a.CutOffRank <= 3 * formation.Allocation).OrderBy(a => a.CutOffRank).ThenBy(a => a.RegistrationNumber, StringComparer.Ordinal))
            {
                lines.Add($"{formation.Code},{a.CutOffRank},{a.RegistrationNumber},{a.Skd!.Value.Twk},{a.Skd.Value.Tiu},{a.Skd.Value.Tkp},{a.Total}");
            }
        }

        return Csv("formation_code,rank,registration_number,twk,tiu,tkp,total", lines);
    }

    public IEnumerable<string> Admitted() => Applicants.Where(a => a.CutOffRank is { } r && r <= 3 * Formations.Single(f => f.Code == a.Formation).Allocation).Select(a => a.RegistrationNumber);

    /// <summary>
    /// R14–R16: final = 0.40 × (SKD/550 × 100) + 0.60 × SKB, compared exactly (as final × 550 = 40·SKD + 330·SKB);
    /// ties by SKD total, TKP, TIU, TWK, GPA, older first; the top allocation pass unless a full tie straddles the last place.
    /// </summary>
    public string ExpectedFinalCsv()
    {
        var lines = new List<string>();
        foreach (var formation in Formations.OrderBy(f => f.Code, StringComparer.Ordinal))
        {
            var admitted = Applicants.Where(a => a.Formation == formation.Code && a.CutOffRank is { } r && r <= 3 * formation.Allocation).ToList();
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
                lines.Add(string.Create(CultureInfo.InvariantCulture, $"{formation.Code},{a.FinalRank},{a.RegistrationNumber},{a.Total},{a.Skb!.Value:0.00},{final:0.000},{(passed ? "P/L" : "TL")}"));
            }

            foreach (var a in admitted.Where(a => a.Skb is null).OrderBy(a => a.RegistrationNumber, StringComparer.Ordinal))
            {
                lines.Add($"{formation.Code},,{a.RegistrationNumber},{a.Total},,,TH");
            }
        }

        return Csv("formation_code,rank,registration_number,skd_total,skb_score,final_score,status", lines);
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

        public int Total => Skd is { } s ? s.Twk + s.Tiu + s.Tkp : 0;

        public int? CutOffRank { get; set; }

        public int? FinalRank { get; set; }
    }
}
