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

    [Fact]
    public async Task The_interactive_API_page_is_served()
    {
        var response = await app.CreateClient().GetAsync("/api");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("scalar", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }
}
