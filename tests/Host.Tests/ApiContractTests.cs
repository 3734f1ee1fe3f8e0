using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Merit.Testing;
using Snapshooter.Xunit;
using Xunit;

namespace Merit.Tests;

/// <summary>The public contract: the OpenAPI document lists every endpoint, and its shape is kept as a snapshot.</summary>
public class ApiContractTests(MeritApp app) : IClassFixture<MeritApp>
{
    [Fact]
    public async Task The_OpenAPI_document_lists_every_endpoint_with_its_operation()
    {
        var document = (await app.CreateClient().GetFromJsonAsync<JsonObject>("/openapi/v1.json"))!;
        var operations = document["paths"]!.AsObject()
            .SelectMany(path => path.Value!.AsObject().Select(op => $"{op.Key.ToUpperInvariant()} {path.Key} {op.Value!["operationId"]}"))
            .Order(StringComparer.Ordinal)
            .ToList();

        Snapshot.Match(operations);
    }

    [Fact]
    public async Task Commands_declare_their_problem_responses_in_the_contract()
    {
        var document = (await app.CreateClient().GetFromJsonAsync<JsonObject>("/openapi/v1.json"))!;
        var recordSkd = document["paths"]!["/applications/{applicationId}/skd-result"]!["post"]!;
        Assert.NotNull(recordSkd["requestBody"]);
        Assert.NotNull(recordSkd["responses"]!["400"]);
    }

    /// <summary>
    /// The served document passes the OpenAPI linter (Redocly's recommended rules, strict, as redocly.yaml sets them):
    /// every tag described, a 4xx on every operation, a valid server. Node and npm are on the machine; the linter's
    /// version is pinned so that a new release does not change the verdict.
    /// </summary>
    [Fact]
    public async Task The_served_document_passes_the_OpenAPI_linter()
    {
        var document = await app.CreateClient().GetStringAsync("/openapi/v1.json");
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root!.FullName, "Merit.sln")))
        {
            root = root.Parent;
        }

        var file = Path.Combine(Path.GetTempPath(), $"merit-openapi-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, document);
        try
        {
            var lint = new System.Diagnostics.ProcessStartInfo("npx", ["--yes", "@redocly/cli@2.77.0", "lint", "--config", Path.Combine(root.FullName, "redocly.yaml"), "--format", "stylish", file])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var process = System.Diagnostics.Process.Start(lint)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            var said = await output + await errors;
            Assert.True(process.ExitCode == 0, said); // recommended-strict: a warning fails the lint too
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Every_protected_operation_declares_401_and_403_and_every_tag_is_described()
    {
        var document = (await app.CreateClient().GetFromJsonAsync<JsonObject>("/openapi/v1.json"))!;
        var operations = document["paths"]!.AsObject().SelectMany(path => path.Value!.AsObject().Select(op => (Name: $"{op.Key} {path.Key}", Operation: op.Value!))).ToList();
        var open = operations.Where(o => o.Operation["responses"]!["401"] is null || o.Operation["responses"]!["403"] is null).Select(o => o.Name).ToList();
        Assert.Equal(["get /announcements/{announcementId}/editions/{edition}/proof"], open); // public: the QR code of a printed announcement leads there
        Assert.All(document["tags"]!.AsArray(), tag => Assert.False(string.IsNullOrWhiteSpace((string?)tag!["description"]), (string?)tag["name"]));
    }

    /// <summary>
    /// Every success a client can receive has a schema of its own (no endpoint answers an untyped <c>IResult</c>), and
    /// every operation that takes input declares the 400 it answers to bad input, as problem details.
    /// </summary>
    [Fact]
    public async Task Every_success_is_typed_and_bad_input_is_declared()
    {
        var document = (await app.CreateClient().GetFromJsonAsync<JsonObject>("/openapi/v1.json"))!;
        var schemas = document["components"]!["schemas"]!.AsObject();
        var operations = document["paths"]!.AsObject().SelectMany(path => path.Value!.AsObject().Select(op => (Name: $"{op.Key} {path.Key}", Operation: op.Value!))).ToList();
        var untyped = operations
            .SelectMany(o => o.Operation["responses"]!.AsObject().Where(r => r.Key.StartsWith('2')).Select(r => (o.Name, Status: r.Key, Content: r.Value!["content"]?.AsObject())))
            .Where(r => r.Content is not null && r.Content.Any(m => m.Key.Contains("json", StringComparison.Ordinal) && IsUntyped(m.Value!["schema"], schemas)))
            .Select(r => $"{r.Name} {r.Status}")
            .ToList();
        Assert.Empty(untyped);
        Assert.False(schemas.ContainsKey("IResult"));

        var undeclared = operations
            .Where(o => (o.Operation["requestBody"] is not null || o.Operation["parameters"] is JsonArray { Count: > 0 }) && o.Operation["responses"]!["400"]?["content"]?["application/problem+json"] is null)
            .Select(o => o.Name)
            .ToList();
        Assert.Empty(undeclared);
        Assert.NotNull(document["paths"]!["/rounds"]!["post"]!["responses"]!["409"]);
        Assert.NotNull(document["paths"]!["/rounds"]!["post"]!["responses"]!["201"]);
        Assert.Null(document["paths"]!["/rounds"]!["post"]!["responses"]!["200"]);
    }

    /// <summary>The main commands show an example request and answer (the linter holds each to its schema).</summary>
    [Fact]
    public async Task The_main_commands_carry_examples()
    {
        var document = (await app.CreateClient().GetFromJsonAsync<JsonObject>("/openapi/v1.json"))!;
        var operations = document["paths"]!.AsObject().SelectMany(path => path.Value!.AsObject().Select(op => op.Value!)).ToDictionary(op => (string)op["operationId"]!);
        Assert.Equal(6, Merit.Infrastructure.OpenApiContract.Examples.Count);
        foreach (var (id, example) in Merit.Infrastructure.OpenApiContract.Examples)
        {
            var operation = operations[id];
            Assert.NotNull(operation["responses"]![example.Status]!["content"]!["application/json"]!["example"]);
            Assert.Equal(example.Request is not null, operation["requestBody"]?["content"]?["application/json"]?["example"] is not null);
        }

        Assert.Equal("CPNS-2024", (string?)operations["OpenRound"]["requestBody"]!["content"]!["application/json"]!["example"]!["code"]);
    }

    private static bool IsUntyped(JsonNode? schema, JsonObject schemas)
    {
        while (schema?["$ref"] is { } reference)
        {
            schema = schemas[((string)reference!).Split('/')[^1]];
        }

        return schema is null || (schema["type"]?.ToString() == "object" && schema["properties"] is null && schema["additionalProperties"] is null);
    }

    /// <summary>The validators' rules are in the request schemas, read from the validators themselves.</summary>
    [Fact]
    public async Task Request_schemas_carry_the_validators_rules()
    {
        var document = (await app.CreateClient().GetFromJsonAsync<JsonObject>("/openapi/v1.json"))!;
        var schemas = document["components"]!["schemas"]!;
        var code = schemas["OpenRoundRequest"]!["properties"]!["code"]!;
        Assert.Equal("string", (string?)code["type"]);
        Assert.Equal(1, (int?)code["minLength"]);
        Assert.Equal(40, (int?)code["maxLength"]);
        Assert.Equal("^[A-Za-z0-9._-]+$", (string?)code["pattern"]);
        Assert.Equal(["WIB", "WITA", "WIT", null], schemas["OpenRoundRequest"]!["properties"]!["timeZone"]!["enum"]!.AsArray().Select(v => (string?)v));
        Assert.Equal(["Administrative", "Final"], schemas["FileAppealRequest"]!["properties"]!["window"]!["enum"]!.AsArray().Select(v => (string?)v));

        var allocation = schemas["OpenFormationRequest"]!["properties"]!["allocation"]!;
        Assert.Equal((1, 100000), ((int?)allocation["minimum"], (int?)allocation["maximum"]));
        Assert.Equal(0, (int?)schemas["RecordSkdResultRequest"]!["properties"]!["twk"]!["minimum"]);
        Assert.Equal("date", (string?)schemas["ArrivalRequest"]!["properties"]!["arrivedOn"]!["format"]);
    }

    [Fact]
    public async Task The_interactive_API_page_is_served()
    {
        var response = await app.CreateClient().GetAsync("/api");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("scalar", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }
}
