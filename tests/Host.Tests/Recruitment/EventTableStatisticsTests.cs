using Marten;
using Merit.Infrastructure;
using Merit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Xunit;

namespace Merit.Tests.Recruitment;

/// <summary>
/// Bulk writes refresh the planner statistics of the event tables once they outgrow them (docs/adr/0019), so the
/// async daemon's page query is planned on the events it reads. Thresholds lowered here so a small import crosses them.
/// </summary>
public sealed class EventTableStatisticsTests(EventTableStatisticsTests.LowThresholdApp app) : IClassFixture<EventTableStatisticsTests.LowThresholdApp>
{
    [Fact]
    public async Task An_import_that_outgrows_the_statistics_analyses_the_event_tables_and_a_second_check_does_not()
    {
        var api = new RecruitmentApi(app.CreateClient());
        var generated = new GeneratedRound(4, 400, seed: 24);
        var round = await api.OpenRoundAsync("CPNS-2024-STATS");
        await api.ImportAsync(round, "formations", generated.FormationsCsv());
        await api.AdvanceAsync(round, "Registration");
        var before = await StatisticsAsync();

        await api.ImportAsync(round, "applicants", generated.ApplicantsCsv());

        var after = await StatisticsAsync();
        Assert.True(after.Analyses > before.Analyses, $"manual analyses of mt_events: {before.Analyses} before, {after.Analyses} after");
        Assert.True(after.Rows >= 300, $"the statistics describe {after.Rows} rows after 400 registrations");

        // Current statistics: nothing to refresh until the tables grow again.
        var statistics = app.Services.GetRequiredService<EventTableStatistics>();
        Assert.False(await statistics.RefreshIfOutgrownAsync(CancellationToken.None));
        Assert.Equal(after.Analyses, (await StatisticsAsync()).Analyses);
    }

    /// <summary>Analyses run by hand (autovacuum's are counted apart) and the row count the planner works with.</summary>
    private async Task<(long Analyses, long Rows)> StatisticsAsync()
    {
        await using var connection = app.Store.Storage.Database.CreateConnection();
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "select s.analyze_count, greatest(c.reltuples, 0)::bigint from pg_stat_user_tables s join pg_class c on c.oid = s.relid " +
            "where s.schemaname = 'merit' and s.relname = 'mt_events'", connection);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    public sealed class LowThresholdApp : MeritApp
    {
        protected override void ConfigureServices(IServiceCollection services) =>
            services.AddSingleton(sp => new EventTableStatistics(sp.GetRequiredService<IDocumentStore>(), sp.GetRequiredService<ILogger<EventTableStatistics>>()) { MinimumGrowth = 100 });
    }
}
