using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Xunit;

namespace Merit.Tests.Analytics;

/// <summary>
/// The dashboard in a real headless browser (Debian's Chromium driven by Playwright): it loads with no console
/// error, no script error and no failed request, its charts show the API's numbers, and a screenshot is saved to
/// TestResults/dashboard.png. The browser reaches the in-process Host through Playwright's request routing.
/// </summary>
[Collection(AnalyticsRoundGroup.Name)]
public class DashboardBrowserTests(AnalyticsRound round) : IAsyncLifetime
{
    private const string Origin = "http://merit.test";
    private readonly HttpClient client = round.CreateClient();
    private readonly List<string> problems = [];
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
        page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 880, Height = 900 } });
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning")
            {
                problems.Add($"console {message.Type}: {message.Text}");
            }
        };
        page.PageError += (_, error) => problems.Add("page error: " + error);
        page.RequestFailed += (_, request) => problems.Add($"request failed: {request.Url} {request.Failure}");
        await page.RouteAsync(Origin + "/**", async route =>
        {
            using var request = new HttpRequestMessage(new HttpMethod(route.Request.Method), route.Request.Url[Origin.Length..]);
            using var response = await client.SendAsync(request);
            await route.FulfillAsync(new RouteFulfillOptions
            {
                Status = (int)response.StatusCode,
                ContentType = response.Content.Headers.ContentType?.ToString(),
                Headers = response.Headers.Where(h => h.Key == "Content-Security-Policy").ToDictionary(h => h.Key, h => string.Join(",", h.Value)),
                BodyBytes = await response.Content.ReadAsByteArrayAsync(),
            });
        });
    }

    public async Task DisposeAsync()
    {
        await browser.DisposeAsync();
        playwright.Dispose();
    }

    [Fact]
    public async Task The_dashboard_loads_cleanly_and_its_charts_show_the_numbers_of_the_API()
    {
        var response = await page.GotoAsync($"{Origin}/dashboard?roundId={round.RoundId}");
        Assert.Equal(200, response!.Status);
        Assert.Equal("Merit analytics", await page.TitleAsync());

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
        var screenshot = Path.Combine(RepositoryRoot(), "TestResults", "dashboard.png");
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
        Assert.True(new FileInfo(screenshot).Length > 10_000);
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

    private async Task<string> ValueAsync(string chart, string key) =>
        (await page.GetAttributeAsync($"g[data-chart='{chart}'][data-key='{key}']", "data-value"))!;

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
