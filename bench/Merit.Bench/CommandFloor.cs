using System.Text.Json;
using Merit.Projections;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace Merit.Bench;

/// <summary>
/// The baseline of item 5: what one command over HTTP costs at the least on this machine. A bare Kestrel endpoint,
/// in this process beside the Host, that parses the same JSON body and does by hand the writes an appended event needs
/// at the least — read the stream's version and its write model; move the stream's version on if it is still the one
/// read, append the event, rewrite the write model, committed as one statement — on copies of
/// <c>mt_streams</c>, <c>mt_events</c> and <c>mt_doc_application</c> (same keys and indexes, the events' foreign key)
/// holding the HTTP round's own rows, with a real event's JSON. No token, no validation, no decision, no hash chain,
/// no inline projection, no async daemon: the part of a command's time that is PostgreSQL's and Kestrel's.
/// </summary>
public sealed class CommandFloor : IAsyncDisposable
{
    private const string Schema = "baseline_http";
    private readonly WebApplication app;
    private readonly NpgsqlDataSource dataSource;

    private CommandFloor(WebApplication app, NpgsqlDataSource dataSource, Uri address)
    {
        this.app = app;
        this.dataSource = dataSource;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>Copies the streams' rows and write models, takes the store's newest event as the one appended, and starts the endpoint.</summary>
    public static async Task<CommandFloor> StartAsync(string connectionString, IReadOnlyCollection<Guid> streams, CancellationToken ct)
    {
        var dataSource = NpgsqlDataSource.Create(connectionString);
        var source = MeritStore.SchemaName;
        var ids = streams.ToArray();
        await using (var setup = dataSource.CreateBatch())
        {
            foreach (var sql in new[]
            {
                $"drop schema if exists {Schema} cascade",
                $"create schema {Schema}",
                $"create sequence {Schema}.seq",
                $"create table {Schema}.mt_streams (like {source}.mt_streams including all)",
                $"create table {Schema}.mt_events (like {source}.mt_events including all)",
                $"alter table {Schema}.mt_events add foreign key (stream_id) references {Schema}.mt_streams (id) on delete cascade",
                $"create table {Schema}.mt_doc_application (like {source}.mt_doc_application including all)",
            })
            {
                setup.BatchCommands.Add(new NpgsqlBatchCommand(sql));
            }

            setup.BatchCommands.Add(new NpgsqlBatchCommand($"insert into {Schema}.mt_streams select * from {source}.mt_streams where id = any($1)") { Parameters = { new() { Value = ids } } });
            setup.BatchCommands.Add(new NpgsqlBatchCommand($"insert into {Schema}.mt_doc_application select * from {source}.mt_doc_application where id = any($1)") { Parameters = { new() { Value = ids } } });
            setup.BatchCommands.Add(new NpgsqlBatchCommand($"analyze {Schema}.mt_streams"));
            setup.BatchCommands.Add(new NpgsqlBatchCommand($"analyze {Schema}.mt_doc_application"));
            await setup.ExecuteNonQueryAsync(ct);
        }

        string data, eventType, dotnetType;
        await using (var newest = dataSource.CreateCommand($"select data::text, type, mt_dotnet_type from {source}.mt_events order by seq_id desc limit 1"))
        {
            await using var reader = await newest.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct))
            {
                throw new InvalidOperationException("no event to append by hand");
            }

            (data, eventType, dotnetType) = (reader.GetString(0), reader.GetString(1), reader.GetString(2));
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapPost("/streams/{id:guid}/events", async (Guid id, HttpRequest request, CancellationToken token) =>
        {
            using var body = await JsonDocument.ParseAsync(request.Body, cancellationToken: token);
            return await AppendAsync(dataSource, id, data, eventType, dotnetType, token) ? Results.Ok(new { id }) : Results.Conflict();
        });
        await app.StartAsync(ct);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new CommandFloor(app, dataSource, new Uri(address));
    }

    /// <summary>
    /// Two round trips, the least a decision on current state can take: the read, then one statement that moves the
    /// stream's version on if it is still the one read, appends the event and rewrites the write model — atomic and
    /// committed on its own, so no BEGIN or COMMIT of its own. False when the stream is missing or moved on.
    /// </summary>
    private static async Task<bool> AppendAsync(NpgsqlDataSource dataSource, Guid id, string data, string eventType, string dotnetType, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        long version;
        string document;
        await using (var load = new NpgsqlCommand($"select s.version, d.data::text from {Schema}.mt_streams s join {Schema}.mt_doc_application d on d.id = s.id where s.id = $1", connection))
        {
            load.Parameters.Add(new() { Value = id });
            await using var reader = await load.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct))
            {
                return false;
            }

            (version, document) = (reader.GetInt64(0), reader.GetString(1));
        }

        await using var write = new NpgsqlCommand(
            $"with moved as (update {Schema}.mt_streams set version = $3, timestamp = now() where id = $2 and version = $3 - 1 returning id), " +
            $"appended as (insert into {Schema}.mt_events (seq_id, id, stream_id, version, data, type, timestamp, tenant_id, mt_dotnet_type) " +
            $"select nextval('{Schema}.seq'), $1, id, $3, $4, $5, now(), '*DEFAULT*', $6 from moved returning stream_id) " +
            $"update {Schema}.mt_doc_application set data = $7, mt_version = $3, mt_last_modified = now() where id = (select stream_id from appended)",
            connection)
        {
            Parameters =
            {
                new() { Value = Guid.CreateVersion7() }, new() { Value = id }, new() { Value = version + 1 }, new() { Value = data, NpgsqlDbType = NpgsqlDbType.Jsonb },
                new() { Value = eventType }, new() { Value = dotnetType }, new() { Value = document, NpgsqlDbType = NpgsqlDbType.Jsonb },
            },
        };
        return await write.ExecuteNonQueryAsync(ct) == 1;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        await dataSource.DisposeAsync();
    }
}
