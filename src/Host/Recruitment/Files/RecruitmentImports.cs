using System.Globalization;
using FluentValidation;
using JasperFx;
using Marten;
using Merit.Deciding;
using Merit.Infrastructure;
using Merit.PersonalData;
using Merit.Localization;

namespace Merit.Recruitment.Files;

/// <summary>The outcome of an import: rows read, events appended, rows already present, or the errors that stopped it.</summary>
public sealed record ImportReport(string Kind, int Rows, int Appended, int Unchanged, IReadOnlyList<FileError> Errors)
{
    /// <summary>The caller may not import this file at all (a scope): answered as that refusal, nothing written.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public Deciding.Refusal? Refusal { get; init; }

    public bool Succeeded => Errors.Count == 0 && Refusal is null;

    public static ImportReport Failed(string kind, int rows, IReadOnlyList<FileError> errors) => new(kind, rows, 0, 0, errors);

    public static ImportReport Refused(string kind, int rows, Deciding.Refusal refusal) => new(kind, rows, 0, 0, []) { Refusal = refusal };
}

/// <summary>Progress of a long import: rows decided or written so far, of the total.</summary>
public sealed record ImportProgress(string Phase, int Done, int Total);

/// <summary>
/// Imports the files a round arrives in. Every row goes through the same pure decision as the HTTP command.
/// The whole file is read, validated and decided before anything is written, so a bad file changes nothing and
/// its errors carry line numbers; then events are appended in batches (one transaction per batch). Rows already
/// recorded with the same content are skipped, so importing a file twice appends nothing the second time.
/// </summary>
public sealed class RecruitmentImports(IDocumentStore store, BulkEventWriter writer, EventTableStatistics statistics, PersonalDataProtector protector, TimeProvider clock, IValidator<OpenFormationRequest> formationValidator, IValidator<RegisterApplicantRequest> applicantValidator)
{
    public const int BatchSize = 1_000;

    /// <summary>Decisions per write transaction: large enough that COPY, not round trips, sets the pace.</summary>
    public const int WriteBatchSize = 5_000;

    /// <summary>Write transactions in flight at once during an import.</summary>
    public const int WritersInParallel = 2;

    public static readonly string[] FormationColumns = ["formation_code", "instansi_code", "position", "location", "category", "allocation", "education_level"];

    /// <summary><c>position_kind</c>: the kind that gives the extended age limit (R06), e.g. dokter_spesialis; empty for none.</summary>
    public static readonly string[] FormationOptionalColumns = ["position_kind"];
    public static readonly string[] ApplicantColumns = ["registration_number", "formation_code", "sex", "birth_date", "gpa"];

    /// <summary>
    /// <c>registered_on</c>: the day the person applied (SSCASN), an ISO date or a date-time with its offset, read in the
    /// round's zone; empty: the last day of the round's registration window. Never the clock at import (R06).
    /// </summary>
    public static readonly string[] ApplicantOptionalColumns = ["nik", "full_name", "education_level", "registered_on"];
    public static readonly string[] VerificationColumns = ["registration_number", "result", "reason"];
    public static readonly string[] SkdColumns = ["registration_number", "twk", "tiu", "tkp"];
    public static readonly string[] SkbColumns = ["registration_number", "skb_score"];

    /// <summary>
    /// A formations file (the round's formasi), staged like the applicants' (docs/adr/0053): checked whole, a chunk at a
    /// time, before anything is written; then decided again and written a batch at a time.
    /// </summary>
    public async Task<ImportReport> FormationsAsync(string roundCode, Stream file, string actor, IProgress<ImportProgress>? progress, CancellationToken ct)
    {
        const string kind = "formations";
        Round? found;
        await using (var query = store.QuerySession())
        {
            found = await RoundAsync(query, roundCode, ct);
        }

        if (found is not { } round)
        {
            return ImportReport.Failed(kind, 0, [new FileError(0, null, Texts.Current.Say($"no round {roundCode}"))]);
        }

        var errorList = new List<FileError>();
        await using var staging = await ImportStaging.LoadAsync(store, file, FormationColumns, FormationOptionalColumns,
            row => new StagedKeys(FormationDecisions.IdFor(round.Id, row["formation_code"])), errorList, ct);
        if (staging is null)
        {
            return ImportReport.Failed(kind, 0, errorList);
        }

        errorList.AddRange(await staging.DuplicatesAsync("id", "formation_code", ct));
        var now = clock.GetUtcNow();
        return await CheckThenWriteAsync(kind, staging, errorList, grouped: false,
            (session, batch, token) => CheckFormationsAsync(session, round, batch, now, token),
            decisions => ([.. decisions.SelectMany(d => d.BulkAppends(NewStreams))], []), actor, progress, ct);
    }

    /// <summary>What checking one batch of a staged file came to: the rows accepted, rows already recorded as they are, errors.</summary>
    private sealed record StagedBatch<T>(List<T> Accepted, int Unchanged, List<FileError> Errors);

    /// <summary>
    /// The two passes over a staged file (docs/adr/0053). The check: batches side by side, each on a session of its
    /// own (one waits on PostgreSQL while the other decides); their decisions are dropped, so the check holds two
    /// batches, whatever the file's size. Then, when no row failed, the write: each batch decided again and written as
    /// decided (its streams and documents by <paramref name="rowsOf"/>), in the file's order or grouped.
    /// </summary>
    private async Task<ImportReport> CheckThenWriteAsync<T>(
        string kind,
        ImportStaging staging,
        List<FileError> errorList,
        bool grouped,
        Func<IQuerySession, CsvRow[], CancellationToken, Task<StagedBatch<T>>> check,
        Func<List<T>, (List<BulkAppend> Streams, List<BulkDocument> Documents)> rowsOf,
        string actor,
        IProgress<ImportProgress>? progress,
        CancellationToken ct)
    {
        var options = new ParallelOptions { MaxDegreeOfParallelism = WritersInParallel, CancellationToken = ct };
        var (unchanged, checkedRows) = (0, 0);
        if (errorList.Count < ImportStaging.MaxErrors)
        {
            await Parallel.ForEachAsync(staging.ChunksAsync(grouped: false, BatchSize, ct), options, async (batch, token) =>
            {
                await using var session = store.QuerySession();
                var checkedBatch = await check(session, batch, token);
                lock (errorList)
                {
                    errorList.AddRange(checkedBatch.Errors);
                }

                Interlocked.Add(ref unchanged, checkedBatch.Unchanged);
                progress?.Report(new ImportProgress("checked", Interlocked.Add(ref checkedRows, batch.Length), staging.Rows));
            });
        }

        if (errorList.Count > 0)
        {
            return ImportReport.Failed(kind, staging.Rows, Listed(errorList));
        }

        var correlation = Guid.NewGuid().ToString("N");
        var (appended, written) = (0, 0);
        await Parallel.ForEachAsync(staging.ChunksAsync(grouped, WriteBatchSize, ct), options, async (batch, token) =>
        {
            await using var session = store.QuerySession();
            var decided = await check(session, batch, token);
            if (decided.Errors.Count > 0)
            {
                throw ChangedSinceChecked(decided.Errors[0]);
            }

            var (streams, documents) = rowsOf(decided.Accepted);
            Interlocked.Add(ref appended, await WriteBatchAsync(streams, documents, actor, correlation, token));
            progress?.Report(new ImportProgress("written", Interlocked.Add(ref written, batch.Length), staging.Rows));
        });

        return new ImportReport(kind, staging.Rows, appended, unchanged, []);
    }

    private async Task<StagedBatch<Decision>> CheckFormationsAsync(IQuerySession query, Round round, CsvRow[] batch, DateTimeOffset now, CancellationToken ct)
    {
        var errorList = new List<FileError>();
        var decisions = new List<Decision>(batch.Length);
        var unchanged = 0;
        var existing = (await query.LoadManyAsync<Formation>(ct, batch.Select(r => FormationDecisions.IdFor(round.Id, r["formation_code"])).ToArray()))
            .ToDictionary(f => f.Code, StringComparer.Ordinal);
        foreach (var row in batch)
        {
            var request = new OpenFormationRequest(row["formation_code"], row["instansi_code"], row["position"], row["location"], row["category"], ParseInt(row, "allocation", errorList) ?? 0, row["education_level"]);
            if (!Valid(row, formationValidator.Validate(request), errorList, FormationColumnOf))
            {
                continue;
            }

            var positionKind = row.Optional("position_kind");
            if (existing.TryGetValue(request.Code, out var formation))
            {
                if (formation.InstansiCode != request.InstansiCode || formation.Allocation != request.Allocation || formation.Position != request.Position || formation.PositionKind != positionKind)
                {
                    errorList.Add(new FileError(row.Line, "formation_code", Texts.Current.Say($"formation {request.Code} is already open with different data")));
                }

                unchanged++;
                continue;
            }

            var command = new OpenFormation(round.Id, request.Code, request.InstansiCode, request.Position, request.Location, FormationCategories.Parse(request.Category), request.Allocation, Enum.Parse<EducationLevel>(request.EducationLevel), now, positionKind);
            Collect(row, FormationDecisions.Open(round, null, command), decisions, errorList);
        }

        return new StagedBatch<Decision>(decisions, unchanged, errorList);
    }

    public async Task<ImportReport> ApplicantsAsync(string roundCode, Stream file, string actor, IProgress<ImportProgress>? progress, CancellationToken ct)
    {
        const string kind = "applicants";
        var (found, formationList) = await RoundWithFormationsAsync(roundCode, ct);
        if (found is not { } round)
        {
            return ImportReport.Failed(kind, 0, [new FileError(0, null, Texts.Current.Say($"no round {roundCode}"))]);
        }

        var formations = formationList.ToDictionary(f => f.Code, StringComparer.Ordinal);
        var errorList = new List<FileError>();
        await using var staging = await ImportStaging.LoadAsync(store, file, ApplicantColumns, ApplicantOptionalColumns, row => new StagedKeys(
            ApplicationDecisions.IdFor(round.Id, row["registration_number"]),
            row.Optional("nik") is { } nik ? protector.PersonIdFor(nik) : null,
            row["formation_code"]), errorList, ct);
        if (staging is null)
        {
            return ImportReport.Failed(kind, 0, errorList);
        }

        errorList.AddRange(await staging.DuplicatesAsync("id", "registration_number", ct));
        errorList.AddRange(await staging.DuplicatesAsync("alternate", "nik", ct));
        var now = clock.GetUtcNow();

        // Written grouped by formation: the per-formation read models load and store one document per formation a
        // projection page touches; in the file's order a page of 10,000 events touches nearly as many formations,
        // grouped about one per formation's applicants (docs/adr/0019). Rankings break ties by the regulation's
        // rules, never by arrival.
        return await CheckThenWriteAsync(kind, staging, errorList, grouped: true,
            (session, batch, token) => CheckApplicantsAsync(session, round, formations, batch, now, token),
            accepted => (
                [.. accepted.SelectMany(d => d.Decision.BulkAppends(NewStreams))],
                [.. accepted.SelectMany(d =>
                {
                    var registered = (ApplicantRegistered)d.Decision.Events[0];
                    return PersonalDataSession.PersonDocuments(d.Person, registered.RoundId, registered.ApplicationId);
                })]),
            actor, progress, ct);
    }

    /// <summary>One batch of applicant rows checked: the accepted registrations with their personal records.</summary>
    private async Task<StagedBatch<(Decision Decision, PersonRecord Person)>> CheckApplicantsAsync(IQuerySession query, Round round, Dictionary<string, Formation> formations, CsvRow[] batch, DateTimeOffset now, CancellationToken ct)
    {
        var errorList = new List<FileError>();
        var decisions = new List<(Decision Decision, PersonRecord Person)>(batch.Length);
        var unchanged = 0;
        var ids = batch.Select(r => ApplicationDecisions.IdFor(round.Id, r["registration_number"])).ToArray();
        var existing = (await query.LoadManyAsync<Application>(ct, ids)).ToDictionary(a => a.Id);
        var requests = new List<(CsvRow Row, RegisterApplicantRequest Request, Guid PersonId, ApplicationDate Applied)>();
        foreach (var row in batch)
        {
            formations.TryGetValue(row["formation_code"], out var formation);
            if (formation is null)
            {
                errorList.Add(new FileError(row.Line, "formation_code", Texts.Current.Say($"no formation {row["formation_code"]} in round {round.Code}")));
                continue;
            }

            var request = new RegisterApplicantRequest(
                formation.Id,
                row["registration_number"],
                row.Optional("nik"),
                row.Optional("full_name"),
                row["birth_date"],
                row["sex"],
                row.Optional("education_level") ?? formation.EducationLevel.ToString(),
                ParseDecimal(row, "gpa", errorList));
            if (!Valid(row, applicantValidator.Validate(request), errorList, ApplicantColumnOf))
            {
                continue;
            }

            if (!ApplicationDate.TryParse(row.Optional("registered_on"), out var applied, out var problem))
            {
                errorList.Add(new FileError(row.Line, "registered_on", problem!));
                continue;
            }

            var personId = request.Nik is null ? protector.PersonIdForRegistration(round.Id, request.RegistrationNumber) : protector.PersonIdFor(request.Nik);
            requests.Add((row, request, personId, applied));
        }

        var claims = (await query.LoadManyAsync<RoundRegistrationClaim>(ct, requests.Select(r => RoundRegistrationClaim.IdFor(round.Id, r.PersonId)).ToArray()))
            .ToDictionary(c => c.Id, StringComparer.Ordinal);
        var personIds = requests.Select(r => r.PersonId).ToArray();
        var bans = (await query.Query<Application>().Where(a => a.PersonId.IsOneOf(personIds) && a.BannedThroughYear != null).ToListAsync(ct))
            .GroupBy(a => a.PersonId).ToDictionary(g => g.Key, g => g.Max(a => a.BannedThroughYear));

        foreach (var (row, request, personId, applied) in requests)
        {
            var id = ApplicationDecisions.IdFor(round.Id, request.RegistrationNumber);
            if (existing.TryGetValue(id, out var application))
            {
                if (application.FormationId != request.FormationId || application.PersonId != personId)
                {
                    errorList.Add(new FileError(row.Line, "registration_number", Texts.Current.Say($"{request.RegistrationNumber} is already registered with different data")));
                }

                unchanged++;
                continue;
            }

            var birthDate = DateOnly.ParseExact(request.BirthDate, "yyyy-MM-dd", CultureInfo.InvariantCulture);
            var claimed = claims.ContainsKey(RoundRegistrationClaim.IdFor(round.Id, personId));
            var command = new RegisterApplicant(round.Id, request.FormationId, request.RegistrationNumber, personId, Enum.Parse<Sex>(request.Sex), birthDate, Enum.Parse<EducationLevel>(request.EducationLevel), request.Gpa, now, applied.Day, applied.Instant);
            var decision = ApplicationDecisions.Register(round, formations[row["formation_code"]], null, claimed, command, bans.GetValueOrDefault(personId));
            if (Collect(row, decision, null, errorList))
            {
                decisions.Add((decision, protector.Protect(personId, new PersonalDetails(request.Nik, request.FullName, birthDate))));
            }
        }

        return new StagedBatch<(Decision Decision, PersonRecord Person)>(decisions, unchanged, errorList);
    }

    public const string KnownNipsKind = "nips";

    /// <summary>
    /// NIPs already issued elsewhere (e.g. a SIASN extract; one column, <c>nip</c>): each raises its prefix's counter so
    /// no NIP issued here repeats one (R23). Checked whole first; nothing enters the event stream (a NIP embeds a birth
    /// date). The report's appended count is the counters raised.
    /// </summary>
    public async Task<ImportReport> KnownNipsAsync(Stream file, string actor, IProgress<ImportProgress>? progress, CancellationToken ct)
    {
        var (rows, errors) = CsvTable.Read(file, ["nip"]);
        if (errors.Count > 0)
        {
            return ImportReport.Failed(KnownNipsKind, rows.Count, errors);
        }

        var problems = rows.Where(r => Identifiers.Nip.Problem(r["nip"]) is not null)
            .Select(r => new FileError(r.Line, "nip", Texts.Current.Say(Identifiers.Nip.Problem(r["nip"])!)))
            .ToList();
        if (problems.Count > 0)
        {
            return ImportReport.Failed(KnownNipsKind, rows.Count, problems);
        }

        var raised = 0;
        foreach (var batch in rows.Chunk(BatchSize))
        {
            await using var session = await store.OpenWriteSessionAsync(actor, null, ct);
            raised += await session.RecordKnownNipsAsync(protector, batch.Select(r => r["nip"]), ct);
            await session.SaveChangesAsync(ct);
            progress?.Report(new ImportProgress("written", raised, rows.Count));
        }

        return new ImportReport(KnownNipsKind, rows.Count, raised, rows.Count - raised, []);
    }

    /// <summary>Administrative verification results (MS/TMS with the reason), as the instansi's verifiers send them.</summary>
    public Task<ImportReport> VerificationAsync(string roundCode, Stream file, string actor, IProgress<ImportProgress>? progress, CancellationToken ct) =>
        PerApplicantAsync("verification", VerificationColumns, roundCode, file, actor, progress, (row, round, formation, application, now, errors) =>
        {
            if (!Enum.TryParse<AdministrativeResult>(row["result"], ignoreCase: false, out var result) || int.TryParse(row["result"], out _))
            {
                errors.Add(new FileError(row.Line, "result", Texts.Current.Say("must be MS or TMS")));
                return RowOutcome.Error;
            }

            if (row["reason"].Length == 0)
            {
                errors.Add(new FileError(row.Line, "reason", Texts.Current.Say("a reason is required")));
                return RowOutcome.Error;
            }

            return application.Administrative == result
                ? RowOutcome.Unchanged
                : ApplicationDecisions.Verify(round, application, new VerifyApplication(application.Id, result, row["reason"], now));
        },
        absent: null,
        null,
        ct);

    /// <summary>SKD results; an MS applicant with no row (and no reused certificate) is recorded absent (TH).</summary>
    public Task<ImportReport> SkdAsync(string roundCode, Stream file, string actor, IProgress<ImportProgress>? progress, CancellationToken ct) =>
        PerApplicantAsync("skd", SkdColumns, roundCode, file, actor, progress, (row, round, formation, application, now, errors) =>
        {
            var (twk, tiu, tkp) = (ParseInt(row, "twk", errors), ParseInt(row, "tiu", errors), ParseInt(row, "tkp", errors));
            if (twk is null || tiu is null || tkp is null)
            {
                return RowOutcome.Error;
            }

            var score = new SkdScore(twk.Value, tiu.Value, tkp.Value);
            return application.Skd == score && application.SkdCertificateFrom is null
                ? RowOutcome.Unchanged
                : ApplicationDecisions.RecordSkd(round, formation, application, new RecordSkdResult(application.Id, score, now));
        },
        absent: SkdAbsent,
        null,
        ct);

    /// <summary>TH at the round's test: an MS applicant with no result row and no reused certificate, not disqualified.</summary>
    private static RowOutcome? SkdAbsent(Round round, Application application, DateTimeOffset now) =>
        application.Administrative != AdministrativeResult.MS || application.Skd is not null || application.Disqualified ? null
        : application.SkdAbsent ? RowOutcome.Unchanged
        : SkdStageDecisions.RecordAbsence(round, application, new RecordSkdAbsence(application.Id, now));

    /// <summary>
    /// Results of the round's test by the columns its rule set's blueprint names — for PPPK <c>pppk-results.csv</c>:
    /// registration_number,technical,managerial,socio_cultural,interview[,certificate] (the certificate bonus as
    /// claimed; the decision caps it, R21). As with the SKD, an MS applicant with no row is recorded absent (TH).
    /// </summary>
    public async Task<ImportReport> CompetenceAsync(string roundCode, Stream file, string actor, IProgress<ImportProgress>? progress, CancellationToken ct)
    {
        Round? found;
        await using (var query = store.QuerySession())
        {
            found = await RoundAsync(query, roundCode, ct);
        }

        if (found is null)
        {
            return ImportReport.Failed("competence", 0, [new FileError(0, null, Texts.Current.Say($"no round {roundCode}"))]);
        }

        var blueprint = found.Rules().Skd;
        string[] columns = ["registration_number", .. blueprint.Subtests.Select(s => s.FileColumn)];
        string[] optional = blueprint.CertificateBonus is { } bonus ? [bonus.Column] : [];
        return await PerApplicantAsync("competence", columns, roundCode, file, actor, progress, (row, round, formation, application, now, errors) =>
        {
            var components = blueprint.Subtests.ToDictionary(s => s.Code, s => ParseInt(row, s.FileColumn, errors), StringComparer.Ordinal);
            var certificate = optional.Length == 0 || row.Optional(optional[0]) is null ? 0 : ParseInt(row, optional[0], errors);
            if (components.Values.Any(v => v is null) || certificate is null)
            {
                return RowOutcome.Error;
            }

            var score = new SkdScore(components.ToDictionary(kv => kv.Key, kv => kv.Value!.Value, StringComparer.Ordinal), certificate.Value);
            return application.Skd == SkdRules.WithBonusCapped(blueprint, score)
                ? RowOutcome.Unchanged
                : ApplicationDecisions.RecordSkd(round, formation, application, new RecordSkdResult(application.Id, score, now));
        },
        absent: SkdAbsent,
        optional,
        ct);
    }

    /// <summary>SKB scores (already weighted, 0–100, two decimals); an applicant admitted to the SKB with no row is recorded absent (TH).</summary>
    public Task<ImportReport> SkbAsync(string roundCode, Stream file, string actor, IProgress<ImportProgress>? progress, CancellationToken ct) =>
        PerApplicantAsync("skb", SkbColumns, roundCode, file, actor, progress, (row, round, formation, application, now, errors) =>
        {
            if (ParseDecimal(row, "skb_score", errors) is not { } score)
            {
                return RowOutcome.Error;
            }

            return application.SkbScore == score
                ? RowOutcome.Unchanged
                : SkbDecisions.Record(round, formation, application, new RecordSkbResult(application.Id, score, null, now));
        },
        absent: (round, application, now) =>
            application.CutOff is not (Ranking.CutOffOutcome.Admitted or Ranking.CutOffOutcome.AdmittedOnTie) || application.SkbScore is not null || application.Disqualified ? null
            : application.SkbAbsent ? RowOutcome.Unchanged
            : SkbDecisions.RecordAbsence(round, application, new RecordSkbAbsence(application.Id, now)),
        null,
        ct);

    /// <summary>
    /// The skeleton of every file that carries one row per applicant: each row decided on its application, then
    /// (for results files) every applicant without a row decided by <paramref name="absent"/> (TH).
    /// </summary>
    private async Task<ImportReport> PerApplicantAsync(
        string kind,
        string[] columns,
        string roundCode,
        Stream file,
        string actor,
        IProgress<ImportProgress>? progress,
        Func<CsvRow, Round, Formation, Application, DateTimeOffset, List<FileError>, RowOutcome> decideRow,
        Func<Round, Application, DateTimeOffset, RowOutcome?>? absent,
        string[]? optionalColumns,
        CancellationToken ct)
    {
        var (found, formationList) = await RoundWithFormationsAsync(roundCode, ct);
        if (found is not { } round)
        {
            return ImportReport.Failed(kind, 0, [new FileError(0, null, Texts.Current.Say($"no round {roundCode}"))]);
        }

        var formations = formationList.ToDictionary(f => f.Id);
        var errorList = new List<FileError>();
        await using var staging = await ImportStaging.LoadAsync(store, file, columns, optionalColumns, row => new StagedKeys(ApplicationDecisions.IdFor(round.Id, row["registration_number"])), errorList, ct);
        if (staging is null)
        {
            return ImportReport.Failed(kind, 0, errorList);
        }

        errorList.AddRange(await staging.DuplicatesAsync("id", "registration_number", ct));
        var now = clock.GetUtcNow();
        var options = new ParallelOptions { MaxDegreeOfParallelism = WritersInParallel, CancellationToken = ct };

        // Each row with its case and the case's revision (the version of its stream it reflects: a case changed after
        // this read fails its batch's version check rather than being overwritten); for a results file, also each case
        // of the round the file has no row for. The documents' JSON is parsed by the batch's worker, not the reader.
        var applications = store.Options.FindOrResolveDocumentType(typeof(Application)).TableName.QualifiedName;
        var joined = absent is null
            ? $"select r.line, r.fields, a.id, a.mt_version, a.data from {ImportStaging.Table} r left join {applications} a on a.id = r.id and a.round_id = $1"
            : $"select r.line, r.fields, a.id, a.mt_version, a.data from {ImportStaging.Table} r full join (select id, mt_version, data, formation_id from {applications} where round_id = $1) a on a.id = r.id";
        StagedCase Read(Npgsql.NpgsqlDataReader r) => new(staging.Row(r, 0, 1), r.IsDBNull(2) ? null : r.GetGuid(2), r.IsDBNull(2) ? 0 : r.GetInt64(3), r.IsDBNull(2) ? null : r.GetString(4));
        var serializer = store.Options.Serializer();
        CaseBatch Decide(StagedCase[] batch, List<FileError> errors)
        {
            var decided = new CaseBatch(batch.Length);
            foreach (var (row, id, version, json) in batch)
            {
                if (id is not { } caseId)
                {
                    errors.Add(new FileError(row!.Line, "registration_number", Texts.Current.Say($"no applicant {row["registration_number"]} in round {round.Code}")));
                    continue;
                }

                var application = serializer.FromJson<Application>(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json!)));
                decided.Versions[caseId] = version;
                decided.Cases[caseId] = application;
                var outcome = row is null ? absent!(round, application, now) : decideRow(row, round, formations[application.FormationId], application, now, errors);
                decided.Unchanged += outcome?.IsUnchanged == true ? 1 : 0;
                if (outcome?.Decision is not { } decision)
                {
                    continue;
                }

                if (row is null)
                {
                    decided.Decisions.Add(decision);
                }
                else
                {
                    Collect(row, decision, decided.Decisions, errors);
                }
            }

            return decided;
        }

        var (unchanged, checkedRows) = (0, 0);
        if (errorList.Count < ImportStaging.MaxErrors)
        {
            await Parallel.ForEachAsync(staging.ChunksAsync(joined, [round.Id], Read, WriteBatchSize, ct), options, (batch, token) =>
            {
                var errors = new List<FileError>();
                var decided = Decide(batch, errors);
                lock (errorList)
                {
                    errorList.AddRange(errors);
                }

                Interlocked.Add(ref unchanged, decided.Unchanged);
                progress?.Report(new ImportProgress("checked", Interlocked.Add(ref checkedRows, batch.Length), staging.Rows));
                return ValueTask.CompletedTask;
            });
        }

        if (errorList.Count > 0)
        {
            return ImportReport.Failed(kind, staging.Rows, Listed(errorList));
        }

        var correlation = Guid.NewGuid().ToString("N");
        var (appended, written) = (0, 0);
        await Parallel.ForEachAsync(staging.ChunksAsync(joined + " order by a.formation_id, r.line", [round.Id], Read, WriteBatchSize, ct), options, async (batch, token) =>
        {
            var errors = new List<FileError>();
            var decided = Decide(batch, errors);
            if (errors.Count > 0)
            {
                throw ChangedSinceChecked(errors[0]);
            }

            var streams = decided.Decisions.SelectMany(d => d.BulkAppends(decided.Versions, id => decided.Cases.GetValueOrDefault(id))).ToList();
            Interlocked.Add(ref appended, await WriteBatchAsync(streams, [], actor, correlation, token));
            progress?.Report(new ImportProgress("written", Interlocked.Add(ref written, batch.Length), staging.Rows));
        });

        return new ImportReport(kind, staging.Rows, appended, unchanged, []);
    }

    /// <summary>A staged row (null: a case the file has no row for) with its case's id, revision and stored JSON (null: no such case).</summary>
    private readonly record struct StagedCase(CsvRow? Row, Guid? Id, long Version, string? Json);

    /// <summary>What a batch of staged rows came to: the accepted decisions, the versions and documents they were taken on, the rows already recorded.</summary>
    private sealed class CaseBatch(int size)
    {
        public List<Decision> Decisions { get; } = new(size);

        public Dictionary<Guid, long> Versions { get; } = new(size);

        public Dictionary<Guid, Application> Cases { get; } = new(size);

        public int Unchanged { get; set; }
    }

    /// <summary>What one row came to: a decision to append, already recorded, or an error already reported.</summary>
    private sealed record RowOutcome(Decision? Decision, bool IsUnchanged)
    {
        public static readonly RowOutcome Unchanged = new(null, true);
        public static readonly RowOutcome Error = new(null, false);

        public static implicit operator RowOutcome(Decision decision) => new(decision, false);
    }

    internal static Task<Round?> RoundAsync(IQuerySession session, string roundCode, CancellationToken ct) =>
        session.LoadAsync<Round>(RoundDecisions.IdFor(roundCode), ct);

    /// <summary>For decisions that only start streams: no stream has a version yet.</summary>
    private static readonly IReadOnlyDictionary<Guid, long> NewStreams = new Dictionary<Guid, long>();

    private async Task<(Round? Round, IReadOnlyList<Formation> Formations)> RoundWithFormationsAsync(string roundCode, CancellationToken ct)
    {
        await using var query = store.QuerySession();
        if (await RoundAsync(query, roundCode, ct) is not { } round)
        {
            return (null, []);
        }

        return (round, await query.Query<Formation>().Where(f => f.RoundId == round.Id).ToListAsync(ct));
    }

    /// <summary>
    /// A case's decision came out differently when the file was written than when it was checked: the case changed
    /// in between. The batches written before stay (each whole); this one and those after are not written.
    /// </summary>
    private static ConcurrencyException ChangedSinceChecked(FileError error) =>
        new($"A case changed after the file was checked ({error}); nothing more of the file was written.", typeof(Application), error.Line);

    /// <summary>One batch through the bulk writer (docs/adr/0019), one transaction, with the importing actor and the import's correlation id.</summary>
    private async Task<int> WriteBatchAsync(IReadOnlyList<BulkAppend> streams, IReadOnlyList<BulkDocument> documents, string actor, string correlation, CancellationToken ct)
    {
        var appended = await writer.WriteAsync(streams, documents, actor, correlation, ct);
        await statistics.RefreshIfOutgrownAsync(ct);
        return appended;
    }

    /// <summary>The errors to report, by line, at most <see cref="ImportStaging.MaxErrors"/>: past it, a last line says checking stopped.</summary>
    private static List<FileError> Listed(List<FileError> errors)
    {
        var sorted = Sorted(errors);
        if (sorted.Count < ImportStaging.MaxErrors)
        {
            return sorted;
        }

        var listed = sorted.Take(ImportStaging.MaxErrors).ToList();
        listed.Add(new FileError(listed[^1].Line, null, Texts.Current.Say($"more than {ImportStaging.MaxErrors} errors: checking stopped here")));
        return listed;
    }

    /// <summary>Adds an accepted decision to <paramref name="decisions"/>, or its refusal to the errors with the row's line.</summary>
    private static bool Collect(CsvRow row, Decision decision, List<Decision>? decisions, List<FileError> errors)
    {
        if (decision.Refusal is { } refusal)
        {
            errors.Add(new FileError(row.Line, ColumnOfField(refusal.Field), $"{Texts.Current.Say(refusal)} [{refusal.Code}]"));
            return false;
        }

        decisions?.Add(decision);
        return true;
    }

    /// <summary>The file's column for a decision's field: <c>registeredOn</c> is <c>registered_on</c>, <c>formationId</c> the formation's code.</summary>
    private static string? ColumnOfField(string? field) => field switch
    {
        null => null,
        "formationId" => "formation_code",
        _ => string.Concat(field.Select(c => char.IsUpper(c) ? "_" + char.ToLowerInvariant(c) : c.ToString())),
    };

    private static bool Valid(CsvRow row, FluentValidation.Results.ValidationResult result, List<FileError> errors, Func<string, string> columnOf)
    {
        errors.AddRange(result.Errors.Select(e => new FileError(row.Line, columnOf(e.PropertyName), e.ErrorMessage)));
        return result.IsValid;
    }

    private static string FormationColumnOf(string property) => property switch
    {
        nameof(OpenFormationRequest.Code) => "formation_code",
        nameof(OpenFormationRequest.InstansiCode) => "instansi_code",
        nameof(OpenFormationRequest.EducationLevel) => "education_level",
        _ => property.ToLowerInvariant(),
    };

    private static string ApplicantColumnOf(string property) => property switch
    {
        nameof(RegisterApplicantRequest.FormationId) => "formation_code",
        nameof(RegisterApplicantRequest.RegistrationNumber) => "registration_number",
        nameof(RegisterApplicantRequest.FullName) => "full_name",
        nameof(RegisterApplicantRequest.BirthDate) => "birth_date",
        nameof(RegisterApplicantRequest.EducationLevel) => "education_level",
        _ => property.ToLowerInvariant(),
    };

    /// <summary>Errors by line; one per field (a value that does not parse is not also reported out of range).</summary>
    private static List<FileError> Sorted(List<FileError> errors) =>
        errors.DistinctBy(e => (e.Line, e.Column ?? e.Message)).OrderBy(e => e.Line).ThenBy(e => e.Column, StringComparer.Ordinal).ToList();

    private static int? ParseInt(CsvRow row, string column, List<FileError> errors)
    {
        if (int.TryParse(row[column], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        errors.Add(new FileError(row.Line, column, Texts.Current.Say("not a whole number")));
        return null;
    }

    private static decimal? ParseDecimal(CsvRow row, string column, List<FileError> errors)
    {
        if (decimal.TryParse(row[column], NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        errors.Add(new FileError(row.Line, column, Texts.Current.Say("not a decimal number (use '.' for decimals)")));
        return null;
    }
}
