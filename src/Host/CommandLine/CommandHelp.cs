using JasperFx.CommandLine;

namespace Merit.CommandLine;

/// <summary><c>merit help</c> (also <c>--help</c>) lists the verbs; <c>merit help VERB</c> shows the verb's usages. On standard output, exit 0.</summary>
public static class CommandHelp
{
    /// <summary>Merit's own verbs, listed first; the rest come from JasperFx, Marten and Wolverine.</summary>
    public static readonly IReadOnlyList<string> MeritVerbs =
        ["rounds", "import", "decide", "export", "audit", "projections-verify", "personal-data", "token"];

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
        Write("Merit's verbs:", verbs.Where(v => MeritVerbs.Contains(v.Key)).OrderBy(v => MeritVerbs.ToList().IndexOf(v.Key)), width);
        Write("Verbs of the frameworks (JasperFx, Marten, Wolverine):", verbs.Where(v => !MeritVerbs.Contains(v.Key) && v.Key != "run").OrderBy(v => v.Key, StringComparer.Ordinal), width);
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
