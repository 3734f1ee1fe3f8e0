using System.Globalization;
using Marten;
using Merit.Projections;
using Merit.Projections.Analytics;
using Merit.Recruitment;
using Npgsql;

namespace Merit.Analytics;

/// <summary>The dimension analytics tables are grouped by.</summary>
public enum Dimension
{
    Instansi,
    Category,
    Position,
    Location,
    /// <summary>No grouping: one row for everything the filter selects.</summary>
    All,
}

/// <summary>Filters every analytics table takes; null means all.</summary>
/// <param name="Category">A category code: umum, cumlaude, diaspora, disabilitas, papua, daerah_tertinggal, kalimantan.</param>
public sealed record AnalyticsFilter(string? Instansi, string? Category, string? Location, string? Position);

/// <summary>Per-group sums of the formation read models: the raw counts every funnel, fairness and tie-break table is shaped from.</summary>
public sealed record GroupTotals(string Key, IReadOnlyDictionary<string, long> Counts);

/// <summary>
/// Reads the analytics read models. Funnel-like tables are summed in PostgreSQL over the per-formation documents
/// selected by the filter, so only one row per group leaves the database (docs/adr/0008).
/// </summary>
public sealed class AnalyticsQueries(IDocumentStore store)
{
    /// <summary>The funnel stages in order, as count names prefixed by sex in <see cref="GroupTotals"/>.</summary>
    public static readonly IReadOnlyList<string> Stages = ["registered", "ms", "skdThresholdMet", "admittedToSkb", "finalPass", "nipIssued"];

    private static readonly string[] StageFields = ["Registered", "Ms", "SkdThresholdMet", "AdmittedToSkb", "FinalPass", "NipIssued"];

    private static readonly string Table = $"{MeritStore.SchemaName}.mt_doc_{AnalyticsProjections.FormationTable}";

    private static readonly string TotalsSql = BuildTotalsSql();

    private static string BuildTotalsSql()
    {
        var stageColumns = string.Join(", ", StageFields.Select(s => $"\"{s}\" int"));
        var sums = string.Join(",\n  ", StageFields.SelectMany((s, i) => new[]
        {
            $"coalesce(sum(m.\"{s}\"), 0) as \"male{s}\"",
            $"coalesce(sum(f.\"{s}\"), 0) as \"female{s}\"",
        }));
        return $"""
            select {"{key}"} as key,
              count(*) as formations,
              coalesce(sum(x."Allocation"), 0) as allocation,
              {sums},
              count(*) filter (where x."FinalDecided") as "finalsDecided",
              coalesce(sum(x."Passed") filter (where x."FinalDecided"), 0) as passed,
              coalesce(sum(greatest(0, x."Allocation" - x."Passed")) filter (where x."FinalDecided"), 0) as "vacantAfterFinal",
              coalesce(sum(greatest(0, x."Allocation" - x."Passed" - x."FilledByOptimisation" + x."VacatedByWithdrawal")) filter (where x."FinalDecided"), 0) as "vacantNow",
              coalesce(sum(x."FilledByOptimisation"), 0) as "filledByOptimisation",
              coalesce(sum(x."VacatedByWithdrawal"), 0) as "vacatedByWithdrawal",
              coalesce(sum(x."PlacedElsewhere"), 0) as "placedElsewhere",
              coalesce(sum(x."PlacedElsewhereAppointed"), 0) as "placedElsewhereAppointed",
              coalesce(sum(x."Withdrawals"), 0) as withdrawals,
              count(*) filter (where x."CutOffDecided") as "cutOffsDecided",
              coalesce(sum(x."AdmittedOnTie"), 0) as "admittedOnTie",
              coalesce(sum(x."PassedOnTieBreak"), 0) as "passedOnTieBreak",
              coalesce(sum(x."ReferredToPanselnas"), 0) as "referredToPanselnas",
              coalesce(sum(x."Unattributed"), 0) as unattributed
            from {Table} d
              cross join lateral jsonb_to_record(d.data) as x(
                "Category" text, "Location" text, "Position" text, "Allocation" int, "FinalDecided" bool, "Passed" int,
                "FilledByOptimisation" int, "VacatedByWithdrawal" int, "PlacedElsewhere" int, "PlacedElsewhereAppointed" int,
                "Withdrawals" int, "CutOffDecided" bool, "AdmittedOnTie" int, "PassedOnTieBreak" int, "ReferredToPanselnas" int,
                "Unattributed" int)
              cross join lateral jsonb_to_record(d.data -> 'Male') as m({stageColumns})
              cross join lateral jsonb_to_record(d.data -> 'Female') as f({stageColumns})
            where d.round_id = $1
              and ($2::text is null or d.instansi_code = $2)
              and ($3::text is null or x."Category" = $3)
              and ($4::text is null or x."Location" = $4)
              and ($5::text is null or x."Position" = $5)
            group by 1
            order by 1
            """;
    }

    /// <summary>Sums per group of the formations the filter selects, ordered by key (ordinal, as PostgreSQL's C collation may differ).</summary>
    public async Task<IReadOnlyList<GroupTotals>> TotalsAsync(Guid roundId, AnalyticsFilter filter, Dimension by, CancellationToken ct)
    {
        var key = by switch
        {
            Dimension.Instansi => "d.instansi_code",
            Dimension.Category => "x.\"Category\"",
            Dimension.Position => "x.\"Position\"",
            Dimension.Location => "x.\"Location\"",
            _ => "''",
        };

        await using var session = store.QuerySession();
        await using var connection = session.Database.CreateConnection();
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(TotalsSql.Replace("{key}", key, StringComparison.Ordinal), connection);
        command.Parameters.Add(new NpgsqlParameter { Value = roundId });
        command.Parameters.Add(Text(filter.Instansi));
        command.Parameters.Add(Text(CategoryName(filter.Category)));
        command.Parameters.Add(Text(filter.Location));
        command.Parameters.Add(Text(filter.Position));

        var groups = new List<GroupTotals>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var counts = new Dictionary<string, long>(StringComparer.Ordinal);
            for (var i = 1; i < reader.FieldCount; i++)
            {
                counts[reader.GetName(i)] = Convert.ToInt64(reader.GetValue(i), CultureInfo.InvariantCulture);
            }

            foreach (var (stage, field) in Stages.Zip(StageFields))
            {
                counts[stage] = counts["male" + field] + counts["female" + field];
            }

            var raw = reader.GetString(0);
            groups.Add(new GroupTotals(by == Dimension.Category ? CategoryCode(raw) : raw, counts));
        }

        return groups.OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
    }

    /// <summary>Formations whose SKD cut-off is decided, by code, one page at a time, and how many there are in all.</summary>
    public async Task<(IReadOnlyList<FormationAnalytics> Page, int Total)> CutOffsAsync(Guid roundId, AnalyticsFilter filter, int offset, int limit, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var query = session.Query<FormationAnalytics>().Where(f => f.RoundId == roundId && f.CutOffDecided);
        if (filter.Instansi is { } instansi)
        {
            query = query.Where(f => f.InstansiCode == instansi);
        }

        if (filter.Category is { } code && FormationCategories.TryParse(code, out var category))
        {
            query = query.Where(f => f.Category == category);
        }

        if (filter.Location is { } location)
        {
            query = query.Where(f => f.Location == location);
        }

        if (filter.Position is { } position)
        {
            query = query.Where(f => f.Position == position);
        }

        var total = await query.CountAsync(ct);
        var page = await query.OrderBy(f => f.Code).Skip(offset).Take(limit).ToListAsync(ct);
        return (page, total);
    }

    public async Task<SkdDistribution?> SkdDistributionAsync(Guid roundId, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        return await session.LoadAsync<SkdDistribution>(roundId, ct);
    }

    public async Task<IReadOnlyList<DecisionTimes>> DecisionTimesAsync(Guid roundId, string? instansi, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var query = session.Query<DecisionTimes>().Where(d => d.RoundId == roundId);
        if (instansi is not null)
        {
            query = query.Where(d => d.InstansiCode == instansi);
        }

        return (await query.ToListAsync(ct)).OrderBy(d => d.InstansiCode, StringComparer.Ordinal).ToList();
    }

    /// <summary>The rounds with analytics and the instansi of each, for the filters.</summary>
    public async Task<IReadOnlyList<(Round Round, IReadOnlyList<string> Instansi)>> RoundsAsync(CancellationToken ct)
    {
        await using var session = store.QuerySession();
        await using var connection = session.Database.CreateConnection();
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand($"select distinct round_id, instansi_code from {Table}", connection);
        var byRound = new Dictionary<Guid, List<string>>();
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                var round = reader.GetGuid(0);
                if (!byRound.TryGetValue(round, out var list))
                {
                    byRound[round] = list = [];
                }

                list.Add(reader.GetString(1));
            }
        }

        var rounds = await session.LoadManyAsync<Round>(ct, byRound.Keys);
        return rounds
            .OrderBy(r => r.Code, StringComparer.Ordinal)
            .Select(r => (r, (IReadOnlyList<string>)byRound[r.Id].Order(StringComparer.Ordinal).ToList()))
            .ToList();
    }

    public async Task<Round?> RoundAsync(Guid roundId, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        return await session.LoadAsync<Round>(roundId, ct);
    }

    /// <summary>The category code (umum, daerah_tertinggal) of a category stored by its enum name.</summary>
    public static string CategoryCode(string stored) =>
        Enum.TryParse<FormationCategory>(stored, out var category) ? category.Code() : stored;

    private static string? CategoryName(string? code) =>
        code is null ? null : FormationCategories.TryParse(code, out var category) ? category.ToString() : code;

    private static NpgsqlParameter Text(string? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text };
}
