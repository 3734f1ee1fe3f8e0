using System.Globalization;
using Marten;
using Merit.Deciding;
using Merit.Identifiers;
using Merit.Recruitment.Files;

using Merit.Infrastructure;
using Merit.PersonalData;
using Merit.Localization;

namespace Merit.Career.Files;

/// <summary>
/// Imports an existing workforce: one row per civil servant with the current rank and its TMT, education, position
/// and the last two SKP predicates. Like the recruitment imports, the whole file is read, validated and decided
/// before anything is written (errors carry line numbers); events are then appended in batches through the bulk writer, one transaction
/// each; a row already imported with the same content appends nothing, so importing the file twice is harmless.
/// The NIP only derives the stream id (a keyed pseudonym) and is not stored; it raises its prefix's NIP counter, so
/// no NIP issued later repeats it (R23).
/// </summary>
public sealed class WorkforceImports(IDocumentStore store, BulkEventWriter writer, EventTableStatistics statistics, CivilServantIds ids, PersonalDataProtector protector, TimeProvider clock)
{
    public const int BatchSize = 2_000;

    public const string Kind = "workforce";

    public static readonly string[] Columns = ["nip", "instansi_code", "tmt_cpns", "rank", "rank_tmt", "education", "position", "skp_year", "skp_last", "skp_previous"];

    public static readonly string[] OptionalColumns = ["tmt_pns", "jf_level", "credit_points", "superior_rank", "service_exams"];

    /// <summary>
    /// Imports <paramref name="file"/>. <paramref name="scope"/> answers, for an instansi code, null when the caller
    /// reaches it, else the refusal: a row of an instansi outside it, or a row that would change the record of a civil
    /// servant of such an instansi, refuses the whole file (<see cref="ImportReport.Refusal"/>) and nothing is written.
    /// </summary>
    public async Task<ImportReport> ImportAsync(Stream file, string actor, Func<string, Refusal?> scope, IProgress<ImportProgress>? progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var (rows, errors) = CsvTable.Read(file, Columns, OptionalColumns);
        if (errors.Count > 0)
        {
            return ImportReport.Failed(Kind, rows.Count, errors);
        }

        var errorList = new List<FileError>();
        var parsed = new List<(CsvRow Row, ImportWorkforceRecord Command)>(rows.Count);
        var now = clock.GetUtcNow();
        var firstLineOfNip = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            if (Parse(row, now, errorList) is { } command)
            {
                if (firstLineOfNip.TryGetValue(row["nip"], out var first))
                {
                    errorList.Add(new FileError(row.Line, "nip", Texts.Current.Say($"duplicate of line {first}")));
                    continue;
                }

                firstLineOfNip[row["nip"]] = row.Line;
                parsed.Add((row, command));
            }
        }

        if (parsed.Select(p => p.Command.InstansiCode).Distinct(StringComparer.Ordinal).Select(scope).FirstOrDefault(r => r is not null) is { } outside)
        {
            return ImportReport.Refused(Kind, rows.Count, outside);
        }

        var decisions = new List<Decision>(parsed.Count);
        var unchanged = 0;
        await using (var query = store.QuerySession())
        {
            foreach (var batch in parsed.Chunk(BatchSize))
            {
                var existing = (await query.LoadManyAsync<CareerRecord>(ct, batch.Select(b => b.Command.ServantId).ToArray())).ToDictionary(r => r.Id);
                if (existing.Values.Select(r => r.InstansiCode).Distinct(StringComparer.Ordinal).Select(scope).FirstOrDefault(r => r is not null) is { } theirs)
                {
                    return ImportReport.Refused(Kind, rows.Count, theirs);
                }

                foreach (var (row, command) in batch)
                {
                    var decision = CareerDecisions.Import(existing.GetValueOrDefault(command.ServantId), command);
                    if (decision.Refusal is { } refusal)
                    {
                        errorList.Add(new FileError(row.Line, ColumnOf(refusal.Field), $"{Texts.Current.Say(refusal)} [{refusal.Code}]"));
                    }
                    else if (decision.Events.Count == 0)
                    {
                        unchanged++;
                    }
                    else
                    {
                        decisions.Add(decision);
                    }
                }

                progress?.Report(new ImportProgress("checked", decisions.Count + unchanged + errorList.Count, rows.Count));
            }
        }

        if (errorList.Count > 0)
        {
            return ImportReport.Failed(Kind, rows.Count, errorList.DistinctBy(e => (e.Line, e.Column ?? e.Message)).OrderBy(e => e.Line).ToList());
        }

        // Through the bulk writer (docs/adr/0019): every row starts its own stream, so a batch is one COPY transaction.
        var correlation = Guid.NewGuid().ToString("N");
        var appended = 0;
        var started = new Dictionary<Guid, long>();
        foreach (var batch in decisions.Chunk(BatchSize))
        {
            await writer.WriteAsync(batch.SelectMany(d => d.BulkAppends(started)).ToList(), [], actor, correlation, ct);
            await statistics.RefreshIfOutgrownAsync(ct);
            appended += batch.Length;
            progress?.Report(new ImportProgress("written", appended, decisions.Count));
        }

        // Every row's NIP, those already imported too: the counters of a workforce imported before they were kept catch up.
        foreach (var batch in parsed.Chunk(BatchSize))
        {
            await using var session = await store.OpenWriteSessionAsync(actor, correlation, ct);
            await session.RecordKnownNipsAsync(protector, batch.Select(p => p.Row["nip"]), ct);
            await session.SaveChangesAsync(ct);
        }

        return new ImportReport(Kind, rows.Count, appended, unchanged, []);
    }

    /// <summary>One row as a command, or null with its errors (one per column) added.</summary>
    private ImportWorkforceRecord? Parse(CsvRow row, DateTimeOffset now, List<FileError> errors)
    {
        var before = errors.Count;
        var nip = row["nip"];
        if (Nip.Problem(nip) is { } problem)
        {
            errors.Add(new FileError(row.Line, "nip", Texts.Current.Say(problem)));
        }

        var instansi = row["instansi_code"];
        if (instansi.Length is 0 or > 42)
        {
            errors.Add(new FileError(row.Line, "instansi_code", Texts.Current.Say("an instansi code of 1–42 characters is required")));
        }

        var tmtCpns = Date(row, "tmt_cpns", errors);
        var tmtPns = row.Optional("tmt_pns") is null ? null : Date(row, "tmt_pns", errors);
        var rank = RankOf(row, "rank", errors);
        var rankTmt = Date(row, "rank_tmt", errors);
        var education = Enum<Education>(row, "education", errors);
        var position = Enum<PositionKind>(row, "position", errors);
        var level = row.Optional("jf_level") is null ? null : Enum<FunctionalLevel>(row, "jf_level", errors);
        var superior = row.Optional("superior_rank") is null ? null : RankOf(row, "superior_rank", errors);
        decimal? credit = null;
        if (row.Optional("credit_points") is { } creditText)
        {
            if (decimal.TryParse(creditText, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) && value <= 10_000m)
            {
                credit = value;
            }
            else
            {
                errors.Add(new FileError(row.Line, "credit_points", Texts.Current.Say("must be a number 0–10000")));
            }
        }

        var exams = new List<ServiceExamLevel>();
        foreach (var exam in (row.Optional("service_exams") ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (CareerCodes.IsEnum<ServiceExamLevel>(exam))
            {
                exams.Add(CareerCodes.Parse<ServiceExamLevel>(exam));
            }
            else
            {
                errors.Add(new FileError(row.Line, "service_exams", Texts.Current.Say("must be I, II or I;II")));
            }
        }

        var predicates = new Dictionary<int, Predicate>();
        if (!int.TryParse(row["skp_year"], NumberStyles.None, CultureInfo.InvariantCulture, out var skpYear) || skpYear is < 1950 or > 2100)
        {
            errors.Add(new FileError(row.Line, "skp_year", Texts.Current.Say("must be a year")));
        }
        else
        {
            if (Enum<Predicate>(row, "skp_last", errors) is { } last)
            {
                predicates[skpYear] = last;
            }

            if (Enum<Predicate>(row, "skp_previous", errors) is { } previous)
            {
                predicates[skpYear - 1] = previous;
            }
        }

        if (errors.Count == before && Nip.Parse(nip).TmtCpns != tmtCpns)
        {
            errors.Add(new FileError(row.Line, "tmt_cpns", Texts.Current.Say("differs from the TMT CPNS the NIP encodes (digits 9–14, R22)")));
        }

        if (errors.Count > before)
        {
            return null;
        }

        return new ImportWorkforceRecord(ids.For(nip), instansi, tmtCpns!.Value, tmtPns, rank!.Value, rankTmt!.Value, education!.Value, position!.Value, level, superior, predicates, exams, credit, now);
    }

    private static DateOnly? Date(CsvRow row, string column, List<FileError> errors)
    {
        if (IsoDate.TryParse(row[column], out var date))
        {
            return date;
        }

        errors.Add(new FileError(row.Line, column, Texts.Current.Say("must be an ISO date (yyyy-MM-dd)")));
        return null;
    }

    private static Rank? RankOf(CsvRow row, string column, List<FileError> errors)
    {
        if (Rank.TryParse(row[column], out var rank))
        {
            return rank;
        }

        errors.Add(new FileError(row.Line, column, Texts.Current.Say($"must be a rank code: {Rank.CodeList}")));
        return null;
    }

    private static T? Enum<T>(CsvRow row, string column, List<FileError> errors)
        where T : struct, System.Enum
    {
        if (CareerCodes.IsEnum<T>(row[column]))
        {
            return CareerCodes.Parse<T>(row[column]);
        }

        errors.Add(new FileError(row.Line, column, Texts.Current.Say($"must be one of {string.Join(", ", System.Enum.GetNames<T>())}")));
        return null;
    }

    private static string? ColumnOf(string? field) => field switch
    {
        "tmtCpns" => "tmt_cpns",
        "rankTmt" => "rank_tmt",
        "functionalLevel" => "jf_level",
        "creditPoints" => "credit_points",
        _ => field,
    };
}
