using Merit.Testing;
using Xunit;

namespace Merit.Tests.CommandLine;

/// <summary>
/// <c>merit</c> as an operator runs it, on a database of its own: the Host's binary in a process of its own per verb.
/// The scenarios are classes of their own so that they run side by side: each spends its time waiting on its verbs' processes.
/// </summary>
public abstract class CommandLineScenario : IAsyncLifetime
{
    private readonly TestDatabase database = new();

    protected MeritProcess Cli { get; private set; } = null!;

    protected string ConnectionString => database.ConnectionString;

    /// <summary>Four processes at a time: a verb's start-up waits on the disk and the runtime more than on a core.</summary>
    protected static ParallelOptions Beside { get; } = new() { MaxDegreeOfParallelism = 4 };

    public async Task InitializeAsync()
    {
        await database.InitializeAsync();
        Cli = new MeritProcess(database.ConnectionString);
    }

    public Task DisposeAsync() => database.DisposeAsync();

    protected async Task<MeritRun> Succeeds(params string[] args)
    {
        var run = await Cli.RunAsync(args);
        Assert.True(run.ExitCode == 0, $"merit {string.Join(' ', args)}: {run}");
        Assert.DoesNotContain("   at ", run.Stderr, StringComparison.Ordinal);
        return run;
    }
}
