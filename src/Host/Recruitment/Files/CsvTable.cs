using System.Text;
using Microsoft.VisualBasic.FileIO;

namespace Merit.Recruitment.Files;

/// <summary>A problem in an imported file, with the line it is on (1 = the header).</summary>
public sealed record FileError(int Line, string? Column, string Message)
{
    public override string ToString() => Column is null ? $"line {Line}: {Message}" : $"line {Line}, {Column}: {Message}";
}

/// <summary>One data row of a CSV file: its line number and its fields by column name.</summary>
public sealed record CsvRow(int Line, IReadOnlyDictionary<string, string> Fields)
{
    public string this[string column] => Fields[column];

    public string? Optional(string column) =>
        Fields.TryGetValue(column, out var value) && value.Length > 0 ? value : null;
}

/// <summary>
/// Reads the CSV files rounds arrive in: UTF-8, comma, a header row naming exactly the required columns (and
/// optional ones); an extra column, a missing one, broken quoting or invalid UTF-8 is an error with its line.
/// </summary>
public static class CsvTable
{
    public const int MaxFieldLength = 4_000;

    public static (IReadOnlyList<CsvRow> Rows, IReadOnlyList<FileError> Errors) Read(Stream stream, IReadOnlyList<string> required, IReadOnlyList<string>? optional = null)
    {
        try
        {
            return ReadChecked(stream, required, optional);
        }
        catch (DecoderFallbackException)
        {
            // Thrown wherever the reader first meets the bad bytes (it reads ahead), so caught here once.
            return ([], [new FileError(0, null, "the file is not valid UTF-8")]);
        }
    }

    private static (IReadOnlyList<CsvRow> Rows, IReadOnlyList<FileError> Errors) ReadChecked(Stream stream, IReadOnlyList<string> required, IReadOnlyList<string>? optional)
    {
        optional ??= [];
        var errors = new List<FileError>();
        var rows = new List<CsvRow>();
        using var reader = new StreamReader(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: true);

        // .NET's own RFC 4180 reader: quoted fields, embedded commas and quotes, and the line of a malformed record.
        using var parser = new TextFieldParser(reader)
        {
            TextFieldType = FieldType.Delimited,
            Delimiters = [","],
            HasFieldsEnclosedInQuotes = true,
            TrimWhiteSpace = false,
        };

        string[]? header = null;
        while (!parser.EndOfData)
        {
            var line = (int)parser.LineNumber;
            string[]? record;
            try
            {
                record = parser.ReadFields();
            }
            catch (MalformedLineException e)
            {
                errors.Add(new FileError((int)e.LineNumber, null, "malformed CSV (broken quoting)"));
                continue;
            }

            if (record is null)
            {
                continue;
            }

            if (header is null)
            {
                header = record.Select(h => h.Trim()).ToArray();
                foreach (var missing in required.Where(r => !header.Contains(r, StringComparer.Ordinal)))
                {
                    errors.Add(new FileError(line, missing, "required column missing"));
                }

                foreach (var extra in header.Where(h => !required.Contains(h, StringComparer.Ordinal) && !optional.Contains(h, StringComparer.Ordinal)))
                {
                    errors.Add(new FileError(line, extra, $"unknown column; the columns are {string.Join(',', required.Concat(optional))}"));
                }

                if (header.Distinct(StringComparer.Ordinal).Count() != header.Length)
                {
                    errors.Add(new FileError(line, null, "a column is named twice"));
                }

                if (errors.Count > 0)
                {
                    return ([], errors);
                }

                continue;
            }

            if (record.Length != header.Length)
            {
                errors.Add(new FileError(line, null, $"{record.Length} fields where the header has {header.Length}"));
                continue;
            }

            if (record.Any(f => f.Length > MaxFieldLength))
            {
                errors.Add(new FileError(line, null, $"a field is longer than {MaxFieldLength} characters"));
                continue;
            }

            rows.Add(new CsvRow(line, header.Zip(record).ToDictionary(p => p.First, p => p.Second.Trim(), StringComparer.Ordinal)));
        }

        if (header is null && errors.Count == 0)
        {
            errors.Add(new FileError(1, null, $"the file is empty; expected the header {string.Join(',', required)}"));
        }

        return (rows, errors.OrderBy(e => e.Line).ToList());
    }
}
