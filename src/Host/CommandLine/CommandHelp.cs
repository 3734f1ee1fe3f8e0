using JasperFx.CommandLine;

namespace Merit.CommandLine;

/// <summary><c>merit help</c> (also <c>--help</c>) lists the verbs; <c>merit help VERB</c> shows the verb's usages. On standard output, exit 0.</summary>
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
            Console.Error.WriteLine($"merit: '{verb}' is not a verb; 'merit help' lists them.");
            return 1;
        }

        factory.Build(CommandFactory.CommandNameFor(type)).Usages.WriteUsages("merit");
        return 0;
    }

    private static void ListAll(Dictionary<string, Type> verbs)
    {
        var width = verbs.Keys.Max(k => k.Length) + 2;
        Console.WriteLine("merit: Merit's server and command line.");
        Console.WriteLine();
        Console.WriteLine("  merit [run] [--urls http://127.0.0.1:5000]   serve the HTTP API, the API page (/api) and the dashboard (/dashboard)");
        Console.WriteLine("  merit VERB ...                               run a verb; it never binds a port, so it runs beside a server");
        Console.WriteLine("  merit help VERB (or merit VERB --help)       the verb's usages and flags");
        var ours = verbs.Where(v => v.Value.Assembly == typeof(CommandHelp).Assembly).ToList();
        Write("Merit's verbs:", ours.OrderBy(v => Array.IndexOf(Order, v.Key) is var at and >= 0 ? at : Order.Length).ThenBy(v => v.Key, StringComparer.Ordinal), width);
        Write("Verbs of the frameworks (JasperFx, Marten, Wolverine):", verbs.Except(ours).Where(v => v.Key != "run").OrderBy(v => v.Key, StringComparer.Ordinal), width);
    }

    private static void Write(string title, IEnumerable<KeyValuePair<string, Type>> verbs, int width)
    {
        Console.WriteLine();
        Console.WriteLine(title);
        foreach (var (name, type) in verbs)
        {
            Console.WriteLine($"  {name.PadRight(width)}{CommandFactory.DescriptionFor(type)}");
        }
    }
}
