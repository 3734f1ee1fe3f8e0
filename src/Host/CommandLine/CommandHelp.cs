using JasperFx.CommandLine;
using JasperFx.CommandLine.Help;
using JasperFx.CommandLine.Parsing;
using Merit.Localization;

namespace Merit.CommandLine;

/// <summary>
/// <c>merit help</c> (also <c>--help</c>) lists the verbs; <c>merit help VERB</c> shows the verb's usages. On standard
/// output, exit 0. In the command line's language; the frameworks' verbs and the host's options keep their own (English) words.
/// </summary>
public static class CommandHelp
{
    /// <summary>The order Merit's own verbs are listed in, the way a round runs; others of ours follow by name.</summary>
    private static readonly string[] Order = ["rounds", "import", "decide", "export", "audit", "projections-verify", "personal-data", "token"];

    public static int Write(CommandFactory factory, string? verb)
    {
        ArgumentNullException.ThrowIfNull(factory);
        var verbs = factory.AllCommandTypes().ToDictionary(CommandFactory.CommandNameFor, StringComparer.Ordinal);
        if (verb is null)
        {
            ListAll(verbs);
            return 0;
        }

        if (!verbs.TryGetValue(verb.ToLowerInvariant(), out var type))
        {
            Console.Error.WriteLine(Texts.Current.Format("cli.not-a-verb", verb));
            return 1;
        }

        var name = CommandFactory.CommandNameFor(type);
        if (type.Assembly != typeof(CommandHelp).Assembly)
        {
            factory.Build(name).Usages.WriteUsages("merit");
            return 0;
        }

        WriteVerb(name, InputOf(type), factory.Build(name).Usages);
        return 0;
    }

    /// <summary>
    /// One of Merit's verbs: its usages, then its arguments and options, in the command line's language (the catalogue's
    /// <c>help.VERB.usage.N</c> and <c>help.VERB.MEMBER</c>); the host's own options keep the framework's words.
    /// </summary>
    private static void WriteVerb(string verb, Type? input, UsageGraph usages)
    {
        var texts = Texts.Current;
        bool Ours(ITokenHandler handler) => input?.GetProperty(handler.MemberName)?.DeclaringType?.Assembly == typeof(CommandHelp).Assembly;
        string Usage(ITokenHandler handler) => handler.ToUsageDescription();

        Console.WriteLine($"merit {verb}: {texts.Find("help.verb." + verb) ?? usages.Description}");
        Console.WriteLine();
        Console.WriteLine(texts["help.usages-title"]);
        foreach (var usage in usages.Usages)
        {
            // A verb that declares no usage has the framework's one, described by the verb's own description.
            Console.WriteLine("  " + (usage.Description == usages.Description ? texts.Find("help.verb." + verb) ?? usage.Description : usage.Description));
            Console.WriteLine($"    merit {verb} {string.Join(' ', usage.Arguments.Cast<ITokenHandler>().Concat(usage.ValidFlags.Where(Ours)).Select(Usage))}");
        }

        var handlers = usages.Arguments.Cast<ITokenHandler>().Concat(usages.Flags).ToList();
        var width = handlers.Where(Ours).Select(h => Usage(h).Length).DefaultIfEmpty(0).Max() + 2;
        Console.WriteLine();
        Console.WriteLine(texts["help.options"]);
        foreach (var handler in handlers.Where(Ours))
        {
            Console.WriteLine($"  {Usage(handler).PadRight(width)}{texts.Find($"help.{verb}.{handler.MemberName}") ?? handler.Description}");
        }

        Console.WriteLine();
        Console.WriteLine(texts["help.host-options"]);
        foreach (var handler in handlers.Where(h => !Ours(h)))
        {
            Console.WriteLine($"  {Usage(handler)}: {handler.Description}");
        }
    }

    /// <summary>The input type of a command: the type argument of the JasperFx command it derives from.</summary>
    private static Type? InputOf(Type command)
    {
        for (var type = command; type is not null; type = type.BaseType)
        {
            if (type.IsGenericType && type.GetGenericArguments() is [var input] && typeof(NetCoreInput).IsAssignableFrom(input))
            {
                return input;
            }
        }

        return null;
    }

    private static void ListAll(Dictionary<string, Type> verbs)
    {
        var width = verbs.Keys.Max(k => k.Length) + 2;
        var texts = Texts.Current;
        Console.WriteLine(texts["help.title"]);
        Console.WriteLine();
        Console.WriteLine("  merit [run] [--urls http://127.0.0.1:5000]   " + texts["help.serve"]);
        Console.WriteLine("  merit VERB ...                               " + texts["help.verb"]);
        Console.WriteLine("  merit help VERB (or merit VERB --help)       " + texts["help.usages"]);
        Console.WriteLine("  merit --lang id|en VERB ...                  " + texts["help.lang"]);
        var ours = verbs.Where(v => v.Value.Assembly == typeof(CommandHelp).Assembly).ToList();
        Write(texts["help.ours"], ours.OrderBy(v => Array.IndexOf(Order, v.Key) is var at and >= 0 ? at : Order.Length).ThenBy(v => v.Key, StringComparer.Ordinal), width);
        Write(texts["help.frameworks"], verbs.Except(ours).Where(v => v.Key != "run").OrderBy(v => v.Key, StringComparer.Ordinal), width);
    }

    private static void Write(string title, IEnumerable<KeyValuePair<string, Type>> verbs, int width)
    {
        Console.WriteLine();
        Console.WriteLine(title);
        foreach (var (name, type) in verbs)
        {
            Console.WriteLine($"  {name.PadRight(width)}{Texts.Current.Find("help.verb." + name) ?? CommandFactory.DescriptionFor(type)}");
        }
    }
}
