using JasperFx.CommandLine;
using Merit.CommandLine;
using Merit.Localization;

namespace Merit.Recruitment.Files;

/// <summary>The input of <c>merit import</c>; its arguments and options are described in the language catalogue, <c>help.import.*</c> (<see cref="Merit.CommandLine.CommandHelp"/>).</summary>
public sealed class ImportInput : NetCoreInput
{
    public string Kind { get; set; } = "";

    public string File { get; set; } = "";

    [FlagAlias("round", 'r')]
    public string RoundFlag { get; set; } = "";

    [FlagAlias("actor")]
    public string ActorFlag { get; set; } = "cli";
}

/// <summary>
/// <c>merit import formations|applicants|verification|skd|skb|competence FILE --round R</c>, <c>merit import
/// workforce FILE</c> and <c>merit import nips FILE</c>: checks the whole file, then appends in batches; a refused file writes nothing and lists its
/// errors with line numbers.
/// </summary>
[Description("Import a round's CSV file (formations, applicants, verification, skd, skb, competence) or the workforce file", Name = "import")]
public sealed class ImportCommand : MeritCommand<ImportInput>
{
    private static readonly string[] RoundKinds = ["formations", "applicants", "verification", "skd", "skb", "competence"];

    public ImportCommand()
    {
        Usage(Texts.Current["help.import.usage.1"]).Arguments(x => x.Kind, x => x.File);
    }

    protected override async Task<bool> RunAsync(ImportInput input, IServiceProvider services)
    {
        var noRound = input.Kind is Career.Files.WorkforceImports.Kind or RecruitmentImports.KnownNipsKind;
        if (!noRound && !RoundKinds.Contains(input.Kind))
        {
            throw new CommandRefusedException(Texts.Current.Format("import.cli.unknown-kind", input.Kind, string.Join(", ", RoundKinds)));
        }

        if (!noRound && input.RoundFlag.Length == 0)
        {
            throw new CommandRefusedException(Texts.Current["import.cli.round-required"]);
        }

        if (!System.IO.File.Exists(input.File))
        {
            throw new CommandRefusedException(Texts.Current.Format("import.cli.no-file", input.File));
        }

        await StoreAsync(services);
        await using var file = System.IO.File.OpenRead(input.File);
        var report = await CommandConsole.WithProgressAsync(progress =>
        {
            var imports = services.GetRequiredService<RecruitmentImports>();
            var reporter = CommandConsole.ForImports(progress);
            return input.Kind switch
            {
                "formations" => imports.FormationsAsync(input.RoundFlag, file, input.ActorFlag, reporter, CancellationToken.None),
                "applicants" => imports.ApplicantsAsync(input.RoundFlag, file, input.ActorFlag, reporter, CancellationToken.None),
                "verification" => imports.VerificationAsync(input.RoundFlag, file, input.ActorFlag, reporter, CancellationToken.None),
                "skd" => imports.SkdAsync(input.RoundFlag, file, input.ActorFlag, reporter, CancellationToken.None),
                "skb" => imports.SkbAsync(input.RoundFlag, file, input.ActorFlag, reporter, CancellationToken.None),
                "competence" => imports.CompetenceAsync(input.RoundFlag, file, input.ActorFlag, reporter, CancellationToken.None),
                RecruitmentImports.KnownNipsKind => imports.KnownNipsAsync(file, input.ActorFlag, reporter, CancellationToken.None),
                // The operator on the host loads any instansi's workforce file.
                _ => services.GetRequiredService<Career.Files.WorkforceImports>().ImportAsync(file, input.ActorFlag, _ => null, reporter, CancellationToken.None),
            };
        });

        if (!report.Succeeded)
        {
            var texts = Texts.Current;
            await Console.Error.WriteLineAsync(texts.Format("import.cli.refused", input.File, report.Errors.Count));
            foreach (var error in report.Errors.Take(200))
            {
                await Console.Error.WriteLineAsync(error.Column is null
                    ? texts.Format("import.cli.error", input.File, error.Line, error.Message)
                    : texts.Format("import.cli.error-in-column", input.File, error.Line, error.Column, error.Message));
            }

            return false;
        }

        Output.WriteLine(Texts.Current.Format("import.cli.imported", input.File, report.Rows, report.Appended, report.Unchanged));
        return true;
    }
}

/// <summary>The input of <c>merit decide</c>; its arguments and options are described in the language catalogue, <c>help.decide.*</c> (<see cref="Merit.CommandLine.CommandHelp"/>).</summary>
public sealed class DecideInput : NetCoreInput
{
    public string Decision { get; set; } = "";

    [FlagAlias("round", 'r')]
    public string RoundFlag { get; set; } = "";

    [FlagAlias("actor")]
    public string ActorFlag { get; set; } = "cli";
}

/// <summary><c>merit decide skd-cutoff|final --round R</c>: the decision for every formation not yet decided.</summary>
[Description("Decide the SKD cut-off or the final result for every formation of a round", Name = "decide")]
public sealed class DecideCommand : MeritCommand<DecideInput>
{
    public DecideCommand()
    {
        Usage(Texts.Current["help.decide.usage.1"]).Arguments(x => x.Decision);
    }

    protected override async Task<bool> RunAsync(DecideInput input, IServiceProvider services)
    {
        if (input.Decision is not ("skd-cutoff" or "final"))
        {
            throw new CommandRefusedException(Texts.Current.Format("decide.cli.unknown-decision", input.Decision));
        }

        await StoreAsync(services);
        var decisions = services.GetRequiredService<RoundWideDecisions>();
        var report = await CommandConsole.WithProgressAsync(progress => input.Decision == "final"
            ? decisions.FinalAsync(input.RoundFlag, PersonalData.PersonalDataReader.CommandLine(input.ActorFlag, Security.Roles.Committee, "decide final"), CommandConsole.ForImports(progress), CancellationToken.None)
            : decisions.SkdCutOffAsync(input.RoundFlag, input.ActorFlag, CommandConsole.ForImports(progress), CancellationToken.None));
        if (!report.Succeeded)
        {
            await Console.Error.WriteLineAsync(Texts.Current.Format("decide.cli.refused", report.Decision, report.Refusals[0]));
            foreach (var refusal in report.Refusals.Skip(1))
            {
                await Console.Error.WriteLineAsync("  " + refusal);
            }

            return false;
        }

        Output.WriteLine(Texts.Current.Format("decide.cli.decided", report.Decision, report.Decided, report.AlreadyDecided, report.Events));
        return true;
    }
}

/// <summary>The input of <c>merit export</c>; its arguments and options are described in the language catalogue, <c>help.export.*</c> (<see cref="Merit.CommandLine.CommandHelp"/>).</summary>
public sealed class ExportInput : NetCoreInput
{
    public string List { get; set; } = "";

    [FlagAlias("round", 'r')]
    public string RoundFlag { get; set; } = "";

    [FlagAlias("out", 'o')]
    public string? OutFlag { get; set; }
}

/// <summary>
/// <c>merit export administrative|administrative-after-appeals|skd-results|skb-admission|final --round R [--out FILE]</c>:
/// the same bytes as the HTTP export.
/// </summary>
[Description("Export a round's published list as CSV: MS/TMS (before and after appeals), SKD results, SKB admission, final", Name = "export")]
public sealed class ExportCommand : MeritCommand<ExportInput>
{
    public ExportCommand()
    {
        Usage(Texts.Current["help.export.usage.1"]).Arguments(x => x.List);
    }

    protected override async Task<bool> RunAsync(ExportInput input, IServiceProvider services)
    {
        if (!PublishedLists.TryParse(input.List, out var list))
        {
            throw new CommandRefusedException(Texts.Current.Format("export.cli.unknown-list", input.List, string.Join(", ", PublishedLists.Names)));
        }

        await StoreAsync(services);

        // Written whole to memory first: a refused list leaves no partial file behind.
        var exports = services.GetRequiredService<RecruitmentExports>();
        var buffer = new StringWriter(System.Globalization.CultureInfo.InvariantCulture) { NewLine = "\n" };
        if (await exports.WriteAsync(input.RoundFlag, list, buffer, CancellationToken.None) is { } refusal)
        {
            throw new CommandRefusedException($"{Texts.Current.Say(refusal)} [{refusal.Code}]");
        }

        await using var writer = input.OutFlag is null
            ? new StreamWriter(Console.OpenStandardOutput(), new System.Text.UTF8Encoding(false))
            : new StreamWriter(input.OutFlag, false, new System.Text.UTF8Encoding(false));
        await writer.WriteAsync(buffer.ToString());
        return true;
    }
}
