using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Merit.Localization;
using Merit.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit;

namespace Merit.Tests.Analytics;

/// <summary>
/// The dashboard in a real headless browser (Debian's Chromium driven by Playwright): it loads with no console
/// error, no script error and no failed request, its charts show the API's numbers, it speaks Bahasa Indonesia or
/// English, a signed-in analyst downloads its CSV tables, and it fits a 375 px phone as well as a desktop; screenshots
/// are saved to TestResults. The browser reaches the in-process Host through Playwright's request routing, carrying
/// only the headers the browser itself sends (no token of the tests').
/// </summary>
[Collection(AnalyticsRoundGroup.Name)]
public class DashboardBrowserTests(AnalyticsRound round) : IAsyncLifetime
{
    private const string Origin = "http://merit.test";
    private readonly HttpClient client = round.CreateClient();
    private readonly HttpClient browserClient = Anonymous(round);
    private readonly List<string> problems = [];
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> requested = new();
    private IPlaywright playwright = null!;
    private IBrowser browser = null!;
    private IPage page = null!;

    public async Task InitializeAsync()
    {
        playwright = await Playwright.CreateAsync();
        browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("MERIT_CHROMIUM") ?? "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        page = await OpenPageAsync(880, "id-ID");
    }

    /// <summary>A page of its own browser context: its viewport width, the language its browser asks for.</summary>
    private async Task<IPage> OpenPageAsync(int width, string locale)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = 900 },
            Locale = locale,
            AcceptDownloads = true,
        });
        var opened = await context.NewPageAsync();
        opened.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning")
            {
                problems.Add($"console {message.Type}: {message.Text}");
            }
        };
        opened.PageError += (_, error) => problems.Add("page error: " + error);
        opened.RequestFailed += (_, request) => problems.Add($"request failed: {request.Url} {request.Failure}");
        await opened.RouteAsync(Origin + "/**", async route =>
        {
            requested.Enqueue(route.Request.Url);
            using var request = new HttpRequestMessage(new HttpMethod(route.Request.Method), route.Request.Url[Origin.Length..]);
            foreach (var (name, value) in await route.Request.AllHeadersAsync())
            {
                if (name is "authorization" or "accept-language")
                {
                    request.Headers.TryAddWithoutValidation(name, value);
                }
            }

            using var response = await browserClient.SendAsync(request);
            await route.FulfillAsync(new RouteFulfillOptions
            {
                Status = (int)response.StatusCode,
                ContentType = response.Content.Headers.ContentType?.ToString(),
                Headers = response.Headers.Concat(response.Content.Headers)
                    .Where(h => h.Key is "Content-Security-Policy" or "Content-Disposition")
                    .ToDictionary(h => h.Key, h => string.Join(",", h.Value)),
                BodyBytes = await response.Content.ReadAsByteArrayAsync(),
            });
        });
        return opened;
    }

    /// <summary>A client with no token: the browser's requests carry only the headers the browser sends.</summary>
    private static HttpClient Anonymous(AnalyticsRound round) => new(round.Server.CreateHandler()) { BaseAddress = round.Server.BaseAddress };

    public async Task DisposeAsync()
    {
        await browser.DisposeAsync();
        playwright.Dispose();
        browserClient.Dispose();
    }

    [Fact]
    public async Task The_dashboard_loads_cleanly_and_its_charts_show_the_numbers_of_the_API()
    {
        var response = await page.GotoAsync($"{Origin}/dashboard?roundId={round.RoundId}");
        Assert.Equal(200, response!.Status);
        Assert.Equal(Texts.Indonesian["dashboard.title"], await page.TitleAsync());

        var funnel = (await client.GetFromJsonAsync<JsonObject>($"/analytics/rounds/{round.RoundId}/funnel?by=all"))!["total"]!;
        foreach (var stage in new[] { "registered", "ms", "skdThresholdMet", "admittedToSkb", "finalPass", "nipIssued" })
        {
            Assert.Equal(Shown(funnel[stage]), await ValueAsync("funnel", stage));
        }

        var fairness = (await client.GetFromJsonAsync<JsonObject>($"/analytics/rounds/{round.RoundId}/fairness?attribute=sex"))!;
        var bars = 0;
        foreach (var stage in fairness["stages"]!.AsArray())
        {
            foreach (var group in stage!["groups"]!.AsArray().Where(g => g!["rate"] is not null))
            {
                var value = await ValueAsync("fairness-sex", $"{stage["stage"]}/{group!["group"]}");
                Assert.Equal((double)group["ratioToHighest"]!, double.Parse(value, CultureInfo.InvariantCulture), 4);
                bars++;
            }
        }

        Assert.True(bars >= 8);
        Assert.True(await page.Locator("[data-chart='fairness-category']").CountAsync() >= 5);

        var times = (await client.GetFromJsonAsync<JsonObject>($"/analytics/rounds/{round.RoundId}/time-to-decision"))!["allInstansi"]!.AsArray();
        Assert.NotEmpty(times);
        foreach (var row in times)
        {
            var stage = (string)row!["stage"]!;
            Assert.Equal(Shown(row["medianHours"]), await ValueAsync("time-median", stage));
            Assert.Equal(Shown(row["p90Hours"]), await ValueAsync("time-p90", stage));
        }

        Assert.Equal("0", await page.GetAttributeAsync("p.fresh", "data-events-behind"));
        await ScreenshotAsync(page, "dashboard.png");
        Assert.Empty(problems);
    }

    [Fact]
    public async Task Choosing_an_instansi_in_the_form_redraws_the_charts_for_it()
    {
        await page.GotoAsync($"{Origin}/dashboard?roundId={round.RoundId}");
        var instansi = round.Generated.Formations[0].Instansi;
        await page.SelectOptionAsync("select[name=instansi]", instansi);

        // Waits for the new document to be committed only, watching from before the click: waiting for its "load"
        // after the click raced the event on a loaded CI machine (30 s timeout). The locators below wait for
        // their elements in the new document.
        var navigated = page.WaitForURLAsync($"**instansi={instansi}**", new PageWaitForURLOptions { WaitUntil = WaitUntilState.Commit });
        await page.ClickAsync("button[type=submit]");
        await navigated;

        var funnel = (await client.GetFromJsonAsync<JsonObject>($"/analytics/rounds/{round.RoundId}/funnel?by=all&instansi={instansi}"))!["total"]!;
        Assert.Equal(Shown(funnel["registered"]), await ValueAsync("funnel", "registered"));
        Assert.Equal(Shown(funnel["skdThresholdMet"]), await ValueAsync("funnel", "skdThresholdMet"));
        Assert.True((int)funnel["registered"]! < 1500);
        Assert.Equal(instansi, await page.InputValueAsync("select[name=instansi]"));
        Assert.Empty(problems);
    }

    [Fact]
    public async Task The_dashboard_speaks_Indonesian_by_default_English_when_the_browser_asks_and_either_by_its_switch()
    {
        var english = await OpenPageAsync(880, "en-US");
        await english.GotoAsync($"{Origin}/dashboard?roundId={round.RoundId}");
        await AssertSpeaksAsync(english, Texts.English, Texts.Indonesian);

        // The switch keeps the round and the language through the filter form.
        await english.ClickAsync("nav.lang a[data-lang=id]");
        await english.WaitForURLAsync("**lang=id**");
        await AssertSpeaksAsync(english, Texts.Indonesian, Texts.English);
        Assert.Contains($"roundId={round.RoundId}", english.Url, StringComparison.Ordinal);
        Assert.Equal("id", await english.InputValueAsync("form input[name=lang]"));

        await page.GotoAsync($"{Origin}/dashboard?roundId={round.RoundId}");
        await AssertSpeaksAsync(page, Texts.Indonesian, Texts.English);
        await page.ClickAsync("nav.lang a[data-lang=en]");
        await page.WaitForURLAsync("**lang=en**");
        await AssertSpeaksAsync(page, Texts.English, Texts.Indonesian);
        await ScreenshotAsync(page, "dashboard-en.png");
        Assert.Empty(problems);
    }

    /// <summary>
    /// The page's lang, and its texts: the ones every dashboard shows are there in <paramref name="language"/>, and no
    /// dashboard text of <paramref name="other"/> is, visible or hidden (the script's messages included).
    /// </summary>
    private static async Task AssertSpeaksAsync(IPage shown, Texts language, Texts other)
    {
        Assert.Equal(language.Language, await shown.GetAttributeAsync("html", "lang"));
        Assert.Equal(language["dashboard.title"], await shown.TitleAsync());
        var text = await shown.EvaluateAsync<string>("() => document.title + '\\n' + document.body.textContent + '\\n' + Object.values(document.getElementById('download-error').dataset).join('\\n')");
        foreach (var key in new[]
        {
            "dashboard.title", "dashboard.round", "dashboard.all-instansi", "dashboard.show", "dashboard.funnel", "dashboard.funnel.registered",
            "dashboard.funnel.nipIssued", "dashboard.fairness", "dashboard.fairness.note", "dashboard.fairness.sex", "dashboard.fairness.category",
            "dashboard.step.skdThresholdMet", "dashboard.time", "dashboard.time.note", "dashboard.time.p90", "dashboard.time.stage.skdResult",
            "dashboard.tables", "dashboard.csv.funnel", "dashboard.csv.cut-offs", "dashboard.sign-in", "dashboard.sign-in.token",
            "dashboard.sign-out", "dashboard.error.sign-in", "dashboard.error.unauthorized", "dashboard.api-note",
        })
        {
            Assert.Contains(language[key], text, StringComparison.Ordinal);
        }

        var foreign = other.Keys()
            .Where(k => k.StartsWith("dashboard.", StringComparison.Ordinal) && !other[k].Contains('{', StringComparison.Ordinal) && other[k] != language[k])
            .Where(k => text.Contains(other[k], StringComparison.Ordinal))
            .ToList();
        Assert.True(foreign.Count == 0, $"{other.Language} texts on the {language.Language} page: {string.Join(", ", foreign.Select(k => $"{k} \"{other[k]}\""))}");
    }

    [Fact]
    public async Task The_what_if_page_speaks_Indonesian_by_default_English_when_the_browser_asks_and_either_by_its_switch()
    {
        await round.WaitForProjectionsAsync();
        var own = await client.GetStringAsync(new Uri("/analytics/rule-sets/CPNS-2024", UriKind.Relative));
        var studied = await client.PostAsync(new Uri($"/analytics/rounds/{round.RoundId}/what-ifs", UriKind.Relative), new StringContent(own, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, studied.StatusCode);
        var whatIf = (await studied.Content.ReadFromJsonAsync<JsonObject>())!;
        var address = $"{Origin}/dashboard/what-ifs/{whatIf["whatIfId"]}";
        var thresholdMet = whatIf["tables"]![0]!["total"]!["actual"]!["thresholdMet"]!.ToString();

        // The page is an analyst's: the browser sends the token as a header, as an analyst's own client would.
        var token = round.Services.GetRequiredService<Tokens>().Issue("what-if-analyst", [Roles.Analyst], ["*"], TimeSpan.FromMinutes(30));
        var signedIn = new Dictionary<string, string>(StringComparer.Ordinal) { ["Authorization"] = "Bearer " + token };
        var english = await OpenPageAsync(880, "en-US");
        await english.SetExtraHTTPHeadersAsync(signedIn);
        Assert.Equal(200, (await english.GotoAsync(address))!.Status);
        await AssertWhatIfSpeaksAsync(english, Texts.English, Texts.Indonesian, thresholdMet);
        await english.ClickAsync("nav.lang a[data-lang=id]");
        await english.WaitForURLAsync("**lang=id**");
        await AssertWhatIfSpeaksAsync(english, Texts.Indonesian, Texts.English, thresholdMet);

        var indonesian = await OpenPageAsync(880, "id-ID");
        await indonesian.SetExtraHTTPHeadersAsync(signedIn);
        await indonesian.GotoAsync(address);
        await AssertWhatIfSpeaksAsync(indonesian, Texts.Indonesian, Texts.English, thresholdMet);
        await ScreenshotAsync(indonesian, "what-if-id.png");
        await indonesian.ClickAsync("nav.lang a[data-lang=en]");
        await indonesian.WaitForURLAsync("**lang=en**");
        await AssertWhatIfSpeaksAsync(indonesian, Texts.English, Texts.Indonesian, thresholdMet);
        await ScreenshotAsync(indonesian, "what-if-en.png");
        Assert.Empty(problems);
    }

    /// <summary>
    /// The what-if page's lang and texts: each of its own texts in <paramref name="language"/>, none of <paramref name="other"/>'s,
    /// and its numbers the API's whatever the language.
    /// </summary>
    private static async Task AssertWhatIfSpeaksAsync(IPage shown, Texts language, Texts other, string thresholdMet)
    {
        Assert.Equal(language.Language, await shown.GetAttributeAsync("html", "lang"));
        Assert.Equal(language["dashboard.title"], await shown.TitleAsync());
        Assert.Equal(thresholdMet, await shown.GetAttributeAsync("g[data-chart='steps-actual'][data-key='thresholdMet']", "data-value"));
        // The charts' titles are their aria-label.
        var text = await shown.EvaluateAsync<string>("() => document.title + '\\n' + document.body.textContent + '\\n' + [...document.querySelectorAll('[aria-label]')].map(e => e.getAttribute('aria-label')).join('\\n')");
        string[] keys = [.. language.Keys().Where(k => k.StartsWith("what-if-page.", StringComparison.Ordinal)), "dashboard.funnel.registered", "dashboard.funnel.admittedToSkb", "dashboard.funnel.finalPass"];
        Assert.True(keys.Length > 20);
        var missing = keys.Where(k => !language[k].Contains('{', StringComparison.Ordinal) && !text.Contains(language[k], StringComparison.Ordinal)).ToList();
        Assert.True(missing.Count == 0, $"missing from the {language.Language} page: {string.Join(", ", missing)}");
        Assert.Contains(language.Format("what-if-page.table.csv", "groups"), text, StringComparison.Ordinal);
        var foreign = keys
            .Where(k => !other[k].Contains('{', StringComparison.Ordinal) && other[k] != language[k] && text.Contains(other[k], StringComparison.Ordinal))
            .ToList();
        Assert.True(foreign.Count == 0, $"{other.Language} texts on the {language.Language} page: {string.Join(", ", foreign.Select(k => $"{k} \"{other[k]}\""))}");
    }

    [Fact]
    public async Task A_signed_in_analyst_downloads_a_table_equal_to_the_API_CSV_and_the_token_is_in_no_URL()
    {
        var csvPath = $"/analytics/rounds/{round.RoundId}/funnel.csv";
        Assert.Equal(HttpStatusCode.Unauthorized, (await browserClient.GetAsync(csvPath)).StatusCode);
        await page.GotoAsync($"{Origin}/dashboard?roundId={round.RoundId}");

        // Not signed in: the page asks for a token instead of downloading a 401.
        await page.ClickAsync("a[data-csv=funnel]");
        await page.Locator("#download-error").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible });
        Assert.Equal(Texts.Indonesian["dashboard.error.sign-in"], await page.Locator("#download-error").TextContentAsync());

        var token = round.Services.GetRequiredService<Tokens>().Issue("dashboard-analyst", [Roles.Analyst], ["*"], TimeSpan.FromMinutes(30));
        await page.FillAsync("#token", token);
        await page.ClickAsync("#sign-in-button");
        Assert.True(await page.Locator("#signed-in").IsVisibleAsync());
        Assert.False(await page.Locator("#sign-in").IsVisibleAsync());
        Assert.Equal("", await page.InputValueAsync("#token"));

        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("a[data-csv=funnel]"));
        Assert.Equal("CPNS-2024-ANALYTICS-funnel.csv", download.SuggestedFilename);
        var downloaded = await File.ReadAllBytesAsync((await download.PathAsync())!);
        var expected = await client.GetByteArrayAsync(csvPath);
        Assert.True(expected.Length > 100);
        Assert.Equal(expected, downloaded);
        Assert.False(await page.Locator("#download-error").IsVisibleAsync());

        // A refused token is forgotten, and the analyst is asked to sign in again.
        await page.ClickAsync("#sign-out");
        await page.FillAsync("#token", "not-a-token");
        await page.ClickAsync("#sign-in-button");
        await page.ClickAsync("a[data-csv=cut-offs]");
        await page.Locator("#download-error").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible });
        Assert.Equal(Texts.Indonesian["dashboard.error.unauthorized"], await page.Locator("#download-error").TextContentAsync());
        Assert.True(await page.Locator("#sign-in").IsVisibleAsync());

        Assert.Contains(requested, url => url.EndsWith("/funnel.csv", StringComparison.Ordinal));
        Assert.DoesNotContain(requested, url => url.Contains(token, StringComparison.Ordinal) || url.Contains("not-a-token", StringComparison.Ordinal));
        Assert.DoesNotContain(token, page.Url, StringComparison.Ordinal);
        // The 401 of the refused token is the expected answer, not a problem of the page.
        Assert.All(problems, p => Assert.Contains("401", p, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(375)]
    [InlineData(1280)]
    public async Task At_a_phone_and_a_desktop_width_the_page_does_not_scroll_sideways_and_every_chart_fits(int width)
    {
        var sized = await OpenPageAsync(width, "id-ID");
        await sized.GotoAsync($"{Origin}/dashboard?roundId={round.RoundId}");
        var fit = await sized.EvaluateAsync<System.Text.Json.JsonElement>("""
            () => {
              const width = window.innerWidth;
              const outside = (e) => { const r = e.getBoundingClientRect(); return r.width > 0 && (r.left < -0.5 || r.right > width + 0.5); };
              const charts = [...document.querySelectorAll('svg.chart')];
              // A label or value that leaves its chart's box is cut off by the SVG.
              const clipped = charts.flatMap(c => { const box = c.getBoundingClientRect();
                return [...c.querySelectorAll('text')].filter(t => { const r = t.getBoundingClientRect(); return r.right > box.right + 0.5 || r.left < box.left - 0.5; }).map(t => c.id + ': ' + t.textContent); });
              return {
                width,
                scrollWidth: document.scrollingElement.scrollWidth,
                charts: charts.length,
                chartsOutside: charts.filter(outside).map(c => c.id),
                elementsOutside: [...document.body.querySelectorAll('*')].filter(outside).map(e => e.tagName + '#' + e.id + '.' + e.className),
                clipped,
              };
            }
            """);
        Assert.Equal(width, fit.GetProperty("width").GetInt32());
        Assert.True(fit.GetProperty("scrollWidth").GetInt32() <= width, $"scrollWidth {fit.GetProperty("scrollWidth")} at {width}");
        Assert.True(fit.GetProperty("charts").GetInt32() >= 4);
        Assert.Equal("[]", fit.GetProperty("chartsOutside").GetRawText());
        Assert.Equal("[]", fit.GetProperty("elementsOutside").GetRawText());
        Assert.Equal("[]", fit.GetProperty("clipped").GetRawText());
        await ScreenshotAsync(sized, $"dashboard-{width}.png");
        Assert.Empty(problems);
    }

    private async Task<string> ValueAsync(string chart, string key) =>
        (await page.GetAttributeAsync($"g[data-chart='{chart}'][data-key='{key}']", "data-value"))!;

    private static async Task ScreenshotAsync(IPage shown, string name)
    {
        var screenshot = Path.Combine(RepositoryRoot(), "TestResults", name);
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        await shown.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
        Assert.True(new FileInfo(screenshot).Length > 10_000);
    }

    /// <summary>How the dashboard writes a value of the API: its number, or "suppressed".</summary>
    private static string Shown(JsonNode? value) =>
        value is null ? "suppressed" : value.GetValue<double>().ToString(CultureInfo.InvariantCulture);

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Merit.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Merit.sln not found above " + AppContext.BaseDirectory);
    }
}
