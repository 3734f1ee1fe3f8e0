using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Merit.Testing;
using Xunit;

namespace Merit.Tests.Security;

/// <summary>
/// The security headers on every kind of answer: data, problems of every status, the contract, the API page, the
/// dashboard, a CSV, a health probe. And the policies fit their pages: the dashboard runs no inline script, the API page
/// loads nothing from another origin.
/// </summary>
public partial class SecurityHeadersTests(MeritApp app) : IClassFixture<MeritApp>
{
    [Fact]
    public async Task Every_answer_carries_nosniff_no_framing_no_referrer_and_a_content_security_policy()
    {
        var api = new RecruitmentApi(app.CreateClient());
        var round = await api.OpenRoundAsync("CPNS-2024-HEADERS");
        using var anonymous = new HttpClient(app.Server.CreateHandler()) { BaseAddress = app.Server.BaseAddress };
        var analyst = app.ClientAs("analis", "analyst");

        var answers = new List<(string What, HttpResponseMessage Response, HttpStatusCode Status)>
        {
            ("a read", await api.Client.GetAsync($"/rounds/{round}"), HttpStatusCode.OK),
            ("a command", await api.Client.PostAsJsonAsync($"/rounds/{round}/stage", new { to = "Registration" }), HttpStatusCode.OK),
            ("a validation problem", await api.Client.PostAsJsonAsync("/rounds", new { code = "", name = "x", ruleSetVersion = "CPNS-2024" }), HttpStatusCode.BadRequest),
            ("no token", await anonymous.GetAsync($"/rounds/{round}"), HttpStatusCode.Unauthorized),
            ("a role not admitted", await analyst.GetAsync($"/applications/{Guid.NewGuid()}"), HttpStatusCode.Forbidden),
            ("an unknown path", await api.Client.GetAsync("/no-such-thing"), HttpStatusCode.NotFound),
            ("a wrong method", await api.Client.DeleteAsync($"/rounds/{round}/stage"), HttpStatusCode.MethodNotAllowed),
            ("a NUL byte", await api.Client.GetAsync("/relocation-progress?instansiCode=a%00b"), HttpStatusCode.BadRequest),
            ("the contract", await anonymous.GetAsync("/openapi/v1.json"), HttpStatusCode.OK),
            ("the API page", await anonymous.GetAsync("/api/"), HttpStatusCode.OK),
            ("a redirect", await anonymous.GetAsync("/api"), HttpStatusCode.Found),
            ("the dashboard", await anonymous.GetAsync("/dashboard"), HttpStatusCode.OK),
            ("a health probe", await anonymous.GetAsync("/health/live"), HttpStatusCode.OK),
        };

        foreach (var (what, response, status) in answers)
        {
            Assert.True(status == response.StatusCode, $"{what}: {(int)response.StatusCode}");
            Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
            Assert.Equal("DENY", Header(response, "X-Frame-Options"));
            Assert.Equal("no-referrer", Header(response, "Referrer-Policy"));
            var policy = Header(response, "Content-Security-Policy");
            Assert.Contains("default-src", policy, StringComparison.Ordinal);
            Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        }

        // Data and problems load nothing: their policy allows nothing.
        Assert.StartsWith("default-src 'none'", Header(answers[0].Response, "Content-Security-Policy"), StringComparison.Ordinal);
        // The dashboard runs its own script file only: no inline script, nothing from elsewhere.
        Assert.Contains("script-src 'self';", Header(answers[11].Response, "Content-Security-Policy"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_dashboard_runs_no_inline_script_and_the_API_page_loads_only_from_this_origin()
    {
        using var anonymous = new HttpClient(app.Server.CreateHandler()) { BaseAddress = app.Server.BaseAddress };
        var dashboard = await anonymous.GetStringAsync("/dashboard");
        // Its one script (on a page with a round) is its own file; no script element has a body.
        Assert.All(Script().Matches(dashboard), m => Assert.Equal("<script src=\"/dashboard/downloads.js\" defer></script>", m.Value));
        Assert.DoesNotMatch(OnHandler(), dashboard);
        var downloads = await anonymous.GetAsync("/dashboard/downloads.js");
        Assert.Equal(HttpStatusCode.OK, downloads.StatusCode);
        Assert.Equal("text/javascript", downloads.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Authorization", await downloads.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var page = await anonymous.GetStringAsync("/api/");
        var sources = Source().Matches(page).Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(sources);
        Assert.All(sources, source => Assert.False(source.StartsWith("http", StringComparison.OrdinalIgnoreCase) || source.StartsWith("//", StringComparison.Ordinal), source));
        foreach (var script in sources.Where(s => s.EndsWith(".js", StringComparison.Ordinal)))
        {
            var response = await anonymous.GetAsync(new Uri(new Uri(app.Server.BaseAddress, "/api/"), script));
            Assert.True(response.IsSuccessStatusCode, $"{script}: {(int)response.StatusCode}");
        }
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(",", values)
            : throw new Xunit.Sdk.XunitException($"{response.RequestMessage?.RequestUri}: no {name} header");

    [GeneratedRegex("\\s(?:src|href)=\"([^\"]+)\"")]
    private static partial Regex Source();

    [GeneratedRegex("<script[^>]*>.*?</script>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex Script();

    [GeneratedRegex("""<[^>]+\son[a-z]+=""", RegexOptions.IgnoreCase)]
    private static partial Regex OnHandler();
}
