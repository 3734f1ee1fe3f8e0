using System.Collections.Concurrent;
using Marten;
using Merit.Projections;
using Merit.Recruitment;
using Merit.Testing;
using Microsoft.Extensions.Logging;
using Npgsql;
using Xunit;

namespace Merit.Tests;

/// <summary>
/// The inline write models rebuild stream by stream (docs/adr/0018): given streams whose events are spread over many
/// appends, a rebuild through Marten's daemon takes the stream-ordered replay and writes exactly the documents, and
/// the revisions, that the appends wrote inline.
/// </summary>
public sealed class WriteModelRebuildTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2024, 8, 20, 8, 0, 0, TimeSpan.FromHours(7));
    private static readonly Guid RoundId = RoundDecisions.IdFor("CPNS-2024");

    private readonly StoreDatabase database = new();

    public Task InitializeAsync() => database.InitializeAsync();

    public Task DisposeAsync() => database.DisposeAsync();

    [Fact]
    public async Task A_rebuild_replays_each_stream_whole_and_writes_what_the_appends_wrote()
    {
        // Given: 40 applications over two formations, each application's events appended in three separate saves,
        // so every stream's events lie far apart in the sequence; some stop after registration or verification.
        var formations = new[] { Formation("F-A"), Formation("F-B") };
        var applicants = Enumerable.Range(0, 40).Select(i => (Id: ApplicationDecisions.IdFor(RoundId, $"R{i:000}"), Number: $"R{i:000}", Formation: formations[i % 2])).ToList();
        await using (var session = database.Store.LightweightSession())
        {
            session.Events.StartStream<Round>(RoundId, new RoundOpened(RoundId, "CPNS-2024", "CPNS 2024", "CPNS-2024", T0));
            foreach (var f in formations)
            {
                session.Events.StartStream<Formation>(f.FormationId, f);
            }

            foreach (var a in applicants)
            {
                session.Events.StartStream<Application>(a.Id, new ApplicantRegistered(a.Id, RoundId, a.Formation.FormationId, a.Formation.Code, a.Number, Guid.NewGuid(), Sex.F, EducationLevel.S1, 3.2m, T0.AddDays(1)));
            }

            await session.SaveChangesAsync();
        }

        await AppendAsync(applicants.Where((_, i) => i % 4 != 3), a => new AdministrativeVerificationRecorded(a.Id, a.Formation.FormationId, AdministrativeResult.MS, "lengkap", "CPNS-2024", T0.AddDays(10)));
        await AppendAsync(applicants.Where((_, i) => i % 4 is 0 or 1), a => new SkdResultRecorded(a.Id, a.Formation.FormationId, 70, 90, 170, 330, FormationCategory.Umum, true, [], "CPNS-2024", T0.AddDays(40)));
        var before = await DocumentsAsync();

        // When
        var log = new Captured();
        using (var daemon = await database.Store.BuildProjectionDaemonAsync(logger: log))
        {
            await daemon.RebuildProjectionAsync("Application", CancellationToken.None);
            await daemon.RebuildProjectionAsync("ApplicantCase", CancellationToken.None);
        }

        // Then: the stream-ordered replay ran for both, over every application stream, and the documents are the same.
        Assert.Contains(log.Messages, m => m.StartsWith($"Replayed Application by stream: 40 streams, {40 + 30 + 20} events", StringComparison.Ordinal));
        Assert.Contains(log.Messages, m => m.StartsWith("Replayed ApplicantCase by stream: 40 streams", StringComparison.Ordinal));
        Assert.Equal(before, await DocumentsAsync());
        Assert.Equal(80, before.Count);
    }

    [Fact]
    public async Task A_document_stored_with_a_higher_revision_is_kept_by_the_rebuild_s_copy()
    {
        var f = Formation("F-A");
        var id = ApplicationDecisions.IdFor(RoundId, "R001");
        await using (var session = database.Store.LightweightSession())
        {
            session.Events.StartStream<Formation>(f.FormationId, f);
            session.Events.StartStream<Application>(id, new ApplicantRegistered(id, RoundId, f.FormationId, f.Code, "R001", Guid.NewGuid(), Sex.M, EducationLevel.S1, 3.0m, T0));
            await session.SaveChangesAsync();
        }

        await AppendAsync([(id, "R001", f)], a => new AdministrativeVerificationRecorded(a.Id, f.FormationId, AdministrativeResult.TMS, "ijazah", "CPNS-2024", T0.AddDays(10)));
        await using var query = database.Store.QuerySession();
        var current = await query.LoadAsync<Application>(id);
        var older = current! with { Administrative = null };

        // A rebuild's copy of an older state (revision 1) meets the stored revision 2: the stored document stays.
        var copy = new DocumentCopy(database.Store);
        await using (var connection = new NpgsqlConnection(database.ConnectionString))
        {
            await connection.OpenAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            await copy.WriteAsync(connection, typeof(Application), [new CopiedDocument(older, 1)], ExistingDocument.KeepNewer, CancellationToken.None);
            await transaction.CommitAsync();
        }

        Assert.Equal(AdministrativeResult.TMS, (await query.LoadAsync<Application>(id))!.Administrative);

        // A higher revision replaces it.
        await using (var connection = new NpgsqlConnection(database.ConnectionString))
        {
            await connection.OpenAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            await copy.WriteAsync(connection, typeof(Application), [new CopiedDocument(older, 3)], ExistingDocument.KeepNewer, CancellationToken.None);
            await transaction.CommitAsync();
        }

        await using var after = database.Store.QuerySession();
        Assert.Null((await after.LoadAsync<Application>(id))!.Administrative);
    }

    /// <summary>The bulk writer overwrites through the same copy: new documents straight into the table, stored ones through the staging table.</summary>
    [Fact]
    public async Task Overwriting_inserts_the_new_documents_and_replaces_the_stored_ones_in_one_batch()
    {
        var formationId = FormationDecisions.IdFor(RoundId, "F-A");
        var stored = ApplicationDecisions.IdFor(RoundId, "R001");
        var fresh = ApplicationDecisions.IdFor(RoundId, "R002");
        await using (var session = database.Store.LightweightSession())
        {
            session.Events.StartStream<Application>(stored, new ApplicantRegistered(stored, RoundId, formationId, "F-A", "R001", Guid.NewGuid(), Sex.M, EducationLevel.S1, 3.0m, T0));
            await session.SaveChangesAsync();
        }

        Application current;
        await using (var query = database.Store.QuerySession())
        {
            current = (await query.LoadAsync<Application>(stored))!;
        }

        var replaced = current with { Administrative = AdministrativeResult.TMS };
        var added = current with { Id = fresh, RegistrationNumber = "R002" };
        await using (var connection = new NpgsqlConnection(database.ConnectionString))
        {
            await connection.OpenAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            await new DocumentCopy(database.Store).WriteAsync(connection, typeof(Application), [new CopiedDocument(added, 1), new CopiedDocument(replaced, 2)], ExistingDocument.Overwrite, CancellationToken.None);
            await transaction.CommitAsync();
        }

        await using var after = database.Store.QuerySession();
        var documents = (await after.LoadManyAsync<Application>(stored, fresh)).ToDictionary(a => a.Id);
        Assert.Equal(AdministrativeResult.TMS, documents[stored].Administrative);
        Assert.Equal("R002", documents[fresh].RegistrationNumber);
        Assert.Null(documents[fresh].Administrative);
        Assert.Equal(2, await after.Query<Application>().CountAsync());
    }

    private static FormationOpened Formation(string code) =>
        new(FormationDecisions.IdFor(RoundId, code), RoundId, code, "INST-1", "Pranata Komputer", "Samarinda", FormationCategory.Umum, 2, EducationLevel.S1, "CPNS-2024", T0);

    private async Task AppendAsync(IEnumerable<(Guid Id, string Number, FormationOpened Formation)> applicants, Func<(Guid Id, string Number, FormationOpened Formation), object> next)
    {
        await using var session = database.Store.LightweightSession();
        foreach (var a in applicants)
        {
            session.Events.Append(a.Id, next(a));
        }

        await session.SaveChangesAsync();
    }

    private async Task<List<string>> DocumentsAsync()
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        var rows = new List<string>();
        // With the columns Marten duplicates out of the document: the copy writes them as Marten's own upsert does.
        foreach (var (table, duplicated) in new[] { ("mt_doc_application", "round_id || ' ' || formation_id || ' ' || person_id"), ("mt_doc_applicantcase", "formation_id::text") })
        {
            await using var command = new NpgsqlCommand($"select id::text || ' ' || mt_version || ' ' || {duplicated} || ' ' || data::text from {MeritStore.SchemaName}.{table} order by id", connection);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                rows.Add(reader.GetString(0));
            }
        }

        return rows;
    }

    /// <summary>The daemon's log, as formatted messages.</summary>
    private sealed class Captured : ILogger
    {
        private readonly ConcurrentQueue<string> messages = new();

        public IReadOnlyList<string> Messages => [.. messages];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            messages.Enqueue(formatter(state, exception));
    }
}
