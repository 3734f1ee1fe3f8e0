using System.Diagnostics;

namespace Merit.Infrastructure;

/// <summary>
/// The connection string when none is configured: the checkout's own private PostgreSQL, created and started by
/// <c>scripts/postgres</c> — the same script the tests and CI use, so nobody starts a database by hand (docs/adr/0005).
/// </summary>
public static class LocalPostgres
{
    private static readonly Lazy<string> Started = new(() => StartScript("start"));

    private static readonly Lazy<string> StandbyStarted = new(() => StartScript("replica", "start"));

    /// <summary>ConnectionStrings:Merit, else MERIT_CONNECTION, else the private cluster (started if needed).</summary>
    public static string ConnectionString(IConfiguration configuration) =>
        configuration.GetConnectionString("Merit") ?? EnsureStarted();

    /// <summary>The private cluster's connection string, starting it if it is not running.</summary>
    public static string EnsureStarted() => Environment.GetEnvironmentVariable("MERIT_CONNECTION") ?? Started.Value;

    /// <summary>
    /// The private cluster's streaming standby (<c>scripts/postgres replica start</c>, docs/adr/0054), starting it and
    /// the cluster if needed. MERIT_REPLICA_CONNECTION names the standby of a MERIT_CONNECTION server; with
    /// MERIT_CONNECTION alone there is none (null).
    /// </summary>
    public static string? EnsureStandbyStarted() =>
        Environment.GetEnvironmentVariable("MERIT_REPLICA_CONNECTION")
        ?? (Environment.GetEnvironmentVariable("MERIT_CONNECTION") is null ? StandbyStarted.Value : null);

    private static string StartScript(params string[] command)
    {
        var script = FindScript() ?? throw new InvalidOperationException(
            "No database configured (MERIT_CONNECTION or ConnectionStrings:Merit) and scripts/postgres not found above " + AppContext.BaseDirectory);
        var info = new ProcessStartInfo("bash", [script, .. command]) { RedirectStandardOutput = true, UseShellExecute = false };
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"scripts/postgres {string.Join(' ', command)} failed with exit code {process.ExitCode}.");
        }

        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1];
    }

    private static string? FindScript()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "scripts", "postgres");
                if (File.Exists(candidate) && File.Exists(Path.Combine(dir.FullName, "Merit.sln")))
                {
                    return candidate;
                }
            }
        }

        return null;
    }
}
