using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Merit.Audit;

/// <summary>How much of the history is not yet under an anchored seal, and since when.</summary>
/// <param name="NewestAnchoredSeal">The newest seal in the anchor, if any.</param>
/// <param name="SealedThroughSequence">The last sequence that seal covers (0 for none).</param>
/// <param name="LastStoredSeal">The newest seal in the store (beyond the anchored one until it is anchored).</param>
/// <param name="UnsealedEvents">Events after <paramref name="SealedThroughSequence"/>.</param>
/// <param name="OldestUnsealed">When the oldest of them was recorded.</param>
public sealed record SealingState(long? NewestAnchoredSeal, long SealedThroughSequence, long? LastStoredSeal, DateTimeOffset? LastSealedAt, long UnsealedEvents, DateTimeOffset? OldestUnsealed);

/// <summary>
/// Sealing on its own (docs/adr/0044): every node looks every <see cref="AutoSealOptions.PollSeconds"/> and seals
/// once <see cref="AutoSealOptions.EveryEvents"/> events wait or the oldest has waited
/// <see cref="AutoSealOptions.EveryMinutes"/>. What is due is read from the store each time — the last seal and the
/// events after it — so nothing is lost with a restart or a dead node, and the sealing's advisory lock lets one node
/// seal at a time (the others find nothing left to seal).
/// </summary>
public sealed partial class AutoSealing(AuditSeals seals, IOptions<AuditOptions> options, TimeProvider clock, ILogger<AutoSealing> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value.AutoSeal;
        if (!settings.Enabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(settings.PollSeconds), clock);
        do
        {
            try
            {
                await SealIfDueAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is Npgsql.NpgsqlException or IOException or InvalidOperationException or TimeoutException)
            {
                // The database or the anchor is away for a moment: the next look tries again, nothing is lost.
                LogFailed(logger, e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    /// <summary>Seals when enough events wait or the oldest has waited long enough; null when nothing is due.</summary>
    public async Task<SealOutcome?> SealIfDueAsync(CancellationToken ct)
    {
        var settings = options.Value.AutoSeal;
        var state = await seals.StateAsync(ct).ConfigureAwait(false);
        var due = state.UnsealedEvents >= settings.EveryEvents
            || (state.OldestUnsealed is { } oldest && clock.GetUtcNow() - oldest >= TimeSpan.FromMinutes(settings.EveryMinutes))
            || state.LastStoredSeal > state.NewestAnchoredSeal.GetValueOrDefault(); // a stored seal waits to be anchored
        if (!due)
        {
            return null;
        }

        var outcome = await seals.SealAsync(ct).ConfigureAwait(false);
        if (outcome.Refused is { } refused)
        {
            LogRefused(logger, refused);
        }

        return outcome;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sealing on its own failed this time; the next look retries")]
    private static partial void LogFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Sealing on its own refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string reason);
}

/// <summary>
/// For <c>/health/ready</c>: how many events wait for a seal and since when, and the newest stored and anchored seal.
/// Degraded (never unready) when sealing on its own is on and the oldest unsealed event is more than twice the
/// interval old, or a stored seal is not anchored: the history has gone unprotected for longer than planned.
/// </summary>
public sealed class SealingHealthCheck(AuditSeals seals, IOptions<AuditOptions> options, TimeProvider clock) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var settings = options.Value.AutoSeal;
            var state = await seals.StateAsync(cancellationToken).ConfigureAwait(false);
            var waited = state.OldestUnsealed is { } oldest ? clock.GetUtcNow() - oldest : TimeSpan.Zero;
            var data = new Dictionary<string, object>
            {
                ["unsealedEvents"] = state.UnsealedEvents,
                ["oldestUnsealedSeconds"] = Math.Round(waited.TotalSeconds),
                ["sealedThroughSequence"] = state.SealedThroughSequence,
                ["newestAnchoredSeal"] = (object?)state.NewestAnchoredSeal ?? "none",
                ["lastStoredSeal"] = (object?)state.LastStoredSeal ?? "none",
                ["autoSeal"] = settings.Enabled
                    ? string.Create(CultureInfo.InvariantCulture, $"every {settings.EveryEvents} events or {settings.EveryMinutes} minutes")
                    : "off",
            };
            var description = state.UnsealedEvents > 0
                ? string.Create(CultureInfo.InvariantCulture, $"{state.UnsealedEvents} event(s) not under an anchored seal, the oldest {waited.TotalMinutes:0.#} min old.")
                : "Every event is under an anchored seal.";
            var late = settings.Enabled && waited > TimeSpan.FromMinutes(2 * settings.EveryMinutes) + TimeSpan.FromSeconds(settings.PollSeconds);
            var unanchored = state.LastStoredSeal > state.NewestAnchoredSeal.GetValueOrDefault();
            return late || unanchored
                ? HealthCheckResult.Degraded(description + (unanchored ? " A stored seal is not anchored." : " Sealing is late."), data: data)
                : HealthCheckResult.Healthy(description, data);
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or InvalidOperationException or TimeoutException or IOException)
        {
            return HealthCheckResult.Degraded($"Sealing state unknown ({e.GetType().Name}).");
        }
    }
}
