using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Merit.Audit;
using Merit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit;

namespace Merit.Tests.Audit;

/// <summary>
/// The audit endpoints as an auditor calls them, and the database as a malicious operator sees it. The auditor asks
/// for English (Accept-Language: en), the wording these tests read; AuditLanguageTests read both languages.
/// </summary>
public sealed class AuditClient(MeritApp app)
{
    public RecruitmentApi Api { get; } = new(English(app.CreateClient()));

    private static HttpClient English(HttpClient client)
    {
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en");
        return client;
    }

    public MeritApp App => app;

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

    /// <summary>
    /// What a malicious operator with the database and Merit's (public) hashing code can do: recompute the chain
    /// hashes of a stream from a version on, and write them back so every link matches again.
    /// </summary>
    public async Task RechainAsync(Guid stream, long fromVersion)
    {
        string? previous = null;
        var rewritten = new List<(long Version, string? Previous, string Hash)>();
        await foreach (var e in app.Services.GetRequiredService<AuditEventReader>().ByStreamAsync(stream, 100, CancellationToken.None))
        {
            if (e.Version < fromVersion)
            {
                previous = e.Hash;
                continue;
            }

            var hash = e.Recompute(previous);
            rewritten.Add((e.Version, previous, hash));
            previous = hash;
        }

        foreach (var (version, prev, hash) in rewritten)
        {
            await SqlAsync(
                "update merit.mt_events set headers = jsonb_strip_nulls(headers || jsonb_build_object('hash', @hash::text, 'prev', @prev::text)) " +
                "where stream_id = @s and version = @v",
                ("s", stream), ("v", version), ("hash", hash), ("prev", (object?)prev ?? DBNull.Value));
        }
    }

    /// <summary>
    /// Appends an event past Merit, as the operator can: a copy of the stream's last event as the next version, with
    /// a correct chain hash and previous hash, and the stream's version in mt_streams raised to match.
    /// </summary>
    public async Task<long> AppendPastMeritAsync(Guid stream)
    {
        var last = await StoredAsync(stream, (await StoredCountAsync(stream)));
        var timestamp = EventChain.ToStoredPrecision(DateTimeOffset.UtcNow);
        var hash = EventChain.Link(last.Hash, new ChainedEvent(last.Type, EventChain.FormatStreamId(stream), last.Version + 1, timestamp, last.Data, "operator", last.CorrelationId, last.CausationId));
        await SqlAsync(
            "insert into merit.mt_events (seq_id, id, stream_id, version, data, type, timestamp, tenant_id, mt_dotnet_type, user_name, correlation_id, causation_id, headers) " +
            "select nextval('merit.mt_events_sequence'), gen_random_uuid(), stream_id, version + 1, data, type, @ts, tenant_id, mt_dotnet_type, 'operator', correlation_id, causation_id, " +
            "jsonb_build_object('hash', @hash::text, 'prev', @prev::text) from merit.mt_events where stream_id = @s and version = @v; " +
            "update merit.mt_streams set version = @v + 1 where id = @s",
            ("s", stream), ("v", last.Version), ("ts", timestamp), ("hash", hash), ("prev", last.Hash!));
        return (await StoredAsync(stream, last.Version + 1)).Sequence;
    }

    private async Task<long> StoredCountAsync(Guid stream)
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select max(version) from merit.mt_events where stream_id = @s", connection);
        command.Parameters.AddWithValue("s", stream);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>One value read straight from the test database.</summary>
    public async Task<object?> ScalarAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return await command.ExecuteScalarAsync();
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
