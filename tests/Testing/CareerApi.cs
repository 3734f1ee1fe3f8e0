using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit;

namespace Merit.Testing;

/// <summary>The career endpoints as an HR unit's or a pansel's client would call them, for tests that drive the Host over HTTP.</summary>
public sealed class CareerApi(HttpClient client)
{
    public HttpClient Client => client;

    /// <summary>Uploads the workforce file; answers the import report, or fails with the problem details.</summary>
    public async Task<JsonObject> ImportWorkforceAsync(string csv)
    {
        var response = await PostWorkforceAsync(csv);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body.Length > 2000 ? body[..2000] : body);
        return JsonNode.Parse(body)!.AsObject();
    }

    public async Task<HttpResponseMessage> PostWorkforceAsync(string csv)
    {
        using var content = new MultipartFormDataContent();
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(csv));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        content.Add(file, "file", "workforce.csv");
        return await client.PostAsync("/workforce/imports", content);
    }

    /// <summary>The id of the career record of a NIP.</summary>
    public async Task<Guid> LookupAsync(string nip) =>
        (await OkAsync(await client.PostAsJsonAsync("/civil-servants/lookup", new { nip }))).GetProperty("id").GetGuid();

    public Task<HttpResponseMessage> PostAsync(string path, object? body = null) =>
        body is null ? client.PostAsync(path, null) : client.PostAsJsonAsync(path, body);

    /// <summary>Posts and requires a success; answers the body.</summary>
    public async Task<JsonElement> OkAsync(string path, object? body = null) => await OkAsync(await PostAsync(path, body));

    public async Task<JsonObject> GetAsync(string path)
    {
        var response = await client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    public static async Task<JsonElement> OkAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }
}
