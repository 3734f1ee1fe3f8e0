using System.Diagnostics;

namespace Merit.Bench;

/// <summary>
/// Times the phases of a run and samples, every 50 ms, this process's working set and managed heap: the Host runs
/// in this process, so its peak per phase is the process's (the generated files, a few hundred MB at national
/// scale, are held throughout and counted too).
/// </summary>
public sealed class Phases : IAsyncDisposable
{
    private readonly Dictionary<string, (long WorkingSet, long Heap)> peaks = [];
    private readonly CancellationTokenSource stop = new();
    private readonly Task sampling;
    private readonly TextWriter log;
    private readonly Stopwatch sinceStart = Stopwatch.StartNew();
    private string current = "start";

    public Phases(TextWriter log)
    {
        this.log = log;
        sampling = Task.Run(SampleAsync);
    }

    public IReadOnlyDictionary<string, (long WorkingSet, long Heap)> Peaks
    {
        get
        {
            lock (peaks)
            {
                return new Dictionary<string, (long, long)>(peaks);
            }
        }
    }

    /// <summary>Runs one phase under <paramref name="name"/> (peaks of phases with the same name are merged) and returns its wall time.</summary>
    public async Task<TimeSpan> RunAsync(string name, Func<Task> work)
    {
        var previous = current;
        current = name;
        Sample();
        log.WriteLine($"[{sinceStart.Elapsed:hh\\:mm\\:ss}] {name} ...");
        var watch = Stopwatch.StartNew();
        try
        {
            await work();
        }
        finally
        {
            Sample();
            current = previous;
        }

        log.WriteLine($"[{sinceStart.Elapsed:hh\\:mm\\:ss}] {name}: {watch.Elapsed.TotalSeconds:F1} s");
        return watch.Elapsed;
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        try
        {
            await sampling;
        }
        catch (OperationCanceledException)
        {
        }

        stop.Dispose();
    }

    private async Task SampleAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        while (await timer.WaitForNextTickAsync(stop.Token))
        {
            Sample();
        }
    }

    private void Sample()
    {
        using var process = Process.GetCurrentProcess();
        var workingSet = process.WorkingSet64;
        var heap = GC.GetTotalMemory(forceFullCollection: false);
        lock (peaks)
        {
            var name = current;
            var (w, h) = peaks.GetValueOrDefault(name);
            peaks[name] = (Math.Max(w, workingSet), Math.Max(h, heap));
        }
    }
}
