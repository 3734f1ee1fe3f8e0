using System.Net.Sockets;
using JasperFx.CommandLine;
using Marten;
using Merit.Localization;
using Npgsql;

namespace Merit.CommandLine;

/// <summary>
/// A Merit verb: it runs on the application's services without starting the host (no HTTP server, no projection
/// daemon, no message runtime; docs/adr/0040). Only what it writes to <see cref="Output"/> reaches standard output:
/// anything else written to the console while it runs (a framework's notice) goes to standard error. A refusal or
/// a failure is one line on standard error and exit code 1; <c>--verbose</c> adds the exception's trace.
/// </summary>
public abstract class MeritCommand<TInput> : JasperFxAsyncCommand<TInput>
    where TInput : NetCoreInput
{
    /// <summary>Standard output: the verb's output and nothing else.</summary>
    protected TextWriter Output { get; private set; } = TextWriter.Null;

    public sealed override async Task<bool> Execute(TInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var verb = CommandFactory.CommandNameFor(GetType());
        Output = Console.Out;
        Console.SetOut(Console.Error);
        try
        {
            using var host = input.BuildHost();
            return await RunAsync(input, host.Services);
        }
        catch (CommandRefusedException refused)
        {
            await Console.Error.WriteLineAsync($"merit {verb}: {refused.Message}");
            return false;
        }
        catch (Exception failure)
        {
            await Console.Error.WriteLineAsync($"merit {verb}: {Describe(failure)}");
            if (input.VerboseFlag)
            {
                await Console.Error.WriteLineAsync(failure.ToString());
            }

            return false;
        }
        finally
        {
            await Output.FlushAsync();
            Console.SetOut(Output);
        }
    }

    /// <summary>The verb itself: output on standard output, diagnostics on standard error; false exits 1.</summary>
    protected abstract Task<bool> RunAsync(TInput input, IServiceProvider services);

    /// <summary>The event store, its tables created or brought up to date first (what starting the host would do).</summary>
    protected static async Task<IDocumentStore> StoreAsync(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var store = services.GetRequiredService<IDocumentStore>();
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        return store;
    }

    private static string Describe(Exception failure) => failure switch
    {
        NpgsqlException { InnerException: SocketException or TimeoutException } or SocketException =>
            Texts.Current.Format("cli.database-unreachable", FirstLine(failure.Message)),
        FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException => FirstLine(failure.Message),
        Audit.PublishedListRefusedException refused => Texts.Current.Say(refused.Text),
        _ => Texts.Current.Format("cli.failure", failure.GetType().Name, FirstLine(failure.Message)),
    };

    private static string FirstLine(string text) => text.Split('\n', 2)[0].TrimEnd('\r');
}
