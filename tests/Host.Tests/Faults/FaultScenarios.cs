using System.Globalization;
using Xunit;
using Xunit.Abstractions;

namespace Merit.Tests.Faults;

/// <summary>
/// The fault scenarios that start and stop Host processes beside a standby or a PostgreSQL cluster of their own run one
/// after another, beside the other test classes (the kill tests, <see cref="HostKillTests"/>, in a collection of their own). None depends on a timing window: a kill waits for a state it can
/// see (a batch stored, a third of the decisions acknowledged), and every wait for a recovery is bounded in tens of
/// seconds, far above what sharing the cores costs.
/// </summary>
[CollectionDefinition(Name)]
[RunsLong]
public sealed class FaultScenarios
{
    public const string Name = "Faults";
}

/// <summary>
/// A fault scenario on a database of its own, with the keys its Host processes share. Every Host process it starts
/// leaves its log in the test's output, so a failure (an answer of 500, a node that never took over) comes with what
/// the node itself wrote.
/// </summary>
public abstract class FaultScenario(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly Merit.Testing.TestDatabase database = new();
    private readonly List<HostProcess> started = [];

    protected ITestOutputHelper Output => output;

    protected string ConnectionString => database.ConnectionString;

    protected HostSecrets Secrets { get; } = new();

    protected StoredState Stored => new(database.ConnectionString);

    /// <summary>Starts a node on this scenario's database; its log goes to the test output when the test ends.</summary>
    protected async Task<HostProcess> StartHostAsync(string name, IReadOnlyDictionary<string, string>? settings = null, string? connectionString = null)
    {
        var host = await HostProcess.StartAsync(name, connectionString ?? ConnectionString, Secrets, settings);
        lock (started)
        {
            started.Add(host);
        }

        return host;
    }

    public Task InitializeAsync() => database.InitializeAsync();

    public async Task DisposeAsync()
    {
        foreach (var host in started)
        {
            await host.DisposeAsync();
            output.WriteLine($"== log of host {host.Name} (started on port {host.Port}) ==\n{host.Log}");
        }

        await database.DisposeAsync();
    }
}

/// <summary>The figures the issue asks for (faults injected, acknowledged commands checked, takeover time): in the test output and appended to TestResults/fault-figures.txt.</summary>
public static class FaultFigures
{
    private static readonly Lock Gate = new();

    public static void Record(ITestOutputHelper output, string figure)
    {
        output.WriteLine(figure);
        var folder = Path.Combine(Path.GetDirectoryName(HostProcess.HostDll)!, "..", "..", "..", "..", "..", "TestResults");
        Directory.CreateDirectory(folder);
        lock (Gate)
        {
            File.AppendAllText(Path.Combine(folder, "fault-figures.txt"), string.Create(CultureInfo.InvariantCulture, $"{DateTimeOffset.UtcNow:u} {figure}\n"));
        }
    }
}
