using System.Globalization;
using System.Text;

namespace Merit.Bench;

/// <summary>
/// A generated CPNS round as the files it arrives in, with the brief's shapes (section 7), after the generator of
/// tests/Host.Tests/Recruitment/GeneratedRound but linear in the round's size: SKD scores in their steps (TWK and
/// TIU by 5, TKP by 1), special categories, popular and unpopular formations, 12 % TMS, 5 % absent, planted exact
/// ties (an earlier applicant's scores of the same formation), one SKB absentee in twenty. Seeded: every run of a
/// scale is the same round.
/// </summary>
public sealed class RoundFiles
{
    private static readonly string[] Categories = ["umum", "umum", "umum", "umum", "umum", "umum", "cumlaude", "disabilitas", "papua", "kalimantan", "daerah_tertinggal"];
    private static readonly string[] Positions = ["Analis Kebijakan", "Pranata Komputer", "Auditor", "Perencana", "Guru Ahli Pertama", "Dokter"];

    private readonly StringBuilder formations = new("formation_code,instansi_code,position,location,category,allocation,education_level\n");
    private readonly StringBuilder applicants = new("registration_number,formation_code,sex,birth_date,gpa\n");
    private readonly StringBuilder verification = new("registration_number,result,reason\n");
    private readonly StringBuilder skd = new("registration_number,twk,tiu,tkp\n");

    public RoundFiles(string prefix, int formationCount, int applicantCount, int seed)
    {
        var random = new Random(seed);
        for (var f = 0; f < formationCount; f++)
        {
            // Most formations have one place (national: ~250,000 formations for ~250,000 places).
            var allocation = random.Next(100) switch { < 80 => 1, < 95 => 2, _ => 3 + random.Next(3) };
            formations.Append(CultureInfo.InvariantCulture, $"{prefix}{f:000000},INST{f % 67:00},{Positions[f % Positions.Length]},Lokasi {f % 97},{Categories[random.Next(Categories.Length)]},{allocation},S1\n");
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
            applicants.Append(CultureInfo.InvariantCulture, $"{number},{prefix}{f:000000},{(random.Next(2) == 0 ? "M" : "F")},{birth:yyyy-MM-dd},{gpa / 100}.{gpa % 100:00}\n");
            var ms = random.Next(100) < 88;
            verification.Append(ms ? $"{number},MS,lengkap\n" : $"{number},TMS,ijazah tidak sesuai\n");
            if (ms && random.Next(100) < 95)
            {
                var score = random.Next(100) < 6 && lastSkd[f] is { } earlier ? earlier : (5 * random.Next(6, 31), 5 * random.Next(8, 36), random.Next(110, 226));
                lastSkd[f] = score;
                skd.Append(CultureInfo.InvariantCulture, $"{number},{score.Item1},{score.Item2},{score.Item3}\n");
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

    public byte[] Formations => Encoding.UTF8.GetBytes(formations.ToString());

    public byte[] Applicants => Encoding.UTF8.GetBytes(applicants.ToString());

    public byte[] Verification => Encoding.UTF8.GetBytes(verification.ToString());

    public byte[] Skd => Encoding.UTF8.GetBytes(skd.ToString());

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
}
