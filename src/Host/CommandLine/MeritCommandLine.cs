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
    /// True when the arguments serve HTTP or name a framework verb (JasperFx's <c>codegen</c> and <c>describe</c> read
    /// the mapped endpoints). Merit's own verbs run on the services alone: their host maps no endpoints, which spares
    /// each of them the discovery of every endpoint at start-up.
    /// </summary>
    public static bool MapsEndpoints(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (Serves(args))
        {
            return true;
        }

        var routed = Route(Languages.WithoutFlag(args, out _));
        return !typeof(MeritCommandLine).Assembly.GetExportedTypes().Any(type =>
            type is { IsAbstract: false, IsClass: true }
            && typeof(IJasperFxCommand).IsAssignableFrom(type)
            && string.Equals(CommandFactory.CommandNameFor(type), routed[0], StringComparison.OrdinalIgnoreCase));
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

    /// <summary>
    /// Help, an unknown verb and an unknown language need no services: they are answered before the host is built,
    /// so they start no database and take a fraction of a verb's start-up. Null when the arguments name a verb to run.
    /// </summary>
    public static async Task<int?> AnswerBeforeBuildAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (Serves(args))
        {
            return null;
        }

        var (answer, _) = await PrepareAsync(args, app: null);
        return answer;
    }

    /// <summary>Runs the verb the arguments name (or serves), and returns the process's exit code.</summary>
    public static async Task<int> RunAsync(WebApplication app, string[] args)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (Serves(args))
        {
            return await app.RunJasperFxCommands(args);
        }

        var (answer, run) = await PrepareAsync(args, app);
        if (answer is { } code)
        {
            return code;
        }

        // JasperFx writes its own lines (usage errors, exceptions) through Spectre's console: standard error. While
        // it parses, what it writes is about the parsing: standard error too. A parsed verb gets standard output back.
        AnsiConsole.Console = CommandConsole.Error;
        Console.SetOut(Console.Error);
        return await new CommandExecutor(run.Factory).ExecuteAsync(run.Args);
    }

    /// <summary>
    /// The verb's language (messages, help and the documents it writes: --lang, else the locale environment) and its
    /// routed arguments; the exit code when help or a refusal already answers them.
    /// </summary>
    private static async Task<(int? Answer, (CommandFactory Factory, string[] Args) Run)> PrepareAsync(string[] args, WebApplication? app)
    {
        args = Languages.WithoutFlag(args, out var language);
        if (Languages.ForCommandLine(language, Environment.GetEnvironmentVariable) is not { } texts)
        {
            await Console.Error.WriteLineAsync(Languages.ForCommandLine(null, Environment.GetEnvironmentVariable)!.Format("cli.lang-unknown", Languages.Flag));
            return (1, default);
        }

        CultureInfo.DefaultThreadCurrentUICulture = texts.Culture;
        CultureInfo.CurrentUICulture = texts.Culture;
        args = Route(args);
        var factory = Factory(app, Console.Out);
        if (args[0] == "help")
        {
            return (CommandHelp.Write(factory, args.Skip(1).FirstOrDefault()), default);
        }

        if (!factory.AllCommandTypes().Any(t => string.Equals(CommandFactory.CommandNameFor(t), args[0], StringComparison.OrdinalIgnoreCase)))
        {
            await Console.Error.WriteLineAsync(Texts.Current.Format("cli.not-a-verb", args[0]));
            return (1, default);
        }

        return (null, (factory, args));
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

    private static VerbFactory Factory(WebApplication? app, TextWriter stdout)
    {
        var factory = new VerbFactory();
        factory.SetAppName("merit");
        foreach (var assembly in CommandAssemblies())
        {
            factory.RegisterCommands(assembly);
        }

        factory.ConfigureRun = run =>
        {
            if (app is null)
            {
                throw new InvalidOperationException("A verb runs on a built host.");
            }

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

    /// <summary>
    /// The assemblies JasperFx's own discovery would scan (those marked <see cref="JasperFxAssemblyAttribute"/>), found
    /// by walking the Host's references instead of the assemblies a built host happens to have loaded, and registered
    /// without its "Searching …" lines: the same verbs whether or not the host is built.
    /// </summary>
    private static IEnumerable<Assembly> CommandAssemblies()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Queue<Assembly>([typeof(MeritCommandLine).Assembly]);
        var found = new List<Assembly> { typeof(CommandExecutor).Assembly, typeof(MeritCommandLine).Assembly };
        while (pending.TryDequeue(out var assembly))
        {
            foreach (var name in assembly.GetReferencedAssemblies())
            {
                // The frameworks' verbs live in their own packages, never in the runtime's or ASP.NET's assemblies.
                if (name.Name is not { } simple || simple.StartsWith("System", StringComparison.Ordinal) || simple.StartsWith("Microsoft", StringComparison.Ordinal) || !seen.Add(simple))
                {
                    continue;
                }

                var referenced = Assembly.Load(name);
                pending.Enqueue(referenced);
                if (referenced.IsDefined(typeof(JasperFxAssemblyAttribute)))
                {
                    found.Add(referenced);
                }
            }
        }

        return found.Distinct();
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
