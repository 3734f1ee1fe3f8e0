using System.Buffers;
using System.Globalization;
using System.Text;

namespace Merit.Exports;

/// <summary>
/// One cell of an exported CSV: text, or a number written as it is. Text is what a spreadsheet could read as a
/// formula (a formation code <c>=cmd|' /C calc'!A0</c> arrives through an import as any other code); numbers are the
/// product's own and are never neutralised, so a negative score stays a number.
/// </summary>
public readonly record struct CsvCell
{
    private CsvCell(string? value, bool isText)
    {
        Value = value;
        IsText = isText;
    }

    /// <summary>The cell's value as written before quoting; null is an empty cell.</summary>
    public string? Value { get; }

    /// <summary>Text is neutralised and quoted; a number is written as given.</summary>
    public bool IsText { get; }

    public static CsvCell Text(string? value) => new(value, isText: true);

    /// <summary>A number in the invariant culture, with <paramref name="format"/> when given (e.g. <c>0.000</c>).</summary>
    public static CsvCell Number(IFormattable? value, string? format = null) => new(value?.ToString(format, CultureInfo.InvariantCulture), isText: false);

    /// <summary>
    /// A value of the usual types: text, numbers (a double with at most four decimals), <c>true</c>/<c>false</c>,
    /// a list of names joined with ';', an enum by its name.
    /// </summary>
    public static CsvCell Of(object? value) => value switch
    {
        null => new(null, isText: false),
        CsvCell cell => cell,
        string s => Text(s),
        bool b => new(b ? "true" : "false", isText: false),
        double d => Number(d, "0.####"),
        float f => Number(f, "0.####"),
        Enum e => Text(e.ToString()),
        IEnumerable<string> names => Text(string.Join(';', names)),
        IFormattable f => new(f.ToString(null, CultureInfo.InvariantCulture), isText: false),
        _ => Text(value.ToString()),
    };

    public static implicit operator CsvCell(string? value) => Text(value);

    public static implicit operator CsvCell(int value) => Number(value);

    public static implicit operator CsvCell(long value) => Number(value);

    public static implicit operator CsvCell(decimal value) => Number(value);

    public static CsvCell FromString(string? value) => Text(value);

    public static CsvCell FromInt32(int value) => Number(value);

    public static CsvCell FromInt64(long value) => Number(value);

    public static CsvCell FromDecimal(decimal value) => Number(value);
}

/// <summary>
/// The one CSV encoding of every export, over HTTP and from the command line alike: UTF-8 (no BOM), comma separated,
/// records ending in "\n", fields quoted as RFC 4180 says (a field holding a comma, a double quote, CR or LF is
/// enclosed in double quotes, its double quotes doubled). A text cell that begins with <c>=</c>, <c>+</c>, <c>-</c>,
/// <c>@</c>, a tab or a carriage return is neutralised as OWASP's CSV-injection guidance advises: prefixed with a
/// single quote, so a spreadsheet shows it as text instead of evaluating it.
/// </summary>
public static class Csv
{
    /// <summary>The characters that make a spreadsheet read a cell as a formula (OWASP, CSV injection).</summary>
    private static readonly SearchValues<char> FormulaStart = SearchValues.Create("=+-@\t\r");

    private static readonly SearchValues<char> NeedsQuotes = SearchValues.Create(",\"\r\n");

    /// <summary>One field, neutralised (text) and quoted where needed.</summary>
    public static string Field(CsvCell cell)
    {
        var value = cell.Value;
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        if (cell.IsText && FormulaStart.Contains(value[0]))
        {
            value = "'" + value;
        }

        return value.AsSpan().IndexOfAny(NeedsQuotes) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    /// <summary>One record: its fields joined with commas and the closing "\n".</summary>
    public static string Line(params IEnumerable<CsvCell> cells) => string.Join(',', cells.Select(Field)) + "\n";

    /// <summary>Appends one record to <paramref name="builder"/>.</summary>
    public static StringBuilder AppendLine(this StringBuilder builder, params IEnumerable<CsvCell> cells)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AppendJoin(',', cells.Select(Field)).Append('\n');
    }

    /// <summary>A whole table: the header, then one record per row.</summary>
    public static string Table<T>(IReadOnlyList<(string Header, Func<T, object?> Value)> columns, IEnumerable<T> rows)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(rows);
        var builder = new StringBuilder().AppendLine(columns.Select(c => CsvCell.Text(c.Header)));
        foreach (var row in rows)
        {
            builder.AppendLine(columns.Select(c => CsvCell.Of(c.Value(row))));
        }

        return builder.ToString();
    }

    /// <summary>UTF-8 without a byte-order mark: what every export is written in.</summary>
    public static readonly Encoding Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
}
