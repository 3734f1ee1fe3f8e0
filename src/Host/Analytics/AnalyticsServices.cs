namespace Merit.Analytics;

public static class AnalyticsServices
{
    /// <summary>The analytics queries, reports and dashboard; the endpoints are found by Wolverine.</summary>
    public static WebApplicationBuilder AddAnalytics(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<AnalyticsOptions>()
            .Bind(builder.Configuration.GetSection("Merit:Analytics"))
            .Validate(o => o.MinimumCellSize >= 1, "Merit:Analytics:MinimumCellSize must be 1 or more.")
            .ValidateOnStart();
        builder.Services.AddSingleton<AnalyticsQueries>();
        builder.Services.AddSingleton<FreshnessReader>();
        builder.Services.AddSingleton<AnalyticsReports>();
        builder.Services.AddWhatIf();
        return builder;
    }
}
