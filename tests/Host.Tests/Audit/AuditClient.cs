using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Merit.Audit;
using Merit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit;

namespace Merit.Tests.Audit;

/// <summary>The audit endpoints as an auditor calls them, and the database as a malicious operator sees it.</summary>
public sealed class AuditClient(MeritApp app)
{
    public RecruitmentApi Api { get; } = new(app.CreateClient());

    public HttpClient Client => Api.Client;

    /// <summary>A round whose stream holds versions 1–4: opened, then three stage advances.</summary>
    public async Task<Guid> RoundWithHistoryAsync(string code)
    {
        var round = await Api.OpenRoundAsync(code);
        await Api.AdvanceAsync(round, "Registration", "AdministrativeSelection", "AdministrativeAppeal");
        return round;
    }

    public async Task<JsonObject> VerifyAsync(Guid? stream = null)
    {
        var response = await Client.GetAsync(stream is null ? "/audit/verify" : $"/audit/verify?stream={stream}");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonNode.Parse(text)!.AsObject();
    }

    /// <summary>The first broken link reported for <paramref name="stream"/>: (version, kind).</summary>
    public async Task<(long Version, string Kind, JsonObject Report)> FirstBreakAsync(Guid stream)
    {
        var report = await VerifyAsync(stream);
        Assert.False((bool)report["intact"]!, report.ToJsonString());
        var link = Assert.Single(report["broken"]!.AsArray())!.AsObject();
        Assert.Equal(stream, (Guid)link["streamId"]!);
        return ((long)link["version"]!, (string)link["kind"]!, report);
    }

    public async Task<JsonObject> SealAsync()
    {
        var response = await Client.PostAsync("/audit/seals", null);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, $"{(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    public async Task<JsonObject> CheckSealAsync(JsonObject exported)
    {
        var response = await Client.PostAsJsonAsync("/audit/seals/verify", exported);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonNode.Parse(text)!.AsObject();
    }

    /// <summary>One stored event as the audit reads it.</summary>
    public async Task<StoredEvent> StoredAsync(Guid stream, long version)
    {
        var reader = app.Services.GetRequiredService<AuditEventReader>();
        await foreach (var e in reader.ByStreamAsync(stream, 100, CancellationToken.None))
        {
            if (e.Version == version)
            {
                return e;
            }
        }

        throw new InvalidOperationException($"No version {version} in stream {stream}.");
    }

    /// <summary>Marten fills the sequence numbers of a failed save with tombstones off the caller's path: wait for them.</summary>
    public async Task WaitForSequenceGapsFilledAsync()
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select max(seq_id) - count(*) from merit.mt_events", connection);
        for (var attempt = 0; attempt < 300; attempt++)
        {
            if (await command.ExecuteScalarAsync() is 0L)
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail("Marten did not fill the sequence gaps with tombstones within 30 s.");
    }

    /// <summary>Runs SQL straight against the test database, bypassing Merit — what an operator with database access can do.</summary>
    public async Task<int> SqlAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return await command.ExecuteNonQueryAsync();
    }
}
