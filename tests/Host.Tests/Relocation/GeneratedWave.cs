using System.Globalization;
using System.Text;

namespace Merit.Tests.Relocation;

/// <summary>
/// A generated wave: instansi with their priority units and housing units, civil servants of those instansi (as a
/// workforce file), and one nomination each with facts of realistic spread (a tenth without a BKN assessment,
/// scores around the minimum, some outside the priority units, some close to retirement, about 40% married). The
/// expected selection is computed here again from the 2024 policy as the brief states it (R41), not with the
/// engine's screening or ranking.
/// </summary>
public sealed class GeneratedWave
{
    public static readonly DateOnly StartsOn = new(2024, 9, 2);

    public GeneratedWave(int nominations, int instansiCount, int seed)
    {
        var random = new Random(seed);
        Instansi = Enumerable.Range(0, instansiCount)
            .Select(i => new WaveInstansiRow(
                Convert.ToHexString(BitConverter.GetBytes(random.NextInt64())) + Convert.ToHexString(BitConverter.GetBytes(random.NextInt64())),
                Enumerable.Range(1, 3).Select(u => string.Create(CultureInfo.InvariantCulture, $"E1-{i:D2}-{u}")).ToList(),
                random.Next(nominations / instansiCount / 8, nominations / instansiCount / 3)))
            .ToList();
        var nips = new HashSet<string>(StringComparer.Ordinal);
        while (People.Count < nominations)
        {
            var birth = new DateOnly(1966, 1, 1).AddDays(random.Next(0, 32 * 365));
            var tmt = new DateOnly(Math.Max(birth.Year + 20, 1990) + random.Next(0, 10), random.Next(1, 13), 1);
            var nip = string.Create(CultureInfo.InvariantCulture, $"{birth:yyyyMMdd}{tmt:yyyyMM}{random.Next(1, 3)}001");
            if (tmt > new DateOnly(2020, 1, 1) || !nips.Add(nip))
            {
                continue;
            }

            var instansi = Instansi[People.Count % Instansi.Count];
            var unit = random.Next(100) < 5 ? "E1-OUTSIDE" : instansi.Units[random.Next(instansi.Units.Count)];
            decimal? score = random.Next(100) < 10 ? null : Math.Round(40m + (decimal)random.NextDouble() * 60m, 2);
            var retirement = new DateOnly(birth.Year + 58, birth.Month, 1).AddMonths(1);
            var nominatedOn = new DateOnly(2024, 8, 1).AddDays(random.Next(0, 20));
            People.Add(new Nominee(nip, tmt, instansi.Code, unit, score, random.Next(100) < 40, retirement, nominatedOn));
        }
    }

    public IReadOnlyList<WaveInstansiRow> Instansi { get; }

    public List<Nominee> People { get; } = [];

    /// <summary>The workforce file that creates each nominee's career record.</summary>
    public string WorkforceCsv()
    {
        var csv = new StringBuilder("nip,instansi_code,tmt_cpns,tmt_pns,rank,rank_tmt,education,position,jf_level,credit_points,superior_rank,service_exams,skp_year,skp_last,skp_previous\n");
        foreach (var p in People)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{p.Nip},{p.InstansiCode},{p.TmtCpns:yyyy-MM-dd},{p.TmtCpns.AddYears(1):yyyy-MM-dd},III/a,2021-04-01,S1,Pelaksana,,,III/d,I,2024,Baik,Baik\n");
        }

        return csv.ToString();
    }

    /// <summary>
    /// The 2024 policy, written out again: eligible when the unit is listed, a score of at least 60 exists, 5 years
    /// remain to retirement on the wave's start and no block; ranked unmarried first, then by score (higher first),
    /// then by nomination date, then by case id; the first as many as there are units are selected.
    /// </summary>
    public static IReadOnlyList<Guid> ExpectedSelection(IEnumerable<(Nominee Person, Guid CaseId)> nominees, WaveInstansiRow instansi, ISet<string> blockedNips, bool selected)
    {
        var ranked = nominees
            .Where(n => n.Person.InstansiCode == instansi.Code && instansi.Units.Contains(n.Person.Unit) && n.Person.Score >= 60m
                && n.Person.Retirement >= StartsOn.AddYears(5) && !blockedNips.Contains(n.Person.Nip))
            .OrderBy(n => n.Person.Married ? 1 : 0)
            .ThenByDescending(n => n.Person.Score)
            .ThenBy(n => n.Person.NominatedOn)
            .ThenBy(n => n.CaseId.ToString("N"), StringComparer.Ordinal)
            .Select(n => n.CaseId)
            .ToList();
        return selected ? ranked.Take(instansi.HousingUnits).ToList() : ranked.Skip(instansi.HousingUnits).ToList();
    }
}

public sealed record WaveInstansiRow(string Code, IReadOnlyList<string> Units, int HousingUnits);

public sealed record Nominee(string Nip, DateOnly TmtCpns, string InstansiCode, string Unit, decimal? Score, bool Married, DateOnly Retirement, DateOnly NominatedOn);
