using System.Net;
using Marten;
using Merit.Projections;
using Merit.Recruitment;
using Merit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit;

namespace Merit.Tests.Recruitment;

/// <summary>
/// The round-wide cut-off reads each batch's stream versions in one query and appends with the expected version
/// (docs/adr/0019). A per-formation decision committing between that read and the batch's commit must make exactly
/// one of the two fail with a conflict: the formation and its applicants are decided once, nothing is lost.
/// </summary>
public class RoundWideDecisionConflictTests(MeritApp app) : IClassFixture<MeritApp>
{
    private readonly RecruitmentApi api = new(app.CreateClient());

    [Fact]
    public async Task A_formation_decided_by_its_own_command_while_the_round_wide_cut_off_is_committing_is_decided_once()
    {
        const string code = "CPNS-2024-RWC";
        var round = await api.OpenRoundAsync(code);
        var contested = await api.OpenFormationAsync(round, "F-001");
        var other = await api.OpenFormationAsync(round, "F-002");
        await api.AdvanceAsync(round, "Registration");
        var applicants = new List<Guid>();
        for (var i = 0; i < 6; i++)
        {
            applicants.Add(await api.RegisteredAsync(round, i % 2 == 0 ? contested : other, $"2410020{i}", $"317101010190004{i}"));
        }

        await api.AdvanceAsync(round, "AdministrativeSelection");
        foreach (var a in applicants)
        {
            await api.VerifyAsync(a);
        }

        await api.AdvanceAsync(round, "AdministrativeAppeal", "Skd");
        foreach (var a in applicants)
        {
            (await api.RecordSkdAsync(a, 100, 100, 200)).EnsureSuccessStatusCode();
        }

        await api.AdvanceAsync(round, "Skb");

        // A transaction holds the contested stream's row: both writers read its version, then queue behind the lock.
        await using var blocker = new NpgsqlConnection(app.ConnectionString);
        await blocker.OpenAsync();
        await using var transaction = await blocker.BeginTransactionAsync();
        await Execute(blocker, $"select 1 from {MeritStore.SchemaName}.mt_streams where id = '{contested}' for update");

        var decisions = app.Services.GetRequiredService<RoundWideDecisions>();
        var roundWide = Task.Run(() => decisions.SkdCutOffAsync(code, "panitia-round", null, CancellationToken.None));
        await WaitForLockWaitersAsync(1);
        var single = app.ClientAs("panitia-single", "committee").PostAsync(new Uri($"/formations/{contested}/skd-cutoff", UriKind.Relative), null);
        await WaitForLockWaitersAsync(2);
        await transaction.RollbackAsync();

        var roundWideFailed = await Record.ExceptionAsync(() => roundWide);
        var response = await single;

        // Exactly one of the two wins; the loser is a conflict, not a second decision.
        Assert.True(roundWideFailed is null != (response.StatusCode == HttpStatusCode.OK), $"round-wide: {roundWideFailed?.GetType().Name ?? "ok"}, single: {response.StatusCode}");
        if (roundWideFailed is null)
        {
            Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        }
        else
        {
            Assert.True(roundWideFailed is JasperFx.ConcurrencyException or JasperFx.Events.EventStreamUnexpectedMaxEventIdException, roundWideFailed.ToString());
        }

        await using var session = app.Store.QuerySession();
        Assert.Single(await session.Events.FetchStreamAsync(contested), e => e.Data is SkdCutOffDecided);
        foreach (var a in applicants.Where((_, i) => i % 2 == 0))
        {
            Assert.Single(await session.Events.FetchStreamAsync(a), e => e.Data is SkdCutOffApplied);
        }

        // A failed batch committed nothing; a second round-wide run decides what is left and skips the rest.
        var rerun = await decisions.SkdCutOffAsync(code, "panitia-round", null, CancellationToken.None);
        Assert.True(rerun.Succeeded);
        Assert.Equal(2, rerun.Decided + rerun.AlreadyDecided);
        Assert.Single(await session.Events.FetchStreamAsync(contested), e => e.Data is SkdCutOffDecided);
        Assert.Single(await session.Events.FetchStreamAsync(other), e => e.Data is SkdCutOffDecided);
    }

    private static async Task Execute(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Waits until this many other sessions of the database wait for a lock (polling, no timed assertion).</summary>
    private async Task WaitForLockWaitersAsync(int count)
    {
        // Its own connection: inside the blocker's transaction pg_stat_activity would be read once and cached.
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "select count(*) from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'", connection);
        for (var i = 0; i < 600 && (long)(await command.ExecuteScalarAsync())! < count; i++)
        {
            await Task.Delay(50);
        }
    }
}
