using Marten;
using Merit.Analytics;
using Merit.Projections.MeritSystem;
using Merit.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Wolverine.Http;

namespace Merit.MeritSystem;

/// <summary>One instansi's count of civil servants per IP ASN band (R03), small counts suppressed (docs/adr/0008).</summary>
public sealed record IpAsnDistributionRow(string Instansi, IReadOnlyDictionary<string, int?> Bands, int? Total, IReadOnlyList<string> Suppressed);

public sealed record IpAsnDistribution(int MinimumCellSize, IReadOnlyList<string> Bands, IReadOnlyList<IpAsnDistributionRow> Rows);

public static class MeritSystemQueries
{
    /// <summary>The merit index of each instansi (or one) over the years: self-assessed, verified, category (R02).</summary>
    [WolverineGet("/analytics/merit-index", OperationId = "GetMeritIndex")]
    [Tags("Merit system")]
    [Authorize(Roles = Roles.Analyst + "," + Roles.Auditor + "," + Roles.Admin)]
    public static async Task<IReadOnlyList<MeritIndexHistory>> MeritIndex(string? instansi, IQuerySession session, CancellationToken ct) =>
        instansi is null
            ? await session.Query<MeritIndexHistory>().OrderBy(h => h.Id).ToListAsync(ct)
            : (await session.LoadAsync<MeritIndexHistory>(instansi, ct)) is { } one ? [one] : [];

    /// <summary>The civil servants of each instansi by their current IP ASN band (R03): counts only, suppressed like every analytics table.</summary>
    [WolverineGet("/analytics/ip-asn/distribution", OperationId = "GetIpAsnDistribution")]
    [Tags("Merit system")]
    [Authorize(Roles = Roles.Analyst + "," + Roles.Auditor + "," + Roles.Admin)]
    public static async Task<IpAsnDistribution> IpAsnDistribution(IQuerySession session, IOptions<AnalyticsOptions> options, CancellationToken ct)
    {
        var pairs = await session.Query<IpAsnHistory>().Select(h => new { h.InstansiCode, h.Band }).ToListAsync(ct);
        var bands = Career.IpAsnRuleSet.Catalog.RuleSets.SelectMany(r => r.Bands.Select(b => b.Label)).Distinct().ToList();
        var cells = new SmallCells(options.Value.MinimumCellSize);
        var rows = new List<IpAsnDistributionRow>();
        foreach (var group in pairs.GroupBy(p => p.InstansiCode).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            // An instansi's bands add up to its total, published beside them: complementary suppression over the bands.
            var counts = bands.Select(b => (long)group.Count(p => p.Band == b)).Append(group.Count()).ToList();
            var table = cells.Table(counts.Select(n => (IReadOnlyDictionary<string, long>)new Dictionary<string, long> { ["count"] = n }), ["count"]);
            table.Complement(bands.Count, "count");
            rows.Add(new IpAsnDistributionRow(
                group.Key,
                bands.Select((b, i) => (b, i)).ToDictionary(x => x.b, x => table.Value(x.i, "count"), StringComparer.Ordinal),
                table.Value(bands.Count, "count"),
                bands.Where((_, i) => table.IsSuppressed(i, "count")).ToList()));
        }

        return new IpAsnDistribution(options.Value.MinimumCellSize, bands, rows);
    }
}
