using System.Globalization;
using JasperFx.CommandLine;
using Merit.Localization;
using Merit.PersonalData;

namespace Merit.Recruitment.Announcements;

/// <summary>The input of <c>merit announce</c>; its arguments and options are described in the language catalogue, <c>help.announce.*</c> (<see cref="Merit.CommandLine.CommandHelp"/>).</summary>
public sealed class AnnounceInput : NetCoreInput
{
    public string Action { get; set; } = "print";

    [FlagAlias("round")]
    public string RoundFlag { get; set; } = "";

    [FlagAlias("kind")]
    public string KindFlag { get; set; } = "final";

    [FlagAlias("instansi")]
    public string? InstansiFlag { get; set; }

    [FlagAlias("number")]
    public string? NumberFlag { get; set; }

    [FlagAlias("date")]
    public string? DateFlag { get; set; }

    [FlagAlias("edition")]
    public string? EditionFlag { get; set; }

    [FlagAlias("format")]
    public string FormatFlag { get; set; } = "both";

    [FlagAlias("out")]
    public string OutFlag { get; set; } = ".";

    [FlagAlias("actor")]
    public string ActorFlag { get; set; } = "cli";

    [FlagAlias("role")]
    public string RoleFlag { get; set; } = Security.Roles.Committee;
}

/// <summary>
/// <c>merit announce issue --round CODE --kind KIND|all [--instansi CODE] [--number N] [--date yyyy-MM-dd]</c> and
/// <c>merit announce print --round CODE --kind KIND|all [--instansi CODE] [--edition N] [--format pdf|xlsx|both] [--out DIR]</c>
/// (docs/adr/0045). Without --instansi, every instansi of the round; <c>all</c> is every stage. Exits non-zero when any
/// is refused. Messages and documents are in the command line's language (<c>merit --lang id|en</c>, else the locale).
/// </summary>
[Description("Issue the announcements of a round's stage, or print them as PDF and XLSX", Name = "announce")]
public sealed class AnnounceCommand : JasperFxAsyncCommand<AnnounceInput>
{
    public AnnounceCommand()
    {
        Usage(Texts.Current["help.announce.usage.1"]).Arguments(x => x.Action);
    }

    public override async Task<bool> Execute(AnnounceInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        AnnouncementKind[] kinds = input.KindFlag == "all"
            ? Enum.GetValues<AnnouncementKind>()
            : AnnouncementKinds.Parse(input.KindFlag) is { } one ? [one] : [];
        if (kinds.Length == 0 || input.RoundFlag.Length == 0 || input.Action is not ("issue" or "print"))
        {
            await Console.Error.WriteLineAsync(Texts.Current.Format("announce.cli.usage", AnnouncementKinds.Slugs.Replace(", ", "|", StringComparison.Ordinal)));
            return false;
        }

        using var host = input.BuildHost();
        var source = host.Services.GetRequiredService<AnnouncementSource>();
        var publisher = host.Services.GetRequiredService<AnnouncementPublisher>();
        var roundId = RoundDecisions.IdFor(input.RoundFlag);
        var instansi = input.InstansiFlag is { } single ? [single] : await source.InstansiAsync(roundId, CancellationToken.None);
        if (instansi.Count == 0)
        {
            await Console.Error.WriteLineAsync(Texts.Current.Format("announce.cli.no-formation", input.RoundFlag));
            return false;
        }

        return input.Action == "issue"
            ? await IssueAsync(input, publisher, roundId, kinds, instansi)
            : await PrintAsync(input, publisher, roundId, kinds, instansi);
    }

    private static async Task<bool> IssueAsync(AnnounceInput input, AnnouncementPublisher publisher, Guid roundId, AnnouncementKind[] kinds, IReadOnlyList<string> instansi)
    {
        if (input.NumberFlag is not null && (instansi.Count > 1 || kinds.Length > 1))
        {
            await Console.Error.WriteLineAsync(Texts.Current["announce.cli.one-number"]);
            return false;
        }

        DateOnly? date = null;
        if (input.DateFlag is { } text)
        {
            if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
            {
                await Console.Error.WriteLineAsync(Texts.Current.Format("announce.cli.not-a-date", text));
                return false;
            }

            date = parsed;
        }

        var ok = true;
        foreach (var (code, kind) in instansi.SelectMany(code => kinds.Select(kind => (code, kind))))
        {
            var outcome = await publisher.IssueAsync(roundId, kind, code, input.NumberFlag, date, input.ActorFlag, CancellationToken.None);
            if (outcome.Refusal is { } refusal)
            {
                ok = false;
                await Console.Error.WriteLineAsync(Texts.Current.Format("announce.cli.refused", kind.Slug(), code, refusal.Code, Texts.Current.Say(refusal)));
                continue;
            }

            var issued = outcome.Issued!;
            Console.WriteLine(Texts.Current.Format(
                outcome.Created ? "announce.cli.issued" : "announce.cli.already-issued",
                kind.Slug(), code, issued.Edition, issued.Number, issued.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), issued.Rows, issued.FromSequence, issued.ToSequence, issued.SealId));
        }

        return ok;
    }

    private static async Task<bool> PrintAsync(AnnounceInput input, AnnouncementPublisher publisher, Guid roundId, AnnouncementKind[] kinds, IReadOnlyList<string> instansi)
    {
        IReadOnlyCollection<AnnouncementFormat>? formats = input.FormatFlag switch
        {
            "pdf" => [AnnouncementFormat.Pdf],
            "xlsx" => [AnnouncementFormat.Xlsx],
            "both" => [AnnouncementFormat.Pdf, AnnouncementFormat.Xlsx],
            _ => null,
        };
        int? edition = int.TryParse(input.EditionFlag, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : null;
        if (formats is null || (input.EditionFlag is not null && edition is null))
        {
            await Console.Error.WriteLineAsync(Texts.Current["announce.cli.print-usage"]);
            return false;
        }

        Directory.CreateDirectory(input.OutFlag);
        var reader = PersonalDataReader.CommandLine(input.ActorFlag, input.RoleFlag, "announce print");
        var ok = true;
        foreach (var code in instansi)
        {
            // One read of the names for every stage printed for the instansi.
            var outcomes = await publisher.PrintAsync(roundId, kinds, code, edition, formats, Texts.Current, reader, CancellationToken.None);
            for (var i = 0; i < kinds.Length; i++)
            {
                if (outcomes[i].Refusal is { } refusal)
                {
                    ok = false;
                    await Console.Error.WriteLineAsync(Texts.Current.Format("announce.cli.refused", kinds[i].Slug(), code, refusal.Code, Texts.Current.Say(refusal)));
                    continue;
                }

                foreach (var document in outcomes[i].Documents)
                {
                    var path = Path.Combine(input.OutFlag, document.FileName);
                    await File.WriteAllBytesAsync(path, document.Content);
                    Console.WriteLine(Texts.Current.Format("announce.cli.written", kinds[i].Slug(), code, path, document.Content.Length));
                }
            }
        }

        return ok;
    }
}
