using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Marten;
using Xunit;

namespace Merit.Tests.Analytics;

/// <summary>
/// No analytics answer — any endpoint tagged Analytics in the OpenAPI document, JSON or CSV, with each grouping
/// and filter, and the dashboard — holds a NIK, a name, a birth date, a registration number, an application id
/// or a person's pseudonym from the round.
/// </summary>
[Collection(AnalyticsRoundGroup.Name)]
public partial class AnalyticsPersonalDataTests(AnalyticsRound round)
{
    private readonly HttpClient client = round.CreateClient();

    private static readonly string[] WhatIfTables = ["groups", "transitions", "fairness", "formations"];

    [GeneratedRegex(@"\d+")]
    private static partial Regex Digits();

    [GeneratedRegex(@"[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}")]
    private static partial Regex Guids();

    [GeneratedRegex(@"\b(\d{4})-(\d{2})-(\d{2})\b|\b(\d{2})[-/.](\d{2})[-/.](\d{4})\b")]
    private static partial Regex Dates();

    [Fact]
    public async Task No_analytics_endpoint_or_export_returns_personal_data()
    {
        var personal = await PersonalDataAsync();
        var answers = new List<(string Url, string Text)>();
        foreach (var url in await AnalyticsUrlsAsync())
        {
            var response = await client.GetAsync(url);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode}");
            var headers = string.Join("\n", response.Headers.Concat(response.Content.Headers).Select(h => $"{h.Key}: {string.Join(",", h.Value)}"));
            answers.Add((url, headers + "\n" + await response.Content.ReadAsStringAsync()));
        }

        foreach (var (url, text) in answers)
        {
            Assert.True(Leaks(text, personal) is null, $"{url} leaks {Leaks(text, personal)}");
        }

        // The scan finds personal data where it is: a case view names its registration number.
        var someone = round.Generated.Applicants[0].RegistrationNumber;
        var caseView = await client.GetStringAsync($"/applications/{round.Id(someone)}");
        Assert.Equal("registration number", Leaks(caseView, personal));
    }

    /// <summary>Every GET of the Analytics tag, with each grouping, attribute and a filter; then the dashboard.</summary>
    private async Task<List<string>> AnalyticsUrlsAsync()
    {
        var document = (await client.GetFromJsonAsync<JsonObject>("/openapi/v1.json"))!;
        var paths = document["paths"]!.AsObject()
            .Where(p => p.Value!["get"]?["tags"]?.AsArray().Any(t => (string)t! == "Analytics") == true)
            .Select(p => p.Key.Replace("{roundId}", round.RoundId.ToString(), StringComparison.Ordinal))
            .ToList();

        // The what-if answers are of a study: one of the round under its own rule set, every table of it.
        await round.WaitForProjectionsAsync();
        var own = await client.GetStringAsync(new Uri("/analytics/rule-sets/CPNS-2024", UriKind.Relative));
        var studied = await client.PostAsync(new Uri($"/analytics/rounds/{round.RoundId}/what-ifs", UriKind.Relative), new StringContent(own, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, studied.StatusCode);
        var whatIfId = (string)(await studied.Content.ReadFromJsonAsync<JsonObject>())!["whatIfId"]!;
        paths = paths
            .SelectMany(p => p.Contains("{table}", StringComparison.Ordinal) ? WhatIfTables.Select(t => p.Replace("{table}", t, StringComparison.Ordinal)) : [p])
            .Select(p => p.Replace("{whatIfId}", whatIfId, StringComparison.Ordinal).Replace("{version}", "CPNS-2024", StringComparison.Ordinal))
            .ToList();
        Assert.True(paths.Count >= 13, string.Join(", ", paths));

        var instansi = round.Generated.Formations[0].Instansi;
        var urls = new List<string>();
        foreach (var path in paths)
        {
            var variants = path switch
            {
                _ when path.Contains("/funnel", StringComparison.Ordinal) || path.Contains("/tie-breaks", StringComparison.Ordinal) =>
                    ["by=instansi", "by=category", "by=position", "by=location", "by=all", $"by=category&instansi={instansi}"],
                _ when path.Contains("/fairness", StringComparison.Ordinal) => ["attribute=sex", "attribute=category", "attribute=location", $"attribute=sex&instansi={instansi}"],
                _ when path.Contains("/cut-offs", StringComparison.Ordinal) && !path.EndsWith(".csv", StringComparison.Ordinal) => ["limit=1000"],
                _ => new[] { "", $"instansi={instansi}" },
            };
            urls.AddRange(variants.Select(v => v.Length == 0 ? path : $"{path}?{v}"));
        }

        urls.Add("/dashboard");
        urls.Add($"/dashboard?roundId={round.RoundId}&instansi={instansi}");
        return urls;
    }

    private sealed record Personal(HashSet<string> Niks, HashSet<string> Numbers, HashSet<DateOnly> BirthDates, HashSet<Guid> Ids);

    private async Task<Personal> PersonalDataAsync()
    {
        var g = round.Generated;
        await using var session = round.Store.QuerySession();
        var applications = await session.Query<Merit.Recruitment.Application>().Where(a => a.RoundId == round.RoundId).ToListAsync();
        Assert.Equal(g.Applicants.Count, applications.Count);
        return new Personal(
            g.Applicants.Select(AnalyticsRound.NikOf).ToHashSet(StringComparer.Ordinal),
            g.Applicants.Select(a => a.RegistrationNumber).ToHashSet(StringComparer.Ordinal),
            g.Applicants.Select(a => a.BirthDate).ToHashSet(),
            applications.SelectMany(a => new[] { a.Id, a.PersonId }).ToHashSet());
    }

    /// <summary>What kind of personal data <paramref name="text"/> holds, or null.</summary>
    private static string? Leaks(string text, Personal personal)
    {
        if (text.Contains("Pelamar", StringComparison.Ordinal))
        {
            return "a name";
        }

        foreach (var run in Digits().Matches(text).Select(m => m.Value).Where(r => r.Length >= 8))
        {
            for (var i = 0; i < run.Length; i++)
            {
                if (i + 16 <= run.Length && personal.Niks.Contains(run.Substring(i, 16)))
                {
                    return "a NIK";
                }

                if (i + 10 <= run.Length && personal.Numbers.Contains(run.Substring(i, 10)))
                {
                    return "registration number";
                }

                if (i + 8 <= run.Length && DateOnly.TryParseExact(run.AsSpan(i, 8), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var compact)
                    && personal.BirthDates.Contains(compact))
                {
                    return "a birth date (yyyyMMdd)";
                }
            }
        }

        foreach (Match m in Dates().Matches(text))
        {
            var (y, mo, d) = m.Groups[1].Success ? (m.Groups[1].Value, m.Groups[2].Value, m.Groups[3].Value) : (m.Groups[6].Value, m.Groups[5].Value, m.Groups[4].Value);
            if (DateOnly.TryParseExact($"{y}-{mo}-{d}", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) && personal.BirthDates.Contains(date))
            {
                return "a birth date";
            }
        }

        foreach (Match m in Guids().Matches(text))
        {
            if (Guid.TryParse(m.Value, out var id) && personal.Ids.Contains(id))
            {
                return "an application or person id";
            }
        }

        return null;
    }
}
