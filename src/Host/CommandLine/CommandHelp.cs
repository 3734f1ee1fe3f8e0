using JasperFx.CommandLine;
using Merit.Localization;

namespace Merit.CommandLine;

/// <summary>
/// <c>merit help</c> (also <c>--help</c>) lists the verbs; <c>merit help VERB</c> shows the verb's usages. On standard
/// output, exit 0. In the command line's language; the frameworks' verbs and the flags keep their own (English) words.
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

        factory.Build(CommandFactory.CommandNameFor(type)).Usages.WriteUsages("merit");
        return 0;
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
