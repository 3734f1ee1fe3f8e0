using System.Globalization;
using Xunit;
using Xunit.Abstractions;

namespace Merit.Tests.Faults;

/// <summary>
/// The fault scenarios start, kill and restart Host processes (and a PostgreSQL cluster of their own): they run one
/// after another, apart from the other test classes, so two cores are not shared with a kill's timing window.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FaultScenarios
{
    public const string Name = "Faults";
}

/// <summary>A fault scenario on a database of its own, with the keys its Host processes share.</summary>
public abstract class FaultScenario : IAsyncLifetime
{
    private readonly Merit.Testing.TestDatabase database = new();

    protected string ConnectionString => database.ConnectionString;

    protected HostSecrets Secrets { get; } = new();

    protected StoredState Stored => new(database.ConnectionString);

    public Task InitializeAsync() => database.InitializeAsync();

    public Task DisposeAsync() => database.DisposeAsync();
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
