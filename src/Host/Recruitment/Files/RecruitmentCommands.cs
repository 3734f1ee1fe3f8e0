using JasperFx.CommandLine;
using Merit.Recruitment.Files;
using Microsoft.Extensions.DependencyInjection;

namespace Merit.Recruitment.Files;

public sealed class ImportInput : NetCoreInput
{
    [Description("What the file holds: formations, applicants, verification, skd, skb, competence (PPPK results), workforce (career records), or nips (NIPs issued elsewhere, no round)")]
    public string Kind { get; set; } = "";

    [Description("The CSV file")]
    public string File { get; set; } = "";

    [Description("The round's code, e.g. CPNS-2024")]
    [FlagAlias("round", 'r')]
    public string RoundFlag { get; set; } = "";

    [Description("The acting committee member recorded on the events")]
    [FlagAlias("actor")]
    public string ActorFlag { get; set; } = "cli";
}

/// <summary><c>merit import formations|applicants|skd|skb FILE --round R</c>: checks the whole file, then appends in batches.</summary>
[Description("Import a round's CSV file (formations, applicants, skd, skb, competence) or the workforce file", Name = "import")]
public sealed class ImportCommand : JasperFxAsyncCommand<ImportInput>
{
    public override async Task<bool> Execute(ImportInput input)
    {
        using var host = input.BuildHost();
        await host.StartAsync();
        if (input.Kind == Career.Files.WorkforceImports.Kind)
        {
            var imported = await Career.Files.WorkforceEndpoints.RunAsync(host.Services, input.File, input.ActorFlag);
            await host.StopAsync();
            return imported;
        }

        var imports = host.Services.GetRequiredService<RecruitmentImports>();
        await using var file = System.IO.File.OpenRead(input.File);
        var progress = new Progress<ImportProgress>(p => Console.Error.WriteLine($"{p.Phase} {p.Done}/{p.Total}"));
        Func<Stream, Task<ImportReport>>? import = input.Kind switch
        {
            RecruitmentImports.KnownNipsKind => f => imports.KnownNipsAsync(f, input.ActorFlag, progress, CancellationToken.None),
            "formations" => f => imports.FormationsAsync(input.RoundFlag, f, input.ActorFlag, progress, CancellationToken.None),
            "applicants" => f => imports.ApplicantsAsync(input.RoundFlag, f, input.ActorFlag, progress, CancellationToken.None),
            "verification" => f => imports.VerificationAsync(input.RoundFlag, f, input.ActorFlag, progress, CancellationToken.None),
            "skd" => f => imports.SkdAsync(input.RoundFlag, f, input.ActorFlag, progress, CancellationToken.None),
            "skb" => f => imports.SkbAsync(input.RoundFlag, f, input.ActorFlag, progress, CancellationToken.None),
            "competence" => f => imports.CompetenceAsync(input.RoundFlag, f, input.ActorFlag, progress, CancellationToken.None),
            _ => null,
        };
        if (import is null)
        {
            Console.Error.WriteLine($"unknown kind '{input.Kind}': formations, applicants, verification, skd, skb, competence, workforce or nips");
            return false;
        }

        var report = await import(file);
        await host.StopAsync();
        if (!report.Succeeded)
        {
            Console.Error.WriteLine($"{input.File}: refused, nothing written ({report.Errors.Count} errors)");
            foreach (var error in report.Errors.Take(200))
            {
                Console.Error.WriteLine($"{input.File}: {error}");
            }

            return false;
        }

        Console.WriteLine($"{input.File}: {report.Rows} rows, {report.Appended} events appended, {report.Unchanged} unchanged");
        return true;
    }
}

public sealed class DecideInput : NetCoreInput
{
    [Description("skd-cutoff or final")]
    public string Decision { get; set; } = "";

    [Description("The round's code, e.g. CPNS-2024")]
    [FlagAlias("round", 'r')]
    public string RoundFlag { get; set; } = "";

    [FlagAlias("actor")]
    public string ActorFlag { get; set; } = "cli";
}

/// <summary><c>merit decide skd-cutoff|final --round R</c>: the decision for every formation not yet decided.</summary>
[Description("Decide the SKD cut-off or the final result for every formation of a round", Name = "decide")]
public sealed class DecideCommand : JasperFxAsyncCommand<DecideInput>
{
    public override async Task<bool> Execute(DecideInput input)
    {
        using var host = input.BuildHost();
        await host.StartAsync();
        var decisions = host.Services.GetRequiredService<RoundWideDecisions>();
        var progress = new Progress<ImportProgress>(p => Console.Error.WriteLine($"{p.Phase} {p.Done}/{p.Total}"));
        if (input.Decision is not ("skd-cutoff" or "final"))
        {
            Console.Error.WriteLine($"unknown decision '{input.Decision}': skd-cutoff or final");
            return false;
        }

        var report = input.Decision == "final"
            ? await decisions.FinalAsync(input.RoundFlag, PersonalData.PersonalDataReader.CommandLine(input.ActorFlag, Security.Roles.Committee, "decide final"), progress, CancellationToken.None)
            : await decisions.SkdCutOffAsync(input.RoundFlag, input.ActorFlag, progress, CancellationToken.None);
        await host.StopAsync();
        foreach (var refusal in report.Refusals)
        {
            Console.Error.WriteLine(refusal);
        }

        Console.WriteLine($"{report.Decision}: {report.Decided} formations decided, {report.AlreadyDecided} already decided, {report.Events} events");
        return report.Succeeded;
    }
}

public sealed class ExportInput : NetCoreInput
{
    [Description("administrative, administrative-after-appeals, skd-results, skb-admission or final")]
    public string List { get; set; } = "";

    [Description("The round's code, e.g. CPNS-2024")]
    [FlagAlias("round", 'r')]
    public string RoundFlag { get; set; } = "";

    [Description("Write to this file instead of standard output")]
    [FlagAlias("out", 'o')]
    public string? OutFlag { get; set; }
}

/// <summary><c>merit export administrative|administrative-after-appeals|skd-results|skb-admission|final --round R [--out FILE]</c>.</summary>
[Description("Export a round's published list as CSV: MS/TMS (before and after appeals), SKD results, SKB admission, final", Name = "export")]
public sealed class ExportCommand : JasperFxAsyncCommand<ExportInput>
{
    public override async Task<bool> Execute(ExportInput input)
    {
        if (!PublishedLists.TryParse(input.List, out var list))
        {
            Console.Error.WriteLine($"unknown list '{input.List}': {string.Join(", ", PublishedLists.Names)}");
            return false;
        }

        using var host = input.BuildHost();
        var exports = host.Services.GetRequiredService<RecruitmentExports>();

        // Written whole to memory first: a refused list leaves no partial file behind.
        var buffer = new StringWriter(System.Globalization.CultureInfo.InvariantCulture) { NewLine = "\n" };
        if (await exports.WriteAsync(input.RoundFlag, list, buffer, CancellationToken.None) is { } refusal)
        {
            Console.Error.WriteLine($"{refusal.Message} [{refusal.Code}]");
            return false;
        }

        await using var writer = input.OutFlag is null ? Console.Out : new StreamWriter(input.OutFlag, false, new System.Text.UTF8Encoding(false));
        await writer.WriteAsync(buffer.ToString());
        await writer.FlushAsync();
        return true;
    }
}
