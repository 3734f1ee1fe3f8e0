using System.Diagnostics;

namespace Merit.Tests.Faults;

/// <summary>
/// A PostgreSQL cluster of one test's own (scripts/postgres with MERIT_PG_DIR and MERIT_PG_PORT), so the test can
/// stop and start the server under load without disturbing the test classes that share the checkout's cluster.
/// Destroyed afterwards.
/// </summary>
public sealed class SecondCluster : IAsyncDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "merit-postgres-faults-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly int port = HostProcess.FreePort();
    private readonly int replicaPort = HostProcess.FreePort();

    public string ConnectionString { get; private set; } = "";

    public static async Task<SecondCluster> StartAsync()
    {
        var cluster = new SecondCluster();
        await cluster.StartAgainAsync();
        return cluster;
    }

    /// <summary>Starts the (stopped) server; its data is kept.</summary>
    public async Task StartAgainAsync() => ConnectionString = (await RunAsync("start")).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1];

    /// <summary>A hot standby of this cluster by streaming replication (scripts/postgres replica); its connection string.</summary>
    public async Task<string> StartReplicaAsync() => (await RunAsync("replica", "start")).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1];

    /// <summary>pg_ctl stop -m fast: open transactions are rolled back and every connection is closed.</summary>
    public Task StopAsync() => RunAsync("stop");

    public async ValueTask DisposeAsync()
    {
        await RunAsync("destroy");
        File.Delete(directory + ".lock");
    }

    private async Task<string> RunAsync(params string[] command)
    {
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Script);
        foreach (var word in command)
        {
            info.ArgumentList.Add(word);
        }

        info.Environment.Remove("MERIT_CONNECTION");
        info.Environment["MERIT_PG_DIR"] = directory;
        info.Environment["MERIT_PG_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        info.Environment["MERIT_PG_REPLICA_PORT"] = replicaPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0 ? await stdout : throw new InvalidOperationException($"scripts/postgres {string.Join(' ', command)} failed: {await stderr}");
    }

    private static string Script => Path.Combine(Path.GetDirectoryName(HostProcess.HostDll)!, "..", "..", "..", "..", "..", "scripts", "postgres");
}
