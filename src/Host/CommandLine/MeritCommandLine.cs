using System.Globalization;
using System.Reflection;
using JasperFx;
using JasperFx.CommandLine;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http.Features;
using Merit.Localization;
using Microsoft.Extensions.Logging.Console;
using Spectre.Console;

namespace Merit.CommandLine;

/// <summary>
/// How <c>merit ARGS</c> runs (docs/adr/0040). <c>merit</c>, <c>merit run</c> and bare flags (<c>--urls …</c>)
/// serve HTTP through JasperFx's <c>run</c>. Every other verb runs on the same services, on a host that is built but
/// never started and has no HTTP server, so it binds no port and runs beside a serving process; its logs and
/// JasperFx's own lines go to standard error, standard output carries only the verb's output.
/// </summary>
public static class MeritCommandLine
{
    private static readonly string[] HelpFlags = ["--help", "-h", "-?", "?", "help"];

    /// <summary>True for the arguments that start the HTTP server (<c>--lang</c> aside: it names the command line's language).</summary>
    public static bool Serves(string[] args)
    {
        args = Languages.WithoutFlag(args, out _);
        return args.Length == 0 || args[0] == "run" || (args[0].StartsWith('-') && !HelpFlags.Contains(args[0]));
    }

    /// <summary>
    /// Settings for a verb, given before the services are added: warnings and errors only, logs on standard error
    /// on one line each, and no HTTP server at all. The host is never started, so neither is the projection
    /// daemon (a serving process runs it).
    /// </summary>
    public static WebApplicationBuilder ForVerb(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = nameof(LogLevel.Warning),
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Services.AddSingleton<IServer, NoServer>();
        return builder;
    }

    /// <summary>Runs the verb the arguments name (or serves), and returns the process's exit code.</summary>
    public static async Task<int> RunAsync(WebApplication app, string[] args)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (Serves(args))
        {
            return await app.RunJasperFxCommands(args);
        }

        // The verb's language: messages, help and the documents it writes (--lang, else the locale environment).
        args = Languages.WithoutFlag(args, out var language);
        if (Languages.ForCommandLine(language, Environment.GetEnvironmentVariable) is not { } texts)
        {
            await Console.Error.WriteLineAsync(Languages.ForCommandLine(null, Environment.GetEnvironmentVariable)!.Format("cli.lang-unknown", Languages.Flag));
            return 1;
        }

        CultureInfo.DefaultThreadCurrentUICulture = texts.Culture;
        CultureInfo.CurrentUICulture = texts.Culture;
        args = Route(args);
        var help = args[0] == "help";
        if (!help)
        {
            // JasperFx writes its own lines (usage errors, exceptions) through Spectre's console: standard error.
            AnsiConsole.Console = CommandConsole.Error;
        }

        // While JasperFx parses, what it writes is about the parsing: standard error. A parsed verb gets standard output back.
        var stdout = Console.Out;
        var factory = Factory(app, stdout);
        if (help)
        {
            return CommandHelp.Write(factory, args.Skip(1).FirstOrDefault());
        }

        if (!factory.AllCommandTypes().Any(t => string.Equals(CommandFactory.CommandNameFor(t), args[0], StringComparison.OrdinalIgnoreCase)))
        {
            await Console.Error.WriteLineAsync(Texts.Current.Format("cli.not-a-verb", args[0]));
            return 1;
        }

        Console.SetOut(Console.Error);
        return await new CommandExecutor(factory).ExecuteAsync(args);
    }

    /// <summary>
    /// <c>--help</c> and <c>VERB --help</c> become <c>help [VERB]</c>; <c>projections verify</c> is our own verb
    /// (<see cref="Audit.ProjectionsVerifyCommand"/>) beside JasperFx's <c>projections</c>.
    /// </summary>
    public static string[] Route(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        args = Audit.ProjectionsVerifyCommand.Route(args);
        if (args is [var first, ..] && HelpFlags.Contains(first))
        {
            return ["help", .. Audit.ProjectionsVerifyCommand.Route(args[1..]).Take(1)];
        }

        return args.Length > 1 && args[1..].Any(a => a is "--help" or "-h") ? ["help", args[0]] : args;
    }

    private static VerbFactory Factory(WebApplication app, TextWriter stdout)
    {
        var factory = new VerbFactory();
        factory.SetAppName("merit");

        // The assemblies JasperFx's own discovery would scan, registered without its "Searching …" lines.
        var assemblies = new[] { typeof(CommandExecutor).Assembly, typeof(MeritCommandLine).Assembly }
            .Concat(AppDomain.CurrentDomain.GetAssemblies().Where(a => !a.IsDynamic && a.IsDefined(typeof(JasperFxAssemblyAttribute))))
            .Distinct();
        foreach (var assembly in assemblies)
        {
            factory.RegisterCommands(assembly);
        }

        factory.ConfigureRun = run =>
        {
            Console.SetOut(stdout);
            if (run.Input is IHostBuilderInput input)
            {
                input.HostBuilder = new BuiltHostBuilder(app);
                return;
            }

            foreach (var property in run.Command.GetType().GetProperties().Where(p => p.IsDefined(typeof(InjectServiceAttribute))))
            {
                property.SetValue(run.Command, app.Services.GetRequiredService(property.PropertyType));
            }
        };
        return factory;
    }

    /// <summary>After JasperFx's "Invalid usage" and its reason, one line pointing to the verb's help instead of the whole usage tree.</summary>
    private sealed class VerbFactory : CommandFactory
    {
        public override CommandRun HelpRun(Queue<string> queue)
        {
            ArgumentNullException.ThrowIfNull(queue);
            return new CommandRun { Command = new UsageRefused(queue.Count > 0 ? queue.Peek() : ""), Input = new object() };
        }
    }

    private sealed class UsageRefused(string verb) : IJasperFxCommand
    {
        public Type InputType => typeof(object);

        public JasperFx.CommandLine.Help.UsageGraph Usages => throw new NotSupportedException();

        public async Task<bool> Execute(object input)
        {
            await Console.Error.WriteLineAsync(Texts.Current.Format("cli.usage-refused", verb));
            return false;
        }
    }

    /// <summary>The verb's host is the application already built; what would reconfigure it is refused, not ignored.</summary>
    private sealed class BuiltHostBuilder(IHost host) : IHostBuilder
    {
        public IDictionary<object, object> Properties { get; } = new Dictionary<object, object>();

        public IHost Build() => host;

        public IHostBuilder ConfigureHostConfiguration(Action<IConfigurationBuilder> configureDelegate) => throw Built();

        public IHostBuilder ConfigureAppConfiguration(Action<HostBuilderContext, IConfigurationBuilder> configureDelegate) => throw Built();

        // --verbose and --log-level only tune logging: the verb keeps the logging it was built with.
        public IHostBuilder ConfigureServices(Action<HostBuilderContext, IServiceCollection> configureDelegate) => this;

        public IHostBuilder UseServiceProviderFactory<TContainerBuilder>(IServiceProviderFactory<TContainerBuilder> factory)
            where TContainerBuilder : notnull => throw Built();

        public IHostBuilder UseServiceProviderFactory<TContainerBuilder>(Func<HostBuilderContext, IServiceProviderFactory<TContainerBuilder>> factory)
            where TContainerBuilder : notnull => throw Built();

        public IHostBuilder ConfigureContainer<TContainerBuilder>(Action<HostBuilderContext, TContainerBuilder> configureDelegate) => throw Built();

        private static CommandRefusedException Built() => new(Texts.Current["cli.host-built"]);
    }

    /// <summary>The HTTP server of a verb: it starts nothing and listens nowhere.</summary>
    private sealed class NoServer : IServer
    {
        public IFeatureCollection Features { get; } = new FeatureCollection();

        public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken)
            where TContext : notnull => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public void Dispose()
        {
        }
    }
}
