using System.Net;
using System.Text.Json.Nodes;
using Merit.Audit;
using Merit.Projections.Recruitment;
using Merit.Testing;
using Merit.Tests.Recruitment;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Merit.Tests.Audit;

/// <summary>
/// Published lists are checked against the events before they leave Merit (docs/adr/0044): a results read model
/// changed by hand refuses the export, naming the formation and the field; the projection verification treats the
/// events as authoritative and says which side to repair.
/// </summary>
public class PublishedListTests(MeritApp app) : IClassFixture<MeritApp>
{
    [Fact]
    public async Task Two_names_swapped_in_the_results_refuse_the_export_and_the_projection_verify_says_which_side_to_repair()
    {
        var api = new RecruitmentApi(app.CreateClient());
        var generated = new GeneratedRound(2, 30, seed: 21);
        var round = await generated.ImportToSkdStageAsync(api, "CPNS-2024-PUBLISH");
        await api.ImportAsync(round, "skd", generated.SkdCsv());
        await api.AdvanceAsync(round, "Skb");
        await api.DecideAsync(round, "skd-cutoff");
        generated.ScoreSkb(generated.Admitted(), seed: 22);
        await api.ImportAsync(round, "skb", generated.SkbCsv());
        await api.AdvanceAsync(round, "Integration");
        await api.DecideAsync(round, "final");
        var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/rounds/{round}/exports/final.csv")).StatusCode);

        // Two applicants' registration numbers swapped in one formation's final list, straight in PostgreSQL.
        var audit = new AuditClient(app);
        var table = app.Store.Options.FindOrResolveDocumentType(typeof(FormationResults)).TableName.QualifiedName;
        var formation = (Guid)(await audit.ScalarAsync($"select id from {table} where data ->> 'RoundId' = @r order by data ->> 'Code' limit 1", ("r", round.ToString())))!;
        var code = (string)(await audit.ScalarAsync($"select data ->> 'Code' from {table} where id = @f", ("f", formation)))!;
        await audit.SqlAsync(
            $"update {table} set data = jsonb_set(jsonb_set(data, '{{Final,Entries,0,RegistrationNumber}}', data #> '{{Final,Entries,1,RegistrationNumber}}'), " +
            "'{Final,Entries,1,RegistrationNumber}', data #> '{Final,Entries,0,RegistrationNumber}') where id = @f",
            ("f", formation));

        // Said in Bahasa Indonesia by default, in English on request; the code and the document stay.
        var refusedInIndonesian = JsonNode.Parse(await (await client.GetAsync($"/rounds/{round}/exports/final.csv")).Content.ReadAsStringAsync())!;
        Assert.StartsWith("Tidak diterbitkan: read model daftar putaran seleksi CPNS-2024-PUBLISH", (string)refusedInIndonesian["detail"]!, StringComparison.Ordinal);
        Assert.Contains(refusedInIndonesian["differences"]![0]!["paths"]!.AsArray(), p => ((string)p!).StartsWith("$.Final.Entries[0].RegistrationNumber: read model ", StringComparison.Ordinal) && ((string)p!).Contains(", peristiwa ", StringComparison.Ordinal));
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en");
        var refused = await client.GetAsync($"/rounds/{round}/exports/final.csv");
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var problem = JsonNode.Parse(await refused.Content.ReadAsStringAsync())!;
        Assert.Equal("export.read-model-disagrees", (string)problem["code"]!);
        Assert.StartsWith("Not published: the read model of round CPNS-2024-PUBLISH", (string)problem["detail"]!, StringComparison.Ordinal);
        var difference = problem["differences"]![0]!;
        Assert.Equal(code, (string)difference["document"]!);
        Assert.Contains(difference["paths"]!.AsArray(), p => ((string)p!).StartsWith("$.Final.Entries[0].RegistrationNumber: read model ", StringComparison.Ordinal));

        var (exitCode, output) = await MeritCommandLine.RunAsync(app, "export", "final", "--round", "CPNS-2024-PUBLISH");
        Assert.NotEqual(0, exitCode);
        // The console wraps the refusal's words at its width.
        var words = System.Text.RegularExpressions.Regex.Replace(output, @"\s+", "");
        Assert.Contains($"Notpublished:thereadmodelofroundCPNS-2024-PUBLISH'slistdisagreeswiththeeventsin1document(s);first:{code}", words, StringComparison.Ordinal);

        // An event changed too: its case's read model differs because the events do, and its chain says so.
        var tampered = (Guid)(await audit.ScalarAsync("select stream_id from merit.mt_events where type = 'skd_result_recorded' order by seq_id limit 1"))!;
        await audit.SqlAsync("update merit.mt_events set data = jsonb_set(data, '{Twk}', '5') where stream_id = @s and type = 'skd_result_recorded'", ("s", tampered));

        System.Globalization.CultureInfo.CurrentUICulture = System.Globalization.CultureInfo.GetCultureInfo("en"); // the report speaks its caller's language; this test reads English
        var report = await app.Services.GetRequiredService<ProjectionVerifier>().VerifyAsync(CancellationToken.None);
        Assert.False(report.Clean);
        var results = Assert.Single(report.Differences, d => d.DocumentType == nameof(FormationResults));
        Assert.Equal((formation.ToString(), RepairSide.ReadModel), (results.Id, results.Side));
        Assert.Contains("rebuild projection", results.Repair, StringComparison.Ordinal);
        var applicantCase = Assert.Single(report.Differences, d => d.DocumentType == nameof(ApplicantCase));
        Assert.Equal((tampered.ToString(), RepairSide.Events), (applicantCase.Id, applicantCase.Side));
        Assert.Contains("fails its hash chain", applicantCase.Repair, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_results_document_deleted_by_hand_refuses_every_list_naming_its_formation()
    {
        var api = new RecruitmentApi(app.CreateClient());
        var generated = new GeneratedRound(3, 12, seed: 23);
        var round = await generated.ImportToSkdStageAsync(api, "CPNS-2024-MISSING");
        var client = app.CreateClient();
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/rounds/{round}/exports/administrative.csv")).StatusCode);

        var audit = new AuditClient(app);
        var table = app.Store.Options.FindOrResolveDocumentType(typeof(FormationResults)).TableName.QualifiedName;
        var code = (string)(await audit.ScalarAsync($"select data ->> 'Code' from {table} where data ->> 'RoundId' = @r order by data ->> 'Code' desc limit 1", ("r", round.ToString())))!;
        await audit.SqlAsync($"delete from {table} where data ->> 'RoundId' = @r and data ->> 'Code' = @c", ("r", round.ToString()), ("c", code));

        var refused = await client.GetAsync($"/rounds/{round}/exports/administrative.csv");
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var difference = Assert.Single(JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["differences"]!.AsArray())!;
        Assert.Equal((code, "Missing"), ((string)difference["document"]!, (string)difference["kind"]!));
    }
}
