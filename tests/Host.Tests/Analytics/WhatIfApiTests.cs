using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Marten;
using Merit.Analytics;
using Merit.Analytics.WhatIf;
using Merit.Audit;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit;

namespace Merit.Tests.Analytics;

/// <summary>
/// What-ifs over HTTP on a round taken through every stage (appeals, cut-off, final, optimisation, a withdrawal, NIPs)
/// on a database of its own: the round's own rule set gives back what was decided; a variant changes it; the live
/// store is unchanged but for the what-if's own record; the record says who asked what and when (docs/adr/0042).
/// </summary>
public sealed class WhatIfApiTests(AnalyticsRound round) : IClassFixture<AnalyticsRound>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    private readonly HttpClient client = round.CreateClient();

    [Fact]
    public async Task The_round_s_own_rule_set_reproduces_the_recorded_outcome_and_leaves_the_live_store_as_it_was()
    {
        await round.WaitForProjectionsAsync();
        var before = await FingerprintAsync();
        var own = await client.GetStringAsync(new Uri("/analytics/rule-sets/CPNS-2024", UriKind.Relative));

        var response = await client.PostAsync(new Uri($"/analytics/rounds/{round.RoundId}/what-ifs", UriKind.Relative), new StringContent(own, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var report = (await response.Content.ReadFromJsonAsync<WhatIfReport>(Json))!;
        Assert.Equal(round.Generated.Formations.Count, report.Formations);
        Assert.Empty(report.Transitions);
        foreach (var table in report.Tables)
        {
            Assert.All(table.Rows.Append(table.Total), r => Assert.Equal(JsonSerializer.Serialize(r.Actual), JsonSerializer.Serialize(r.Variant)));
        }

        var total = report.Tables[0].Total;
        Assert.Equal(round.Generated.Applicants.Count, total.Actual.Registered);

        // The whole outcome, unsuppressed, as recorded: both sides byte-identical, every formation too.
        var studied = (await round.Services.GetRequiredService<WhatIfStudies>().LoadAsync(report.WhatIfId, CancellationToken.None))!;
        Assert.Equal(JsonSerializer.Serialize(studied.Outcome.Actual, Json), JsonSerializer.Serialize(studied.Outcome.Variant, Json));
        Assert.True(studied.Outcome.Actual.Total.Withdrawn >= 1);
        Assert.True(studied.Outcome.Actual.Total.PlacedByOptimisation > 0 || round.PlacedByOptimisation is null);
        var rows = new List<FormationComparison>();
        await foreach (var row in round.Services.GetRequiredService<WhatIfStudies>().AllFormationsAsync(report.WhatIfId, CancellationToken.None))
        {
            rows.Add(row);
        }

        Assert.Equal(round.Generated.Formations.Count, rows.Count);
        Assert.All(rows, r => Assert.Equal(JsonSerializer.Serialize(r.Actual, Json), JsonSerializer.Serialize(r.Variant, Json)));

        // Nothing of the round changed: every event, stream and document as before; one event more, the what-if's own.
        var after = await FingerprintAsync(before.HighestSequence);
        Assert.Equal(before.Tables, after.Tables);
        Assert.Equal(before.Events, after.Events);
        Assert.Equal(before.EventCount + 1, after.EventCount);
        Assert.Equal(before.StreamCount + 1, after.StreamCount);
        var audit = await round.Services.GetRequiredService<AuditVerifier>().VerifyAsync(null, null, CancellationToken.None);
        Assert.True(audit.Intact, audit.Summary);
    }

    [Fact]
    public async Task Read_a_few_formations_at_a_time_the_round_s_facts_come_in_the_same_order_and_the_same_state()
    {
        await round.WaitForProjectionsAsync();
        var store = round.Services.GetRequiredService<IDocumentStore>();
        var through = await new WhatIfFacts(store).HighestSequenceAsync(CancellationToken.None);

        async Task<List<string>> ReadAsync(int formationsPerBatch)
        {
            var read = new List<string>();
            await foreach (var formation in new WhatIfFacts(store, formationsPerBatch).ReadAsync(round.RoundId, through, CancellationToken.None))
            {
                read.Add(JsonSerializer.Serialize(formation, Json));
            }

            return read;
        }

        var whole = await ReadAsync(WhatIfFacts.FormationsPerBatch);
        var inThrees = await ReadAsync(3);

        Assert.Equal(round.Generated.Formations.Count, whole.Count);
        Assert.Equal(whole, inThrees);
    }

    [Fact]
    public async Task A_variant_is_recorded_with_who_asked_which_document_and_when_and_read_back_exported_and_drawn()
    {
        var document = JsonNode.Parse(await client.GetStringAsync(new Uri("/analytics/rule-sets/CPNS-2024", UriKind.Relative)))!.AsObject();
        document["version"] = "CPNS-2024-TKP150-2X";
        document["thresholds"]!["umum"]!["subtestMinimums"]!["TKP"] = 150;
        document["skbQuotaMultiplier"] = 2;
        var text = document.ToJsonString();
        var clockBefore = round.Clock.GetUtcNow();

        var response = await client.PostAsync(new Uri($"/analytics/rounds/{round.RoundId}/what-ifs", UriKind.Relative), new StringContent(text, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var report = (await response.Content.ReadFromJsonAsync<WhatIfReport>(Json))!;
        Assert.NotEmpty(report.Transitions);
        var total = report.Tables[0].Total;
        Assert.True(total.Variant.ThresholdMet > total.Actual.ThresholdMet);
        Assert.Contains(report.Fairness.Single(f => f.Attribute == "sex").Stages, s => s.Side == "variant" && s.Groups.Any(g => g.FisherP is not null));

        // Recorded: who, which document (and its hash), when by the injected clock, in the what-if's own stream.
        var studied = (await round.Services.GetRequiredService<WhatIfStudies>().LoadAsync(report.WhatIfId, CancellationToken.None))!;
        Assert.Equal(("analytics-tests", text, WhatIfStudies.Sha256(text)), (studied.AskedBy, studied.VariantDocument, studied.VariantSha256));
        Assert.InRange(studied.AskedAt, clockBefore, round.Clock.GetUtcNow());
        await using (var query = round.Store.QuerySession())
        {
            var stream = await query.Events.FetchStreamAsync(report.WhatIfId);
            Assert.IsType<WhatIfStudied>(Assert.Single(stream).Data);
        }

        // Read back as recorded, listed, exported and drawn.
        var read = (await client.GetFromJsonAsync<WhatIfReport>(new Uri($"/analytics/what-ifs/{report.WhatIfId}", UriKind.Relative), Json))!;
        Assert.Equal(JsonSerializer.Serialize(report), JsonSerializer.Serialize(read));
        Assert.Equal(text, await client.GetStringAsync(new Uri($"/analytics/what-ifs/{report.WhatIfId}/rule-set", UriKind.Relative)));
        var listed = await client.GetFromJsonAsync<List<WhatIfListed>>(new Uri($"/analytics/what-ifs?roundId={round.RoundId}", UriKind.Relative), Json);
        Assert.Contains(listed!, l => l.WhatIfId == report.WhatIfId && l.VariantVersion == "CPNS-2024-TKP150-2X");

        var groups = await client.GetStringAsync(new Uri($"/analytics/what-ifs/{report.WhatIfId}/groups.csv", UriKind.Relative));
        Assert.StartsWith("dimension,key,actual_registered,", groups, StringComparison.Ordinal);
        Assert.Contains($"\nall,,{total.Actual.Registered},", groups, StringComparison.Ordinal);
        var formations = await client.GetStringAsync(new Uri($"/analytics/what-ifs/{report.WhatIfId}/formations.csv", UriKind.Relative));
        Assert.Equal(round.Generated.Formations.Count + 1, formations.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        var workbook = await client.GetByteArrayAsync(new Uri($"/analytics/what-ifs/{report.WhatIfId}.xlsx", UriKind.Relative));
        using (var zip = new System.IO.Compression.ZipArchive(new MemoryStream(workbook)))
        {
            Assert.Equal(4, zip.Entries.Count(e => e.FullName.StartsWith("xl/worksheets/sheet", StringComparison.Ordinal)));
        }

        var page = await client.GetStringAsync(new Uri($"/dashboard/what-ifs/{report.WhatIfId}", UriKind.Relative));
        Assert.Contains($"data-chart=\"steps-actual\" data-key=\"thresholdMet\" data-value=\"{total.Actual.ThresholdMet}\"", page, StringComparison.Ordinal);
        Assert.Contains($"data-chart=\"steps-variant\" data-key=\"thresholdMet\" data-value=\"{total.Variant.ThresholdMet}\"", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_an_analyst_runs_a_what_if_and_a_variant_that_cannot_decide_the_round_is_refused()
    {
        var own = await client.GetStringAsync(new Uri("/analytics/rule-sets/CPNS-2024", UriKind.Relative));
        using var auditor = round.CreateClient();
        auditor.DefaultRequestHeaders.Authorization = new("Bearer", round.Services.GetRequiredService<Merit.Security.Tokens>().Issue("auditor-1", [Merit.Security.Roles.Auditor], ["*"], TimeSpan.FromHours(1)));
        var forbidden = await auditor.PostAsync(new Uri($"/analytics/rounds/{round.RoundId}/what-ifs", UriKind.Relative), new StringContent(own, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);

        var renamedKeepingOthersRules = own.Replace("\"skbQuotaMultiplier\": 3", "\"skbQuotaMultiplier\": 2", StringComparison.Ordinal);
        var refused = await client.PostAsync(new Uri($"/analytics/rounds/{round.RoundId}/what-ifs", UriKind.Relative), new StringContent(renamedKeepingOthersRules, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("what-if.version-taken", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>Row counts and content hashes of every document table but the what-ifs' own, and of the events up to a sequence.</summary>
    private async Task<(Dictionary<string, string> Tables, string Events, long EventCount, long StreamCount, long HighestSequence)> FingerprintAsync(long? through = null)
    {
        await using var connection = new NpgsqlConnection(round.ConnectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand("select table_name from information_schema.tables where table_schema = 'merit' and table_name like 'mt_doc_%' and table_name <> 'mt_doc_whatifformationrow' order by table_name", connection))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        var fingerprints = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var table in tables)
        {
            await using var command = new NpgsqlCommand($"select count(*) || ':' || coalesce(md5(string_agg(t::text, '|' order by t::text)), '') from merit.{table} t", connection);
            fingerprints[table] = (string)(await command.ExecuteScalarAsync())!;
        }

        async Task<object?> Scalar(string sql)
        {
            await using var command = new NpgsqlCommand(sql, connection);
            return await command.ExecuteScalarAsync();
        }

        var highest = (long)(await Scalar("select coalesce(max(seq_id), 0) from merit.mt_events"))!;
        var events = (string)(await Scalar($"select coalesce(md5(string_agg(seq_id || stream_id::text || version || data::text || coalesce(headers::text, ''), '|' order by seq_id)), '') from merit.mt_events where seq_id <= {through ?? highest}"))!;
        var eventCount = (long)(await Scalar("select count(*) from merit.mt_events"))!;
        var streamCount = (long)(await Scalar("select count(*) from merit.mt_streams"))!;
        return (fingerprints, events, eventCount, streamCount, highest);
    }
}
