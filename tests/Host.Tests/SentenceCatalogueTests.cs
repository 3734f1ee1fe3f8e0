using System.Text;
using System.Text.RegularExpressions;
using Merit.Localization;
using Xunit;

namespace Merit.Tests;

/// <summary>
/// Every sentence a refusal or a validator writes has its Bahasa Indonesia entry in IndonesianSentences.json, with the same
/// holes, and the catalogue holds nothing else. The templates are read from the source: the message argument of each
/// Refusal construction, each <c>Wording.Of</c> and <c>Texts.Say</c> of an interpolated string, each
/// <c>WithMessage</c>, and the sentences returned by the identifiers' <c>Problem</c> methods. A message the scan
/// cannot read is listed below with the reason it needs no entry of its own; a new one fails the test.
/// </summary>
public partial class SentenceCatalogueTests
{
    /// <summary>Message arguments that are not written out where the refusal is made, and why each is covered.</summary>
    private static readonly Dictionary<string, string> Unreadable = new(StringComparer.Ordinal)
    {
        ["src/Domain/Recruitment/SkdStage.cs: violation.Message"] = "a Wording of SkdRules.RangeViolations, scanned as Wording.Of",
        ["src/Domain/Analytics/WhatIf/VariantRuleSet.cs: e.Message"] = "the rule document's parse error, from System.Text.Json: stays English",
        ["src/Host/Recruitment/Files/FileEndpoints.cs: report.Refusals[0]"] = "already said in the reader's language where the round-wide decision composes it",
        ["src/Host/Recruitment/Registration/RegisterApplicant.cs: x => Nik.Problem(x.Nik)!"] = "Nik.Problem's sentences, scanned",
        ["src/Host/Career/CareerQueries.cs: x => Nip.Problem(x.Nip) ?? \"\""] = "Nip.Problem's sentences, scanned",
        ["src/Host/Career/Jpt/RegisterJptApplicant.cs: x => Nip.Problem(x.Nip) ?? \"\""] = "Nip.Problem's sentences, scanned",
    };

    [Fact]
    public void Every_template_of_the_source_has_its_Indonesian_entry_with_the_same_holes()
    {
        var (templates, unreadable) = Scan();
        Assert.True(templates.Count > 250, $"only {templates.Count} templates read: the scan is broken");
        Assert.Equal(Unreadable.Keys.Order(StringComparer.Ordinal), unreadable.Order(StringComparer.Ordinal));
        var missing = templates.Keys.Where(t => !Sentences.Indonesian.ContainsKey(t)).Select(t => $"{t}  ({templates[t]})").ToList();
        Assert.True(missing.Count == 0, "No Indonesian entry for:\n" + string.Join("\n", missing));
        var differing = templates.Keys.Where(t => Holes(t) != Holes(Sentences.Indonesian[t])).ToList();
        Assert.True(differing.Count == 0, "Holes differ for:\n" + string.Join("\n", differing));
    }

    [Fact]
    public void No_catalogue_entry_is_orphaned_and_none_is_empty()
    {
        var (templates, _) = Scan();
        var orphans = Sentences.Indonesian.Keys.Where(k => !templates.ContainsKey(k)).ToList();
        Assert.True(orphans.Count == 0, "No template in the source for:\n" + string.Join("\n", orphans));
        Assert.All(Sentences.Indonesian, e => Assert.False(string.IsNullOrWhiteSpace(e.Value), e.Key));
    }

    [Fact]
    public void A_refusal_is_said_in_Indonesian_with_its_values_and_in_English_as_written()
    {
        var refusal = new Deciding.Refusal(Deciding.RefusalKind.Rule, "oikn.not-appointed", $"This civil servant was not the one appointed by open selection {"JPT-2026-01"} (R42).", "servantId");
        Assert.Equal("This civil servant was not the one appointed by open selection {0} (R42).", refusal.Text.Template);
        Assert.Equal("This civil servant was not the one appointed by open selection JPT-2026-01 (R42).", refusal.Message);
        Assert.Equal(refusal.Message, Texts.English.Say(refusal));
        Assert.Equal("ASN ini bukan yang diangkat melalui seleksi terbuka JPT-2026-01 (R42).", Texts.Indonesian.Say(refusal));

        // A number keeps its invariant form, and a nested sentence is said in the same language.
        var nested = Deciding.Wording.Of($"Nomination {3}: {Deciding.Wording.Of($"No relocation wave {1.5m}.")}");
        Assert.Equal("Usulan ke-3: Tidak ada gelombang pemindahan 1.5.", Texts.Indonesian.Say(nested));
        Assert.Equal("Nomination 3: No relocation wave 1.5.", nested.English);
    }

    private static string Holes(string template) =>
        string.Join(" ", HolePattern().Matches(template).Select(m => m.Value).Order(StringComparer.Ordinal));

    private static (Dictionary<string, string> Templates, List<string> Unreadable) Scan()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root!.FullName, "Merit.sln")))
        {
            root = root.Parent;
        }

        var templates = new Dictionary<string, string>(StringComparer.Ordinal);
        var unreadable = new List<string>();
        var files = Directory.EnumerateFiles(Path.Combine(root.FullName, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}Generated{Path.DirectorySeparatorChar}", StringComparison.Ordinal));
        foreach (var file in files)
        {
            var relative = Path.GetRelativePath(root.FullName, file).Replace('\\', '/');
            var source = WithoutComments(File.ReadAllText(file));
            void Add(string template) => templates.TryAdd(template, relative);

            foreach (Match m in RefusalPattern().Matches(source))
            {
                var arguments = Arguments(source, source.IndexOf('(', m.Index));
                var message = arguments.Count > 2 ? arguments[2] : "";
                if (Template(message) is { } template)
                {
                    Add(template);
                }
                else if (!message.Contains("Wording.Of(", StringComparison.Ordinal))
                {
                    unreadable.Add($"{relative}: {Normalised(message)}");
                }
            }

            foreach (Match m in SayPattern().Matches(source))
            {
                var argument = Arguments(source, source.IndexOf('(', m.Index))[0];
                if (Template(argument) is { } template)
                {
                    Add(template);
                }
                else if (m.Value.StartsWith("Wording", StringComparison.Ordinal) && !argument.Contains("Wording.Of(", StringComparison.Ordinal))
                {
                    unreadable.Add($"{relative}: {Normalised(argument)}");
                }
            }

            foreach (Match m in WithMessagePattern().Matches(source))
            {
                var argument = Arguments(source, source.IndexOf('(', m.Index))[0];
                if (argument.StartsWith('"') && ReadString(argument, 0) is { End: var end, Raw: var raw } && end == argument.Length)
                {
                    Add(raw); // FluentValidation's own template: {PropertyName} and the like, braces single
                }
                else if (!argument.Contains(".Say(", StringComparison.Ordinal))
                {
                    unreadable.Add($"{relative}: {Normalised(argument)}");
                }
            }

            foreach (Match m in ProblemMethodPattern().Matches(source))
            {
                var body = source[m.Index..source.IndexOf("\n    }", m.Index, StringComparison.Ordinal)];
                foreach (Match r in ReturnedLiteralPattern().Matches(body))
                {
                    Add(ReadString(r.Groups[1].Value, 0)!.Value.Raw);
                }
            }
        }

        return (templates, unreadable);
    }

    /// <summary>
    /// The Wording template of a string argument as RefusalText records it: a literal with its braces doubled, an
    /// interpolated string with its holes numbered; null for any other expression.
    /// </summary>
    private static string? Template(string argument)
    {
        if (argument.Length == 0 || (argument[0] != '"' && argument[0] != '$' && argument[0] != '@'))
        {
            return null;
        }

        var read = ReadString(argument, 0);
        if (read is not { } r || r.End != argument.Length)
        {
            return null;
        }

        return r.Interpolated ? r.Template : r.Raw.Replace("{", "{{", StringComparison.Ordinal).Replace("}", "}}", StringComparison.Ordinal);
    }

    /// <summary>
    /// A string literal starting at <paramref name="at"/>: its text (escapes resolved), and for an interpolated one its
    /// template with the holes numbered and literal braces kept doubled. Null for a raw string literal.
    /// </summary>
    private static (int End, string Raw, string Template, bool Interpolated)? ReadString(string s, int at)
    {
        var interpolated = false;
        var verbatim = false;
        var i = at;
        for (; s[i] is '$' or '@'; i++)
        {
            interpolated |= s[i] == '$';
            verbatim |= s[i] == '@';
        }

        if (string.CompareOrdinal(s, i, "\"\"\"", 0, 3) == 0)
        {
            return null;
        }

        var raw = new StringBuilder();
        var template = new StringBuilder();
        var holes = 0;
        for (i++; ;)
        {
            var c = s[i];
            if (c == '\\' && !verbatim)
            {
                var escaped = s[i + 1] switch { 'n' => '\n', 't' => '\t', '0' => '\0', var other => other };
                raw.Append(escaped);
                template.Append(escaped);
                i += 2;
            }
            else if (c == '"' && verbatim && s[i + 1] == '"')
            {
                raw.Append('"');
                template.Append('"');
                i += 2;
            }
            else if (c == '"')
            {
                return (i + 1, raw.ToString(), template.ToString(), interpolated);
            }
            else if (interpolated && (c == '{' || c == '}') && s[i + 1] == c)
            {
                raw.Append(c);
                template.Append(c, 2);
                i += 2;
            }
            else if (interpolated && c == '{')
            {
                i = Skip(s, i, '{', '}');
                template.Append('{').Append(holes++).Append('}');
            }
            else
            {
                raw.Append(c);
                template.Append(c);
                i++;
            }
        }
    }

    /// <summary>The index after the bracket matching the one at <paramref name="at"/>, strings and characters skipped.</summary>
    private static int Skip(string s, int at, char open, char close)
    {
        var depth = 0;
        for (var i = at; ;)
        {
            var c = s[i];
            if (c == '"' || (c is '$' or '@' && s[i + 1] is '"' or '$' or '@'))
            {
                i = ReadString(s, i)?.End ?? throw new InvalidDataException("A raw string literal inside a refusal message: " + s[at..Math.Min(s.Length, at + 80)]);
                continue;
            }

            if (c == '\'')
            {
                i = s.IndexOf('\'', s[i + 1] == '\\' ? i + 3 : i + 2) + 1;
                continue;
            }

            if (c == open)
            {
                depth++;
            }
            else if (c == close && --depth == 0)
            {
                return i + 1;
            }

            i++;
        }
    }

    /// <summary>The top-level arguments of the call whose parenthesis is at <paramref name="at"/>, trimmed.</summary>
    private static List<string> Arguments(string s, int at)
    {
        var arguments = new List<string>();
        var depth = 0;
        var start = at + 1;
        for (var i = at; ;)
        {
            var c = s[i];
            if (c == '"' || (c is '$' or '@' && s[i + 1] is '"' or '$' or '@'))
            {
                i = ReadString(s, i)?.End ?? throw new InvalidDataException("A raw string literal in a refusal: " + s[at..Math.Min(s.Length, at + 80)]);
                continue;
            }

            if (c == '\'')
            {
                i = s.IndexOf('\'', s[i + 1] == '\\' ? i + 3 : i + 2) + 1;
                continue;
            }

            if (c is '(' or '[' or '{')
            {
                depth++;
            }
            else if (c is ')' or ']' or '}' && --depth == 0)
            {
                arguments.Add(s[start..i].Trim());
                return arguments;
            }
            else if (c == ',' && depth == 1)
            {
                arguments.Add(s[start..i].Trim());
                start = i + 1;
            }

            i++;
        }
    }

    /// <summary>The source without whole-line comments (doc comments quote examples that are not messages).</summary>
    private static string WithoutComments(string source) =>
        string.Join('\n', source.Split('\n').Select(l => l.TrimStart().StartsWith("//", StringComparison.Ordinal) ? "" : l));

    private static string Normalised(string expression) => WhiteSpacePattern().Replace(expression, " ");

    [GeneratedRegex(@"\bnew\s+(?:Deciding\.)?Refusal\s*\(|\bnew\s*\(\s*(?=(?:Deciding\.)?RefusalKind\.)")]
    private static partial Regex RefusalPattern();

    [GeneratedRegex(@"\bWording\.Of\s*\(|\.Say\s*\(")]
    private static partial Regex SayPattern();

    [GeneratedRegex(@"\.WithMessage\s*\(")]
    private static partial Regex WithMessagePattern();

    [GeneratedRegex(@"static string\? Problem\(")]
    private static partial Regex ProblemMethodPattern();

    [GeneratedRegex(@"return (""(?:[^""\\]|\\.)*"");")]
    private static partial Regex ReturnedLiteralPattern();

    [GeneratedRegex(@"\{\{|\}\}|\{[^{}]*\}")]
    private static partial Regex HolePattern();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpacePattern();
}
