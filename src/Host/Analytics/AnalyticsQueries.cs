using System.Globalization;
using Marten;
using Merit.Infrastructure;
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
public sealed class AnalyticsQueries(ReadReplica replica)
{
    /// <summary>The funnel stages in order, as count names prefixed by sex in <see cref="GroupTotals"/>.</summary>
    public static readonly IReadOnlyList<string> Stages = ["registered", "ms", "skdThresholdMet", "admittedToSkb", "finalPass", "nipIssued"];

    private static readonly string[] StageFields = ["Registered", "Ms", "SkdThresholdMet", "AdmittedToSkb", "FinalPass", "NipIssued"];

    /// <summary>The summable fields of <see cref="FunnelCounts"/> besides the stage counts.</summary>
    private static readonly string[] CountFields =
    [
        "Formations", "Allocation", "Unattributed", "PlacedElsewhere", "PlacedElsewhereAppointed", "Withdrawals", "CutOffsDecided",
        "SkdParticipants", "AdmittedOnTie", "FinalsDecided", "Passed", "PassedOnTieBreak", "ReferredToPanselnas", "VacantAfterFinal",
        "FilledByOptimisation", "VacatedByWithdrawal", "VacantNow",
    ];

    private static readonly string FormationTable = $"{MeritStore.SchemaName}.mt_doc_{AnalyticsProjections.FormationTable}";

    private static readonly string RollupTable = $"{MeritStore.SchemaName}.mt_doc_{AnalyticsProjections.RollupTable}";

    /// <summary>The counts of a document as integer columns, unpacked in PostgreSQL so only numbers leave the database.</summary>
    private static readonly string Records = $"""
        cross join lateral jsonb_to_record(d.data) as x({string.Join(", ", CountFields.Select(c => $"\"{c}\" int"))})
          cross join lateral jsonb_to_record(d.data -> 'Male') as m({string.Join(", ", StageFields.Select(s => $"\"{s}\" int"))})
          cross join lateral jsonb_to_record(d.data -> 'Female') as f({string.Join(", ", StageFields.Select(s => $"\"{s}\" int"))})
        """;

    private static readonly string SumSql = $"""
        select {"{key}"} as key,
          {CountColumns(summed: true)}
        from {FormationTable} d
          {Records}
        where d.round_id = $1
          and ($2::text is null or d.instansi_code = $2)
          and ($3::text is null or d.category = $3)
          and ($4::text is null or d.location = $4)
          and ($5::text is null or d.position = $5)
        group by 1
        """;

    private static readonly string RollupSql = $"""
        select d.data ->> 'Key' as key,
          {CountColumns(summed: false)}
        from {RollupTable} d
          {Records}
        where d.round_id = $1 and d.dimension = $2
        """;

    private static string CountColumns(bool summed)
    {
        string Column(string record, string field, string name) =>
            summed ? $"coalesce(sum({record}.\"{field}\"), 0) as \"{name}\"" : $"coalesce({record}.\"{field}\", 0) as \"{name}\"";
        return string.Join(",\n  ", CountFields.Select(c => Column("x", c, Camel(c)))
            .Concat(StageFields.SelectMany(s => new[] { Column("m", s, "male" + s), Column("f", s, "female" + s) })));
    }

    /// <summary>
    /// Sums per group of the formations the filter selects, ordered by key (ordinal). An unfiltered grouping reads
    /// the round's rollups; a filtered one sums the selected formations in PostgreSQL.
    /// </summary>
    public Task<IReadOnlyList<GroupTotals>> TotalsAsync(Guid roundId, AnalyticsFilter filter, Dimension by, CancellationToken ct) =>
        filter is { Instansi: null, Category: null, Location: null, Position: null }
            ? RollupsAsync(roundId, by, ct)
            : SumFormationsAsync(roundId, filter, by, ct);

    /// <summary>
    /// The round's rollups of one dimension: one row per value of the dimension, whatever the round's size, their
    /// counts read as integer columns (deserializing the documents cost more than the query at national scale).
    /// </summary>
    public async Task<IReadOnlyList<GroupTotals>> RollupsAsync(Guid roundId, Dimension by, CancellationToken ct)
    {
        await using var read = await replica.BeginAsync(ct);
        var connection = await read.ConnectionAsync(ct);
        await using var command = new NpgsqlCommand(RollupSql, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = roundId });
        command.Parameters.Add(Text(by == Dimension.All ? RoundRollup.All : by.ToString().ToLowerInvariant()));
        return await GroupsAsync(command, by, ct);
    }

    /// <summary>The formations the filter selects, summed per group in PostgreSQL: one row per group leaves the database.</summary>
    public async Task<IReadOnlyList<GroupTotals>> SumFormationsAsync(Guid roundId, AnalyticsFilter filter, Dimension by, CancellationToken ct)
    {
        var key = by switch
        {
            Dimension.Instansi => "d.instansi_code",
            Dimension.Category => "d.category",
            Dimension.Position => "d.position",
            Dimension.Location => "d.location",
            _ => "''",
        };

        await using var read = await replica.BeginAsync(ct);
        var connection = await read.ConnectionAsync(ct);
        await using var command = new NpgsqlCommand(SumSql.Replace("{key}", key, StringComparison.Ordinal), connection);
        command.Parameters.Add(new NpgsqlParameter { Value = roundId });
        command.Parameters.Add(Text(filter.Instansi));
        command.Parameters.Add(Text(CategoryName(filter.Category)));
        command.Parameters.Add(Text(filter.Location));
        command.Parameters.Add(Text(filter.Position));
        return await GroupsAsync(command, by, ct);
    }

    /// <summary>Reads rows of a key and named counts into groups ordered by key (ordinal), a category by its code.</summary>
    private static async Task<IReadOnlyList<GroupTotals>> GroupsAsync(NpgsqlCommand command, Dimension by, CancellationToken ct)
    {
        var groups = new List<GroupTotals>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var counts = new Dictionary<string, long>(reader.FieldCount + Stages.Count, StringComparer.Ordinal);
            for (var i = 1; i < reader.FieldCount; i++)
            {
                counts[reader.GetName(i)] = Convert.ToInt64(reader.GetValue(i), CultureInfo.InvariantCulture);
            }

            var raw = reader.GetString(0);
            groups.Add(Totals(by == Dimension.Category ? CategoryCode(raw) : raw, counts));
        }

        return groups.OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
    }

    /// <summary>Adds each stage's total over both sexes.</summary>
    private static GroupTotals Totals(string key, Dictionary<string, long> counts)
    {
        foreach (var (stage, field) in Stages.Zip(StageFields))
        {
            counts[stage] = counts["male" + field] + counts["female" + field];
        }

        return new GroupTotals(key, counts);
    }

    private static string Camel(string pascal) => char.ToLowerInvariant(pascal[0]) + pascal[1..];

    /// <summary>Formations whose SKD cut-off is decided, by code, one page at a time, and how many there are in all.</summary>
    public async Task<(IReadOnlyList<FormationAnalytics> Page, int Total)> CutOffsAsync(Guid roundId, AnalyticsFilter filter, int offset, int limit, CancellationToken ct)
    {
        await using var read = await replica.BeginAsync(ct);
        var session = read.Session;
        var query = session.Query<FormationAnalytics>().Where(f => f.RoundId == roundId && f.CutOffsDecided > 0);
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
        await using var read = await replica.BeginAsync(ct);
        var session = read.Session;
        return await session.LoadAsync<SkdDistribution>(roundId, ct);
    }

    public async Task<IReadOnlyList<DecisionTimes>> DecisionTimesAsync(Guid roundId, string? instansi, CancellationToken ct)
    {
        await using var read = await replica.BeginAsync(ct);
        var session = read.Session;
        var query = session.Query<DecisionTimes>().Where(d => d.RoundId == roundId);
        if (instansi is not null)
        {
            query = query.Where(d => d.InstansiCode == instansi);
        }

        return (await query.ToListAsync(ct)).OrderBy(d => d.InstansiCode, StringComparer.Ordinal).ToList();
    }

    /// <summary>The rounds with analytics and the instansi of each, for the filters (from the instansi rollups).</summary>
    public async Task<IReadOnlyList<(Round Round, IReadOnlyList<string> Instansi)>> RoundsAsync(CancellationToken ct)
    {
        await using var read = await replica.BeginAsync(ct);
        var session = read.Session;
        var keys = await session.Query<RoundRollup>().Where(r => r.Dimension == "instansi").Select(r => new { r.RoundId, r.Key }).ToListAsync(ct);
        var byRound = keys.GroupBy(k => k.RoundId).ToDictionary(g => g.Key, g => g.Select(k => k.Key).Order(StringComparer.Ordinal).ToList());
        var rounds = await session.LoadManyAsync<Round>(ct, byRound.Keys);
        return rounds
            .OrderBy(r => r.Code, StringComparer.Ordinal)
            .Select(r => (r, (IReadOnlyList<string>)byRound[r.Id]))
            .ToList();
    }

    public async Task<Round?> RoundAsync(Guid roundId, CancellationToken ct)
    {
        await using var read = await replica.BeginAsync(ct);
        var session = read.Session;
        return await session.LoadAsync<Round>(roundId, ct);
    }

    /// <summary>The category code (umum, daerah_tertinggal) of a category stored by its enum name.</summary>
    public static string CategoryCode(string stored) =>
        Enum.TryParse<FormationCategory>(stored, out var category) ? category.Code() : stored;

    private static string? CategoryName(string? code) =>
        code is null ? null : FormationCategories.TryParse(code, out var category) ? category.ToString() : code;

    private static NpgsqlParameter Text(string? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text };
}
