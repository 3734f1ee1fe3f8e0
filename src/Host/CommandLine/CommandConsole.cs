using System.Diagnostics;
using System.Globalization;
using Merit.Localization;
using Spectre.Console;

namespace Merit.CommandLine;

/// <summary>One step of long work: the phase, how far it is, and its total when known.</summary>
public readonly record struct WorkProgress(string Phase, long Done, long? Total);

/// <summary>
/// Standard error for people: progress of long work (imports, decisions, verification, rebuilds) as a live bar
/// when standard error is a terminal, as plain lines when it is redirected (a log file, CI). Standard output is
/// never touched, so a verb's output can be piped.
/// </summary>
public static class CommandConsole
{
    /// <summary>Spectre's console on standard error.</summary>
    public static IAnsiConsole Error { get; } = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });

    /// <summary>Seconds between two plain progress lines of one phase.</summary>
    private static readonly TimeSpan PlainInterval = TimeSpan.FromSeconds(2);

    /// <summary>Runs <paramref name="work"/>, showing what it reports.</summary>
    public static Task<T> WithProgressAsync<T>(Func<IProgress<WorkProgress>, Task<T>> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        return Console.IsErrorRedirected || !Error.Profile.Capabilities.Interactive
            ? work(new PlainLines())
            : Error.Progress()
                .AutoClear(false)
                .HideCompleted(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
                .StartAsync(async context =>
                {
                    var bars = new LiveBars(context);
                    var result = await work(bars);
                    bars.Complete();
                    return result;
                });
    }

    /// <summary>A reporter for the recruitment paths' own progress type, its phase in the command line's language.</summary>
    public static IProgress<Recruitment.Files.ImportProgress> ForImports(IProgress<WorkProgress> progress) =>
        new Adapter<Recruitment.Files.ImportProgress>(p => progress.Report(new WorkProgress(Phase(p.Phase), p.Done, p.Total)));

    /// <summary>A reporter for the audit verification's progress type (events checked; no total known beforehand).</summary>
    public static IProgress<Audit.AuditProgress> ForAudit(IProgress<WorkProgress> progress) =>
        new Adapter<Audit.AuditProgress>(p => progress.Report(new WorkProgress(Phase(p.Phase), p.Events, null)));

    /// <summary>A phase's code (<c>checked</c>, <c>written</c>, <c>chains</c> …) as the command line's language words it; the code itself when it has no text.</summary>
    public static string Phase(string code) => Texts.Current.Find("progress." + code) ?? code;

    /// <summary>Reports synchronously, in order (System.Progress would post to the thread pool and reorder).</summary>
    private sealed class Adapter<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }

    private sealed class LiveBars(ProgressContext context) : IProgress<WorkProgress>
    {
        private readonly Lock gate = new();
        private ProgressTask? current;
        private string? phase;

        public void Report(WorkProgress value)
        {
            lock (gate)
            {
                if (current is null || !string.Equals(phase, value.Phase, StringComparison.Ordinal))
                {
                    Finish();
                    phase = value.Phase;
                    current = context.AddTask(Markup.Escape(value.Phase), maxValue: Math.Max(1, value.Total ?? 1));
                    current.IsIndeterminate = value.Total is null;
                }

                if (value.Total is { } total)
                {
                    current.MaxValue = Math.Max(1, total);
                    current.Value = value.Done;
                }
                else
                {
                    current.Description = Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"{value.Phase}: {value.Done:N0}"));
                }
            }
        }

        public void Complete()
        {
            lock (gate)
            {
                Finish();
            }
        }

        private void Finish()
        {
            if (current is not null)
            {
                current.IsIndeterminate = false;
                current.Value = current.MaxValue;
                current.StopTask();
            }
        }
    }

    /// <summary>A line when a phase begins, then at most one every <see cref="PlainInterval"/>, and one when it is done.</summary>
    private sealed class PlainLines : IProgress<WorkProgress>
    {
        private readonly Lock gate = new();
        private readonly Stopwatch sinceLine = new();
        private string? phase;

        public void Report(WorkProgress value)
        {
            lock (gate)
            {
                var begins = !string.Equals(phase, value.Phase, StringComparison.Ordinal);
                if (!begins && value.Done != value.Total && sinceLine.Elapsed < PlainInterval)
                {
                    return;
                }

                phase = value.Phase;
                sinceLine.Restart();
                Console.Error.WriteLine(value.Total is { } total
                    ? string.Create(CultureInfo.InvariantCulture, $"{value.Phase}: {value.Done}/{total}")
                    : string.Create(CultureInfo.InvariantCulture, $"{value.Phase}: {value.Done}"));
            }
        }
    }
}
