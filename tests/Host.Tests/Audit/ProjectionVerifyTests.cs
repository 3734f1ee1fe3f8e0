using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Marten;
using Merit.Audit;
using Merit.Career;
using Merit.Projections.Analytics;
using Merit.Projections.Recruitment;
using Merit.Testing;
using Merit.Tests.Career;
using Merit.Tests.Recruitment;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit;

namespace Merit.Tests.Audit;

/// <summary>
/// Audit-proof read models (docs/adr/0012): every document records the last event it reflects, and
/// <c>merit projections verify</c> rebuilds every projection from the events and names each document that differs.
/// Over a small generated round taken through every stage to its final result, and a small workforce.
/// </summary>
[RunsLong]
public class ProjectionVerifyTests(MeritApp app) : IClassFixture<MeritApp>
{
    private const int Applicants = 120;
    private const int Formations = 6;

    private async Task WithCareerDataAsync()
    {
        var careerRecords = app.Store.Options.FindOrResolveDocumentType(typeof(CareerRecord)).TableName.QualifiedName;
        if (await CountAsync($"select count(*) from {careerRecords}") > 0)
        {
            return;
        }

        var api = new RecruitmentApi(app.CreateClient());
        var generated = new GeneratedRound(Formations, Applicants, seed: 12);
        var id = await generated.ImportToSkdStageAsync(api, "CPNS-2024-VERIFY");
        await api.ImportAsync(id, "skd", generated.SkdCsv());
        await api.AdvanceAsync(id, "Skb");
        await api.DecideAsync(id, "skd-cutoff");
        generated.ScoreSkb(generated.Admitted(), seed: 13);
        await api.ImportAsync(id, "skb", generated.SkbCsv());
        await api.AdvanceAsync(id, "Integration");
        await api.DecideAsync(id, "final");

        await new CareerApi(app.CreateClient()).ImportWorkforceAsync(new GeneratedWorkforce(100, seed: 12).Csv());
        await app.WaitForProjectionsAsync();
    }

    [Fact]
    public async Task Every_read_model_document_records_the_last_event_it_reflects()
    {
        await WithCareerDataAsync();
        var options = app.Store.Options;
        string Table(Type type) => options.FindOrResolveDocumentType(type).TableName.QualifiedName;

        // A single-stream read model: the newest event of its stream (the case applies every event of an application).
        Assert.Equal(0, await CountAsync(
            $"select count(*) from {Table(typeof(ApplicantCase))} d where (d.data ->> 'LastSequence')::bigint is distinct from " +
            "(select max(seq_id) from merit.mt_events e where e.stream_id = d.id)"));
        Assert.Equal(Applicants, await CountAsync($"select count(*) from {Table(typeof(ApplicantCase))}"));

        // Multi-stream read models: the newest event of any stream that touched them, which Marten's own revision also records.
        foreach (var type in new[] { typeof(FormationSummary), typeof(FormationAnalytics), typeof(RoundRollup), typeof(SkdDistribution), typeof(DecisionTimes), typeof(Merit.Projections.Career.PromotionBacklog) })
        {
            Assert.Equal(0, await CountAsync($"select count(*) from {Table(type)} where (data ->> 'LastSequence')::bigint is distinct from mt_version"));
        }

        Assert.True(await CountAsync($"select count(*) from {Table(typeof(FormationSummary))} where (data ->> 'LastSequence')::bigint > 0") >= Formations);

        // The write models stay plain domain records: Marten's revision is their stream's newest version, which names the event.
        foreach (var type in new[] { typeof(Merit.Recruitment.Application), typeof(Merit.Recruitment.Formation), typeof(Merit.Recruitment.Round), typeof(CareerRecord) })
        {
            Assert.True(await CountAsync($"select count(*) from {Table(type)}") > 0, type.Name);
            Assert.Equal(0, await CountAsync(
                $"select count(*) from {Table(type)} d join merit.mt_streams s on s.id = d.id where d.mt_version <> s.version"));
        }
    }

    [Fact]
    public async Task An_untouched_store_verifies_clean_and_a_changed_a_deleted_or_an_inserted_document_is_named()
    {
        await WithCareerDataAsync();
        var verifier = app.Services.GetRequiredService<ProjectionVerifier>();
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("en"); // the report speaks its caller's language; this test reads English
        var clean = await verifier.VerifyAsync(CancellationToken.None);
        Assert.True(clean.Clean, Describe(clean) + await ProgressAsync());
        Assert.Equal(((DocumentStore)app.Store).Options.Projections.All.Count, clean.Projections);
        Assert.StartsWith(string.Create(CultureInfo.InvariantCulture, $"no difference, {clean.Documents} documents in {clean.Projections} projections"), clean.Summary, StringComparison.Ordinal);
        Assert.True(clean.Documents > (2 * Applicants) + 100 + Formations, clean.Summary);

        // A direct UPDATE of a read model, a DELETE of another, a forged document inserted.
        var options = app.Store.Options;
        var cases = options.FindOrResolveDocumentType(typeof(ApplicantCase)).TableName.QualifiedName;
        var summaries = options.FindOrResolveDocumentType(typeof(FormationSummary)).TableName.QualifiedName;
        var changed = await IdAsync($"select id from {cases} order by id limit 1");
        var deleted = await IdAsync($"select id from {summaries} order by id limit 1");
        var forged = Guid.Parse("00000000-0000-0000-0000-00000000f0f0");
        await ExecuteAsync($"update {cases} set data = jsonb_set(data, '{{Status}}', '\"Forged\"') where id = @id", changed);
        await ExecuteAsync($"delete from {summaries} where id = @id", deleted);
        await ExecuteAsync($"insert into {cases} (id, data, mt_version, mt_dotnet_type) select @id, jsonb_set(data, '{{Id}}', to_jsonb(@id::text)), mt_version, mt_dotnet_type from {cases} where id = '{changed}'", forged);

        var report = await verifier.VerifyAsync(CancellationToken.None);
        Assert.False(report.Clean);
        Assert.Equal(3, report.DifferenceCount);
        var update = Assert.Single(report.Differences, d => d.Kind == DocumentDifferenceKind.Changed);
        Assert.Equal((nameof(ApplicantCase), changed.ToString()), (update.DocumentType, update.Id));
        Assert.StartsWith("$.Status: live \"Forged\", rebuilt ", Assert.Single(update.Paths), StringComparison.Ordinal);
        var missing = Assert.Single(report.Differences, d => d.Kind == DocumentDifferenceKind.Missing);
        Assert.Equal((nameof(FormationSummary), deleted.ToString()), (missing.DocumentType, missing.Id));
        var extra = Assert.Single(report.Differences, d => d.Kind == DocumentDifferenceKind.Extra);
        Assert.Equal((nameof(ApplicantCase), forged.ToString()), (extra.DocumentType, extra.Id));

        // The same over HTTP for an auditor, and on the command line (exit code non-zero).
        using var auditor = app.ClientAs("auditor-bpk", Merit.Security.Roles.Auditor);
        var overHttp = (await auditor.GetFromJsonAsync<JsonObject>("/audit/projections/verify"))!;
        Assert.False((bool)overHttp["clean"]!);
        Assert.Equal(3, (int)overHttp["differenceCount"]!);

        var (code, output) = await MeritCommandLine.RunAsync(app, "projections", "verify");
        Assert.True(code != 0, output);
        Assert.Contains("3 document(s) differ", output, StringComparison.Ordinal);
        Assert.Contains($"ApplicantCase {changed} (", output, StringComparison.Ordinal);
        Assert.Contains($"FormationSummary {deleted} (", output, StringComparison.Ordinal);
        Assert.Contains("$.Status: live \"Forged\"", output, StringComparison.Ordinal);
    }

    private static string Describe(ProjectionReport report) =>
        report.Summary + $" (last sequence {report.LastSequence}, behind: {string.Join(", ", report.Behind)})\n" + string.Join("\n", report.Differences.Select(d => $"{d.DocumentType} {d.Id} {d.Kind}: {string.Join("; ", d.Paths)}"));

    private async Task<string> ProgressAsync()
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand("select string_agg(name || '=' || last_seq_id, ', ') from merit.mt_event_progression", connection);
        return "\nlive progression: " + await command.ExecuteScalarAsync();
    }

    private async Task<long> CountAsync(string sql)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private async Task<Guid> IdAsync(string sql)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (Guid)(await command.ExecuteScalarAsync())!;
    }

    private async Task ExecuteAsync(string sql, Guid id)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("id", id);
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }

    private async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }
}
