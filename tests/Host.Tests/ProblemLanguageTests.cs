using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Merit.Localization;
using Merit.Testing;
using Xunit;

namespace Merit.Tests;

/// <summary>
/// Problem details in the request's language: Bahasa Indonesia unless Accept-Language asks for English, for Merit's
/// refusals and validation failures and for the frameworks' own status answers alike; the codes stay the same.
/// </summary>
public class ProblemLanguageTests(MeritApp app) : IClassFixture<MeritApp>
{
    private static async Task<JsonObject> ProblemAsync(HttpClient client, HttpMethod method, string path, string? language, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        if (language is not null)
        {
            request.Headers.AcceptLanguage.ParseAdd(language);
        }

        var response = await client.SendAsync(request);
        Assert.False(response.IsSuccessStatusCode, path);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    [Theory]
    [InlineData(null, "id")]
    [InlineData("id-ID", "id")]
    [InlineData("en-US", "en")]
    [InlineData("fr-FR, en;q=0.8", "en")]
    public async Task Every_problem_is_titled_in_the_request_s_language_and_its_codes_stay(string? acceptLanguage, string expected)
    {
        var texts = Texts.For(expected);
        using var client = app.CreateClient();

        var unknownRound = await ProblemAsync(client, HttpMethod.Get, $"/rounds/{Guid.NewGuid()}/announcements/final/INST00/pdf", acceptLanguage);
        Assert.Equal("not-found", (string)unknownRound["code"]!);
        Assert.Equal(texts["problem.title.not-found"], (string)unknownRound["title"]!);

        var invalid = await ProblemAsync(client, HttpMethod.Post, "/rounds", acceptLanguage, new { code = "", name = "", ruleSetVersion = "CPNS-2024" });
        Assert.Equal(400, (int)invalid["status"]!);
        Assert.Equal(texts["problem.title.invalid"], (string)invalid["title"]!);

        using var anonymous = new HttpClient(app.Server.CreateHandler()) { BaseAddress = app.Server.BaseAddress };
        var unauthorized = await ProblemAsync(anonymous, HttpMethod.Post, "/rounds", acceptLanguage, new { code = "CPNS-2024-ANON", name = "x", ruleSetVersion = "CPNS-2024" });
        Assert.Equal(401, (int)unauthorized["status"]!);
        Assert.Equal(texts["problem.status.401"], (string)unauthorized["title"]!);
    }

    [Theory]
    [InlineData(null, "id")]
    [InlineData("en", "en")]
    public async Task A_refusal_s_detail_is_in_the_request_s_language_and_its_code_stays(string? acceptLanguage, string expected)
    {
        using var client = app.CreateClient();
        var refused = await ProblemAsync(client, HttpMethod.Post, "/rounds", acceptLanguage, new { code = "CPNS-2024-LANG", name = "Seleksi", ruleSetVersion = "NO-SUCH-SET" });
        Assert.Equal("rule-set.unknown", (string)refused["code"]!);
        var detail = (string)refused["detail"]!;
        Assert.StartsWith(expected == "id" ? "Tidak ada perangkat aturan 'NO-SUCH-SET'; yang dikenal: " : "No rule set 'NO-SUCH-SET'; known: ", detail, StringComparison.Ordinal);
        Assert.Equal(detail, (string)refused["errors"]!["ruleSetVersion"]![0]!);
    }

    [Theory]
    [InlineData(null, "id")]
    [InlineData("en-US", "en")]
    public async Task A_validation_failure_is_in_the_request_s_language_for_Merit_s_messages_and_FluentValidation_s_alike(string? acceptLanguage, string expected)
    {
        using var client = app.CreateClient();
        var invalid = await ProblemAsync(client, HttpMethod.Post, "/rounds", acceptLanguage, new { code = "CPNS-2024-LANG", name = "", ruleSetVersion = "CPNS-2024", timeZone = "XYZ" });
        Assert.Equal("validation", (string)invalid["code"]!);
        Assert.Equal(expected == "id" ? "Zona waktu harus WIB, WITA, atau WIT." : "Time zone must be WIB, WITA or WIT.", (string)invalid["errors"]!["timeZone"]![0]!);
        Assert.Contains(expected == "id" ? "tidak boleh kosong" : "must not be empty", (string)invalid["errors"]!["name"]![0]!, StringComparison.Ordinal);
    }
}
