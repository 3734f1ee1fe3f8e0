using System.Globalization;
using System.Text;

namespace Merit.Tests.Career;

/// <summary>
/// A generated workforce file of realistic shape (ranks from the entry rank of the education to a little past its
/// ceiling, rank TMTs on 1 April / 1 October, SKP mostly Baik, a third in functional positions), and an
/// independent computation of who is eligible for regular or functional promotion on a TMT. The tables here are
/// written out again from the brief (3.1, 3.2, 3.4), not read from the engine's rule sets.
/// </summary>
public sealed class GeneratedWorkforce
{
    private static readonly string[] Ranks =
    [
        "I/a", "I/b", "I/c", "I/d", "II/a", "II/b", "II/c", "II/d", "III/a", "III/b", "III/c", "III/d", "IV/a", "IV/b", "IV/c", "IV/d", "IV/e",
    ];

    // Education → (entry step, ceiling step), brief 3.1.
    private static readonly Dictionary<string, (int Entry, int Ceiling)> Educations = new(StringComparer.Ordinal)
    {
        ["SD"] = (1, 5),
        ["SLTP"] = (3, 7),
        ["SLTA"] = (5, 10),
        ["D3"] = (7, 11),
        ["D4"] = (9, 12),
        ["S1"] = (9, 12),
        ["S2"] = (10, 13),
        ["S3"] = (11, 14),
    };

    private static readonly (string Education, int Weight)[] EducationWeights = [("SD", 2), ("SLTP", 3), ("SLTA", 25), ("D3", 15), ("D4", 3), ("S1", 40), ("S2", 10), ("S3", 2)];

    // JF level → (lowest step, highest step, credit points), brief 3.4 (Madya IV/a–IV/c, Utama IV/d–IV/e).
    private static readonly Dictionary<string, (int Low, int High, decimal Points)> Levels = new(StringComparer.Ordinal)
    {
        ["Pemula"] = (5, 5, 15m),
        ["Terampil"] = (6, 8, 20m),
        ["Mahir"] = (9, 10, 50m),
        ["Penyelia"] = (11, 12, 100m),
        ["AhliPertama"] = (9, 10, 50m),
        ["AhliMuda"] = (11, 12, 100m),
        ["AhliMadya"] = (13, 15, 150m),
        ["AhliUtama"] = (16, 17, 200m),
    };

    private static readonly string[] Good = ["SangatBaik", "Baik"];

    public GeneratedWorkforce(int servants, int seed)
    {
        var random = new Random(seed);
        var instansi = Enumerable.Range(0, 25).Select(_ => Convert.ToHexString(BitConverter.GetBytes(random.NextInt64())) + Convert.ToHexString(BitConverter.GetBytes(random.NextInt64()))).ToArray();
        var nips = new HashSet<string>(StringComparer.Ordinal);
        while (Rows.Count < servants)
        {
            var birth = new DateOnly(1962, 1, 1).AddDays(random.Next(0, 38 * 365));
            var tmtCpns = new DateOnly(Math.Max(birth.Year + 19, 1985) + random.Next(0, 12), random.Next(1, 13), 1);
            if (tmtCpns > new DateOnly(2024, 3, 1))
            {
                continue;
            }

            var prefix = string.Create(CultureInfo.InvariantCulture, $"{birth:yyyyMMdd}{tmtCpns:yyyyMM}{random.Next(1, 3)}");
            var sequence = 1;
            while (!nips.Add(prefix + sequence.ToString("D3", CultureInfo.InvariantCulture)))
            {
                sequence++;
            }

            var education = Weighted(random, EducationWeights);
            var (entry, ceiling) = Educations[education];
            var step = Math.Min(17, entry + random.Next(0, ceiling - entry + 2));
            var earliestRankTmt = new DateOnly(Math.Max(tmtCpns.Year + 1, 2012), 4, 1);
            var rankTmt = new DateOnly(earliestRankTmt.Year + random.Next(0, 2025 - earliestRankTmt.Year + 1), random.Next(2) == 0 ? 4 : 10, 1);
            if (rankTmt > new DateOnly(2025, 10, 1))
            {
                rankTmt = new DateOnly(2025, 4, 1);
            }

            var position = random.Next(100) switch { < 55 => "Pelaksana", < 90 => "Fungsional", < 96 => "Pengawas", _ => "Administrator" };
            string? level = null;
            decimal? credit = null;
            if (position == "Fungsional")
            {
                var fitting = Levels.Where(l => l.Value.Low <= step && step <= l.Value.High).Select(l => l.Key).ToList();
                level = fitting.Count > 0 && random.Next(10) > 0 ? fitting[random.Next(fitting.Count)] : Levels.Keys.ElementAt(random.Next(Levels.Count));
                credit = random.Next(0, 50) * 5m;
            }

            var superior = random.Next(100) < 85 ? Ranks[Math.Clamp(step + random.Next(-2, 5), 1, 17) - 1] : null;
            var exams = new List<string>();
            if (step >= 9 ? random.Next(100) < 92 : random.Next(100) < 40)
            {
                exams.Add("I");
            }

            if (step >= 13 ? random.Next(100) < 92 : step >= 11 && random.Next(100) < 40)
            {
                exams.Add("II");
            }

            Rows.Add(new Row(
                prefix + sequence.ToString("D3", CultureInfo.InvariantCulture),
                instansi[random.Next(instansi.Length)],
                tmtCpns,
                random.Next(100) < 98 ? tmtCpns.AddYears(1) : null,
                Ranks[step - 1],
                rankTmt,
                education,
                position,
                level,
                credit,
                superior,
                string.Join(';', exams),
                Predicate(random),
                Predicate(random)));
        }
    }

    /// <summary>One civil servant of the file.</summary>
    public sealed record Row(
        string Nip, string Instansi, DateOnly TmtCpns, DateOnly? TmtPns, string Rank, DateOnly RankTmt, string Education, string Position,
        string? JfLevel, decimal? CreditPoints, string? SuperiorRank, string ServiceExams, string Skp2024, string Skp2023);

    public List<Row> Rows { get; } = [];

    public string Csv()
    {
        var csv = new StringBuilder("nip,instansi_code,tmt_cpns,tmt_pns,rank,rank_tmt,education,position,jf_level,credit_points,superior_rank,service_exams,skp_year,skp_last,skp_previous\n");
        foreach (var r in Rows)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{r.Nip},{r.Instansi},{r.TmtCpns:yyyy-MM-dd},{r.TmtPns:yyyy-MM-dd},{r.Rank},{r.RankTmt:yyyy-MM-dd},{r.Education},{r.Position},{r.JfLevel},{r.CreditPoints},{r.SuperiorRank},{r.ServiceExams},2024,{r.Skp2024},{r.Skp2023}\n");
        }

        return csv.ToString();
    }

    /// <summary>
    /// The NIPs eligible on <paramref name="tmt"/>, computed from the rows alone: PNS; 4 years in rank (2 for a JF
    /// holder) on the TMT; SKP of the two years before at least Baik; a next rank; regular: within the education
    /// ceiling and, before 20 May 2025, not above the superior's rank; JF: within the level's band with the credit
    /// points; ujian dinas I for II/d → III/a and II for III/d → IV/a. <paramref name="tmt"/> must be a TMT of 2025.
    /// </summary>
    public IReadOnlyList<Row> Eligible(DateOnly tmt)
    {
        var superiorRuleApplies = tmt < new DateOnly(2025, 5, 20);
        return Rows.Where(r =>
        {
            var step = Array.IndexOf(Ranks, r.Rank) + 1;
            var target = step + 1;
            var functional = r.Position == "Fungsional";
            if (r.TmtPns is null || target > 17 || r.RankTmt.AddYears(functional ? 2 : 4) > tmt || !Good.Contains(r.Skp2024) || !Good.Contains(r.Skp2023))
            {
                return false;
            }

            if (functional)
            {
                var (low, high, points) = Levels[r.JfLevel!];
                if (target < low || target > high || (r.CreditPoints ?? 0) < points)
                {
                    return false;
                }
            }
            else if (target > Educations[r.Education].Ceiling
                || (superiorRuleApplies && (r.SuperiorRank is null || target > Array.IndexOf(Ranks, r.SuperiorRank) + 1)))
            {
                return false;
            }

            var exams = r.ServiceExams.Split(';');
            return (step, target) switch
            {
                (8, 9) => exams.Contains("I"),
                (12, 13) => exams.Contains("II"),
                _ => true,
            };
        }).ToList();
    }

    private static string Predicate(Random random) => random.Next(100) switch
    {
        < 15 => "SangatBaik",
        < 90 => "Baik",
        < 96 => "ButuhPerbaikan",
        < 99 => "Kurang",
        _ => "SangatKurang",
    };

    private static string Weighted(Random random, (string Value, int Weight)[] choices)
    {
        var pick = random.Next(choices.Sum(c => c.Weight));
        foreach (var (value, weight) in choices)
        {
            if ((pick -= weight) < 0)
            {
                return value;
            }
        }

        return choices[^1].Value;
    }
}
