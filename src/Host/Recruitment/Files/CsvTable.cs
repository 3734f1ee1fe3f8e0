using Merit.Localization;
using System.Text;

namespace Merit.Recruitment.Files;

/// <summary>A problem in an imported file, with the line it is on (1 = the header).</summary>
public sealed record FileError(int Line, string? Column, string Message)
{
    /// <summary>The error as one line in the current language (the message was said in it when the file was read).</summary>
    public override string ToString() => Column is null ? Texts.Current.Say($"line {Line}: {Message}") : Texts.Current.Say($"line {Line}, {Column}: {Message}");
}

/// <summary>One data row of a CSV file: its line number and its fields, read by column name through the file's header.</summary>
public sealed class CsvRow(int line, CsvHeader header, string[] values)
{
    public int Line => line;

    /// <summary>The fields in the header's order, as the staging table keeps them.</summary>
    internal string[] Values => values;

    public string this[string column] => values[header.IndexOf(column)];

    public string? Optional(string column) =>
        header.TryIndexOf(column, out var index) && values[index].Length > 0 ? values[index] : null;
}

/// <summary>The columns of a file, shared by all its rows (a dictionary per row cost more than the row's own fields).</summary>
public sealed class CsvHeader(IReadOnlyList<string> columns)
{
    private readonly Dictionary<string, int> indexes = columns.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i, StringComparer.Ordinal);

    public int IndexOf(string column) => indexes.TryGetValue(column, out var index) ? index : throw new KeyNotFoundException($"no column {column}");

    public bool TryIndexOf(string column, out int index) => indexes.TryGetValue(column, out index);
}

/// <summary>
/// Reads the CSV files rounds arrive in: UTF-8, comma, a header row naming exactly the required columns (and
/// optional ones); an extra column, a missing one, broken quoting or invalid UTF-8 is an error with its line.
/// Fields may be quoted (RFC 4180: embedded commas, doubled quotes, line breaks); blank lines are skipped.
/// </summary>
public static class CsvTable
{
    public const int MaxFieldLength = 4_000;

    public static (IReadOnlyList<CsvRow> Rows, IReadOnlyList<FileError> Errors) Read(Stream stream, IReadOnlyList<string> required, IReadOnlyList<string>? optional = null)
    {
        var errors = new List<FileError>();
        var rows = new List<CsvRow>();
        using var reader = CsvFileReader.Open(stream, required, optional, errors);
        if (reader is not null)
        {
            rows.AddRange(reader.Rows(errors));
            if (reader.NotUtf8)
            {
                // Nothing read before the bad bytes counts: the file as a whole is not text.
                return ([], errors.Where(e => e.Line == 0).ToList());
            }
        }

        return (rows, errors.OrderBy(e => e.Line).ToList());
    }
}

/// <summary>
/// A CSV file read row by row, for the imports that hold a chunk of a file at a time rather than the whole of it:
/// the header is checked when the file is opened, each row as it is read; a row with a problem is reported and
/// skipped, and invalid UTF-8 ends the file with its error.
/// </summary>
public sealed class CsvFileReader : IDisposable
{
    private readonly StreamReader reader;
    private readonly CsvRecordReader records;
    private bool ended;

    private CsvFileReader(StreamReader reader, CsvRecordReader records, CsvHeader header, int width)
    {
        this.reader = reader;
        this.records = records;
        Header = header;
        Width = width;
    }

    public CsvHeader Header { get; }

    /// <summary>The file held bytes that are not UTF-8: its error was reported and reading stopped there.</summary>
    public bool NotUtf8 { get; private set; }

    /// <summary>The number of columns of the header, which every row must have.</summary>
    public int Width { get; }

    /// <summary>The file's reader positioned after its header; null (and the header's errors added) when the header is wrong.</summary>
    public static CsvFileReader? Open(Stream stream, IReadOnlyList<string> required, IReadOnlyList<string>? optional, List<FileError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        optional ??= [];
        var reader = new StreamReader(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: true, leaveOpen: true);
        var records = new CsvRecordReader(reader);
        var before = errors.Count;
        try
        {
            while (records.Next() is { } record)
            {
                if (record.Fields is not { } fields)
                {
                    errors.Add(new FileError(records.Line, null, Texts.Current.Say("malformed CSV (broken quoting)")));
                    continue;
                }

                var names = fields.Select(h => h.Trim()).ToArray();
                foreach (var missing in required.Where(r => !names.Contains(r, StringComparer.Ordinal)))
                {
                    errors.Add(new FileError(records.Line, missing, Texts.Current.Say("required column missing")));
                }

                foreach (var extra in names.Where(h => !required.Contains(h, StringComparer.Ordinal) && !optional.Contains(h, StringComparer.Ordinal)))
                {
                    errors.Add(new FileError(records.Line, extra, Texts.Current.Say($"unknown column; the columns are {string.Join(',', required.Concat(optional))}")));
                }

                if (names.Distinct(StringComparer.Ordinal).Count() != names.Length)
                {
                    errors.Add(new FileError(records.Line, null, Texts.Current.Say("a column is named twice")));
                }

                if (errors.Count > before)
                {
                    break;
                }

                return new CsvFileReader(reader, records, new CsvHeader(names), names.Length);
            }
        }
        catch (DecoderFallbackException)
        {
            // Thrown wherever the reader first meets the bad bytes (it reads ahead), so caught here once.
            errors.Add(new FileError(0, null, Texts.Current.Say("the file is not valid UTF-8")));
        }

        if (errors.Count == before)
        {
            errors.Add(new FileError(1, null, Texts.Current.Say($"the file is empty; expected the header {string.Join(',', required)}")));
        }

        reader.Dispose();
        return null;
    }

    /// <summary>The rows after the header, in the file's order; a row with a problem is added to <paramref name="errors"/> instead.</summary>
    public IEnumerable<CsvRow> Rows(List<FileError> errors)
    {
        while (Next(errors) is { } row)
        {
            yield return row;
        }
    }

    /// <summary>The next good row, or null at the end of the file.</summary>
    public CsvRow? Next(List<FileError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        while (!ended)
        {
            CsvRecord? next;
            try
            {
                next = records.Next();
            }
            catch (DecoderFallbackException)
            {
                errors.Add(new FileError(0, null, Texts.Current.Say("the file is not valid UTF-8")));
                NotUtf8 = true;
                next = null;
            }

            if (next is not { } record)
            {
                ended = true;
                break;
            }

            var line = records.Line;
            if (record.Fields is not { } fields)
            {
                errors.Add(new FileError(line, null, Texts.Current.Say("malformed CSV (broken quoting)")));
                continue;
            }

            if (fields.Length != Width)
            {
                errors.Add(new FileError(line, null, Texts.Current.Say($"{fields.Length} fields where the header has {Width}")));
                continue;
            }

            if (fields.Any(f => f.Length > CsvTable.MaxFieldLength))
            {
                errors.Add(new FileError(line, null, Texts.Current.Say($"a field is longer than {CsvTable.MaxFieldLength} characters")));
                continue;
            }

            for (var i = 0; i < fields.Length; i++)
            {
                fields[i] = fields[i].Trim();
            }

            return new CsvRow(line, Header, fields);
        }

        return null;
    }

    public void Dispose() => reader.Dispose();

    /// <summary>One record: its fields, or none when its quoting is broken.</summary>
    private readonly record struct CsvRecord(string[]? Fields);

    /// <summary>
    /// RFC 4180 records, line by line: a line without quotes is split at its commas; a quoted field may hold commas,
    /// doubled quotes and line breaks. A closing quote followed by anything but a comma or the line's end, or a quote
    /// left open at the end of the file, makes the record malformed (reading resumes at the next line).
    /// </summary>
    private sealed class CsvRecordReader(TextReader reader)
    {
        private int nextLine = 1;

        /// <summary>The line the last record started on (1 = the first line of the file).</summary>
        public int Line { get; private set; }

        public CsvRecord? Next()
        {
            string? text;
            do
            {
                Line = nextLine++;
                text = reader.ReadLine();
                if (text is null)
                {
                    return null;
                }
            }
            while (string.IsNullOrWhiteSpace(text));

            if (!text.Contains('"', StringComparison.Ordinal))
            {
                return new CsvRecord(text.Split(','));
            }

            var fields = new List<string>();
            var field = new StringBuilder();
            var position = 0;
            while (true)
            {
                if (position < text.Length && text[position] == '"')
                {
                    // A quoted field: up to the quote that is not doubled, across lines if need be.
                    position++;
                    while (true)
                    {
                        var quote = text.IndexOf('"', position);
                        if (quote < 0)
                        {
                            field.Append(text, position, text.Length - position).Append('\n');
                            text = reader.ReadLine();
                            nextLine++;
                            if (text is null)
                            {
                                return new CsvRecord(null);
                            }

                            position = 0;
                            continue;
                        }

                        field.Append(text, position, quote - position);
                        if (quote + 1 < text.Length && text[quote + 1] == '"')
                        {
                            field.Append('"');
                            position = quote + 2;
                            continue;
                        }

                        position = quote + 1;
                        break;
                    }

                    if (position < text.Length && text[position] != ',')
                    {
                        return new CsvRecord(null);
                    }
                }
                else
                {
                    var comma = text.IndexOf(',', position);
                    var end = comma < 0 ? text.Length : comma;
                    field.Append(text, position, end - position);
                    position = end;
                }

                fields.Add(field.ToString());
                field.Clear();
                if (position >= text.Length)
                {
                    return new CsvRecord([.. fields]);
                }

                position++; // the comma
                if (position == text.Length)
                {
                    fields.Add("");
                    return new CsvRecord([.. fields]);
                }
            }
        }
    }
}
