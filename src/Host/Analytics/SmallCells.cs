namespace Merit.Analytics;

/// <summary>Analytics settings (<c>Merit:Analytics</c>).</summary>
public sealed class AnalyticsOptions
{
    /// <summary>Counts of people from 1 to this minus one are suppressed in every output (docs/adr/0008).</summary>
    public int MinimumCellSize { get; set; } = 5;
}

/// <summary>
/// Small-cell protection for a table of counts of people (docs/adr/0008):
/// <list type="bullet">
/// <item>primary: a count from 1 to the minimum cell size minus one is suppressed (zero is shown: it singles no one out);</item>
/// <item>complementary: when the rows of a column add up to a total published beside them and exactly one row is
/// suppressed, the smallest other non-zero row is suppressed too, so the hidden count is not the total minus the rest;</item>
/// <item>derived: a rate, ratio or vacancy computed from a suppressed count is suppressed with it.</item>
/// </list>
/// A suppressed cell is null in JSON, empty in CSV, and its name is listed in the row's <c>suppressed</c>.
/// </summary>
public sealed class SmallCells(int minimum)
{
    public int Minimum { get; } = minimum;

    public bool Hides(long count) => count > 0 && count < Minimum;

    /// <summary>
    /// A table whose rows are named counts; suppression is decided for the whole table at once. Only the
    /// <paramref name="people"/> columns count people and are protected; others (formations, places) are not.
    /// </summary>
    public CellTable Table(IEnumerable<IReadOnlyDictionary<string, long>> rows, IEnumerable<string> people) => new(this, rows, people);
}

/// <summary>Counts under suppression; see <see cref="SmallCells"/>.</summary>
public sealed class CellTable
{
    private readonly List<IReadOnlyDictionary<string, long>> rows;
    private readonly List<SortedSet<string>> suppressed;

    internal CellTable(SmallCells policy, IEnumerable<IReadOnlyDictionary<string, long>> rows, IEnumerable<string> people)
    {
        var protectedColumns = people.ToHashSet(StringComparer.Ordinal);
        this.rows = rows.ToList();
        suppressed = this.rows
            .Select(r => new SortedSet<string>(r.Keys.Where(k => protectedColumns.Contains(k) && policy.Hides(r[k])), StringComparer.Ordinal))
            .ToList();
    }

    /// <summary>
    /// Complementary suppression of <paramref name="columns"/> over the first <paramref name="groupRows"/> rows,
    /// which add up to a total published beside them (a total row after them, or another table).
    /// </summary>
    public CellTable Complement(int groupRows, params string[] columns)
    {
        foreach (var column in columns)
        {
            var hidden = Enumerable.Range(0, groupRows).Count(i => suppressed[i].Contains(column));
            if (hidden != 1)
            {
                continue;
            }

            var next = Enumerable.Range(0, groupRows)
                .Where(i => !suppressed[i].Contains(column) && rows[i].TryGetValue(column, out var v) && v > 0)
                .OrderBy(i => rows[i][column])
                .ThenBy(i => i)
                .Cast<int?>()
                .FirstOrDefault();
            if (next is { } row)
            {
                suppressed[row].Add(column);
            }
        }

        return this;
    }

    /// <summary>Suppresses <paramref name="derived"/> in every row where any of <paramref name="from"/> is suppressed.</summary>
    public CellTable Derive(string derived, params string[] from)
    {
        for (var i = 0; i < rows.Count; i++)
        {
            if (from.Any(suppressed[i].Contains))
            {
                suppressed[i].Add(derived);
            }
        }

        return this;
    }

    public int? Value(int row, string column) =>
        suppressed[row].Contains(column) || !rows[row].TryGetValue(column, out var value) ? null : checked((int)value);

    public long Raw(int row, string column) => rows[row].TryGetValue(column, out var value) ? value : 0;

    public bool IsSuppressed(int row, string column) => suppressed[row].Contains(column);

    /// <summary><paramref name="numerator"/> / <paramref name="denominator"/>, rounded to 4 places; null when either is suppressed or the denominator is 0.</summary>
    public double? Rate(int row, string numerator, string denominator, string? name = null)
    {
        if (IsSuppressed(row, numerator) || IsSuppressed(row, denominator) || Raw(row, denominator) == 0)
        {
            if (name is not null && (IsSuppressed(row, numerator) || IsSuppressed(row, denominator)))
            {
                suppressed[row].Add(name);
            }

            return null;
        }

        return Math.Round((double)Raw(row, numerator) / Raw(row, denominator), 4);
    }

    /// <summary>Marks a value computed outside the table as suppressed in a row.</summary>
    public void Suppress(int row, string name) => suppressed[row].Add(name);

    public IReadOnlyList<string> Suppressed(int row) => suppressed[row].ToList();
}
