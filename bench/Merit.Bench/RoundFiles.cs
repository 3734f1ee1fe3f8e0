using System.Globalization;
using System.Text;

namespace Merit.Bench;

/// <summary>
/// A generated CPNS round as the files it arrives in, with the brief's shapes (section 7), after the generator of
/// tests/Host.Tests/Recruitment/GeneratedRound but linear in the round's size: SKD scores in their steps (TWK and
/// TIU by 5, TKP by 1), special categories, popular and unpopular formations, 12 % TMS, 5 % absent, planted exact
/// ties (an earlier applicant's scores of the same formation), one SKB absentee in twenty. Seeded: every run of a
/// scale is the same round. Written to files in a folder of their own, as a committee's files arrive: the bench's
/// process holds none of them while the Host imports them.
/// </summary>
public sealed class RoundFiles : IDisposable
{
    private static readonly string[] Categories = ["umum", "umum", "umum", "umum", "umum", "umum", "cumlaude", "disabilitas", "papua", "kalimantan", "daerah_tertinggal"];
    private static readonly string[] Positions = ["Analis Kebijakan", "Pranata Komputer", "Auditor", "Perencana", "Guru Ahli Pertama", "Dokter"];

    private readonly string folder = Directory.CreateTempSubdirectory("merit-round-").FullName;

    public RoundFiles(string prefix, int formationCount, int applicantCount, int seed)
    {
        using var formations = Writer(FormationsPath, "formation_code,instansi_code,position,location,category,allocation,education_level");
        using var applicants = Writer(ApplicantsPath, "registration_number,formation_code,sex,birth_date,gpa");
        using var verification = Writer(VerificationPath, "registration_number,result,reason");
        using var skd = Writer(SkdPath, "registration_number,twk,tiu,tkp");
        var random = new Random(seed);
        for (var f = 0; f < formationCount; f++)
        {
            // Most formations have one place (national: ~250,000 formations for ~250,000 places).
            var allocation = random.Next(100) switch { < 80 => 1, < 95 => 2, _ => 3 + random.Next(3) };
            formations.Write(string.Create(CultureInfo.InvariantCulture, $"{prefix}{f:000000},INST{f % 67:00},{Positions[f % Positions.Length]},Lokasi {f % 97},{Categories[random.Next(Categories.Length)]},{allocation},S1\n"));
        }

        var lastSkd = new (int Twk, int Tiu, int Tkp)?[formationCount];
        for (var n = 0; n < applicantCount; n++)
        {
            // Popular formations draw many applicants, most draw few: the square skews towards low indexes.
            var u = random.NextDouble();
            var f = (int)(u * u * formationCount);
            var number = string.Create(CultureInfo.InvariantCulture, $"{prefix}{n:00000000}");
            var birth = new DateOnly(1992, 1, 1).AddDays(random.Next(0, 9 * 365));
            var gpa = 250 + random.Next(151);
            applicants.Write(string.Create(CultureInfo.InvariantCulture, $"{number},{prefix}{f:000000},{(random.Next(2) == 0 ? "M" : "F")},{birth:yyyy-MM-dd},{gpa / 100}.{gpa % 100:00}\n"));
            var ms = random.Next(100) < 88;
            verification.Write(ms ? $"{number},MS,lengkap\n" : $"{number},TMS,ijazah tidak sesuai\n");
            if (ms && random.Next(100) < 95)
            {
                var score = random.Next(100) < 6 && lastSkd[f] is { } earlier ? earlier : (5 * random.Next(6, 31), 5 * random.Next(8, 36), random.Next(110, 226));
                lastSkd[f] = score;
                skd.Write(string.Create(CultureInfo.InvariantCulture, $"{number},{score.Item1},{score.Item2},{score.Item3}\n"));
                SkdRows++;
            }
            else if (ms)
            {
                SkdAbsent++;
            }

            if (ms)
            {
                Ms++;
            }
        }
    }

    public int SkdRows { get; }

    public int SkdAbsent { get; }

    public int Ms { get; }

    public string FormationsPath => Path.Combine(folder, "formations.csv");

    public string ApplicantsPath => Path.Combine(folder, "applicants.csv");

    public string VerificationPath => Path.Combine(folder, "verification.csv");

    public string SkdPath => Path.Combine(folder, "skd.csv");

    /// <summary>The path of a file of this round written by the bench itself (a list exported, the SKB scores built from it).</summary>
    public string PathOf(string name) => Path.Combine(folder, name);

    public byte[] Formations => File.ReadAllBytes(FormationsPath);

    public byte[] Applicants => File.ReadAllBytes(ApplicantsPath);

    public byte[] Verification => File.ReadAllBytes(VerificationPath);

    public byte[] Skd => File.ReadAllBytes(SkdPath);

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static StreamWriter Writer(string path, string header)
    {
        var writer = new StreamWriter(path, append: false, new UTF8Encoding(false)) { NewLine = "\n" };
        writer.Write(header + "\n");
        return writer;
    }

    /// <summary>SKB scores for the applicants the product's own cut-off list admitted (one in twenty absent), two decimals.</summary>
    public static byte[] SkbFor(string cutOffCsv, int seed)
    {
        var random = new Random(seed);
        var builder = new StringBuilder("registration_number,skb_score\n");
        foreach (var line in cutOffCsv.Split('\n').Skip(1).Where(l => l.Length > 0))
        {
            var number = line.Split(',')[2];
            if (random.Next(20) != 0)
            {
                var score = 4000 + random.Next(0, 6001);
                builder.Append(CultureInfo.InvariantCulture, $"{number},{score / 100}.{score % 100:00}\n");
            }
        }

        return Encoding.UTF8.GetBytes(builder.ToString());
    }

    /// <summary><see cref="SkbFor(string, int)"/> from an exported cut-off list on disk to a file, a line at a time.</summary>
    public static void WriteSkbFor(string cutOffPath, string skbPath, int seed)
    {
        var random = new Random(seed);
        using var skb = Writer(skbPath, "registration_number,skb_score");
        foreach (var line in File.ReadLines(cutOffPath).Skip(1).Where(l => l.Length > 0))
        {
            var number = line.Split(',')[2];
            if (random.Next(20) != 0)
            {
                var score = 4000 + random.Next(0, 6001);
                skb.Write(string.Create(CultureInfo.InvariantCulture, $"{number},{score / 100}.{score % 100:00}\n"));
            }
        }
    }
}
