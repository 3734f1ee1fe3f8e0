using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using JasperFx;
using JasperFx.CommandLine;
using JasperFx.Events;
using Marten;
using Merit.CommandLine;
using Merit.Localization;

namespace Merit.Audit;

/// <summary>The input of <c>merit audit</c>; its arguments and options are described in the language catalogue, <c>help.audit.*</c> (<see cref="Merit.CommandLine.CommandHelp"/>).</summary>
public sealed class AuditInput : NetCoreInput
{
    public string Action { get; set; } = "verify";

    public string Target { get; set; } = "";

    public string File { get; set; } = "";

    public string? StreamFlag { get; set; }

    [FlagAlias("decision")]
    public string? DecisionFlag { get; set; }

    [FlagAlias("at")]
    public string? AtFlag { get; set; }

    [FlagAlias("actor")]
    public string ActorFlag { get; set; } = "cli";

    [FlagAlias("seal", 'f')]
    public string? SealFlag { get; set; }

    [FlagAlias("from")]
    public long FromFlag { get; set; }

    [FlagAlias("to")]
    public long ToFlag { get; set; }

    [FlagAlias("sequence")]
    public long SequenceFlag { get; set; }

    [FlagAlias("application")]
    public string? ApplicationFlag { get; set; }

    [FlagAlias("seal-id")]
    public long? SealIdFlag { get; set; }

    [FlagAlias("out", 'o')]
    public string? OutFlag { get; set; }
}

/// <summary>
/// <c>merit audit verify [--stream ID] [--seal FILE]</c>, <c>merit audit seal</c>, <c>merit audit export-seal ID FILE</c>.
/// Exits non-zero when the history is broken, so a scheduled job can alert on it.
/// </summary>
[Description("Verify the events' hash chains and seals, seal new events, export a seal for an auditor", Name = "audit")]
public sealed class AuditCommand : MeritCommand<AuditInput>
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    // As the HTTP endpoints write them: camelCase members, so one verifier reads proofs from either.
    private static readonly JsonSerializerOptions ProofJson = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public AuditCommand()
    {
        Usage(Texts.Current["help.audit.usage.1"]).Arguments(x => x.Action);
        Usage(Texts.Current["help.audit.usage.2"]).Arguments(x => x.Action, x => x.Target, x => x.File);
        Usage(Texts.Current["help.audit.usage.3"]).Arguments(x => x.Action);
        Usage(Texts.Current["help.audit.usage.4"]).Arguments(x => x.Action, x => x.Target);
    }

    protected override async Task<bool> RunAsync(AuditInput input, IServiceProvider services)
    {
        await StoreAsync(services);
        var seals = services.GetRequiredService<AuditSeals>();
        switch (input.Action)
        {
            case "verify":
                return await VerifyAsync(input, services.GetRequiredService<AuditVerifier>(), seals);
            case "seal":
                var outcome = await seals.SealAsync(CancellationToken.None);
                if (outcome.Refused is { } refused)
                {
                    await Console.Error.WriteLineAsync(outcome.At is { } broken ? Texts.Current.Format("audit.cli.not-sealed-at", broken.StreamId, broken.Version, refused) : Texts.Current.Format("audit.cli.not-sealed", refused));
                    return false;
                }

                Output.WriteLine(outcome.Seal is { } seal
                    ? Texts.Current.Format("audit.cli.sealed", seal.Id, seal.FromSequence, seal.ToSequence, seal.Count, seal.Root, seal.TreeSize, seal.TreeRoot, seals.AnchorLocation)
                    : outcome.Nothing);
                return true;
            case "export-seal":
                if (!long.TryParse(input.Target, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || input.File.Length == 0)
                {
                    await Console.Error.WriteLineAsync(Texts.Current["audit.cli.export-seal-usage"]);
                    return false;
                }

                if (await seals.LoadAsync(id, CancellationToken.None) is not { } found)
                {
                    await Console.Error.WriteLineAsync(Texts.Current.Format("audit.cli.no-seal", id));
                    return false;
                }

                await System.IO.File.WriteAllTextAsync(input.File, found.Export().ToJson().ToJsonString(Indented) + "\n");
                Output.WriteLine(Texts.Current.Format("audit.cli.seal-written", id, input.File));
                return true;
            case "recompute":
                if (!Guid.TryParse(input.DecisionFlag, CultureInfo.InvariantCulture, out var decisionId)
                    || await services.GetRequiredService<DecisionExplanations>().RecomputeAsync(decisionId, PersonalData.PersonalDataReader.CommandLine(input.ActorFlag, Security.Roles.Auditor, "audit recompute"), CancellationToken.None) is not { } recomputed)
                {
                    await Console.Error.WriteLineAsync(Texts.Current["audit.cli.recompute-usage"]);
                    return false;
                }

                if (recomputed.Refusal is { } cannot)
                {
                    await Console.Error.WriteLineAsync(Texts.Current.Format("audit.cli.cannot-recompute", recomputed.Decision, decisionId, Texts.Current.Say(cannot), cannot.Code));
                    return false;
                }

                Output.WriteLine(recomputed.Matches
                    ? Texts.Current.Format("audit.cli.recomputed-matches", recomputed.Decision, decisionId, recomputed.Entries)
                    : Texts.Current.Format("audit.cli.recomputed-differs", recomputed.Decision, decisionId));
                foreach (var difference in recomputed.Differences)
                {
                    Output.WriteLine("  " + difference);
                }

                foreach (var changed in recomputed.ChangedInputs)
                {
                    Output.WriteLine("  " + Texts.Current.Format("audit.cli.input-changed", changed.Input, changed.EventType, changed.Version, changed.Sequence, changed.Kind, changed.Detail));
                }

                return recomputed.Matches && recomputed.ChangedInputs.Count == 0;
            case "history":
                DateTimeOffset? at = input.AtFlag is null ? null
                    : DateTimeOffset.TryParse(input.AtFlag, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsedAt) ? parsedAt
                    : throw new CommandRefusedException(Texts.Current.Format("audit.cli.not-a-moment", input.AtFlag));
                if (!Guid.TryParse(input.StreamFlag, CultureInfo.InvariantCulture, out var caseId)
                    || await services.GetRequiredService<CaseHistory>().ReadAsync(caseId, at, null, CancellationToken.None) is not { } history)
                {
                    await Console.Error.WriteLineAsync(Texts.Current["audit.cli.history-usage"]);
                    return false;
                }

                Output.WriteLine(JsonSerializer.Serialize(history, Indented));
                return true;
            case "prove":
                return await ProveAsync(input, services.GetRequiredService<AuditProofs>());
            case "export":
                return await ExportAsync(input, services.GetRequiredService<AuditPack>());
            default:
                await Console.Error.WriteLineAsync(Texts.Current.Format("audit.cli.unknown-action", input.Action));
                return false;
        }
    }

    private async Task<bool> ProveAsync(AuditInput input, AuditProofs proofs)
    {
        var ct = CancellationToken.None;
        (object? Proof, string? Problem) outcome = input.Target switch
        {
            "consistency" => Unpack(await proofs.ConsistencyAsync(input.FromFlag, input.ToFlag, ct)),
            "event" => Unpack(await proofs.EventAsync(input.SequenceFlag, input.SealIdFlag, ct)),
            "application" when Guid.TryParse(input.ApplicationFlag, CultureInfo.InvariantCulture, out var application) =>
                Unpack(await proofs.ApplicationAsync(application, input.SealIdFlag, ct)),
            _ => (null, Texts.Current["audit.cli.prove-usage"]),
        };
        if (outcome.Proof is null)
        {
            await Console.Error.WriteLineAsync(outcome.Problem);
            return false;
        }

        var json = JsonSerializer.Serialize(outcome.Proof, outcome.Proof.GetType(), ProofJson) + "\n";
        if (input.OutFlag is { } file)
        {
            await System.IO.File.WriteAllTextAsync(file, json);
            Output.WriteLine(Texts.Current.Format("audit.cli.proof-written", file));
        }
        else
        {
            Output.Write(json);
        }

        return true;
    }

    private static (object? Proof, string? Problem) Unpack<T>(ProofOutcome<T> outcome)
        where T : class => (outcome.Proof, outcome.Problem);

    private async Task<bool> ExportAsync(AuditInput input, AuditPack pack)
    {
        if (input.OutFlag is not { Length: > 0 } file)
        {
            await Console.Error.WriteLineAsync(Texts.Current["audit.cli.export-usage"]);
            return false;
        }

        Guid? application = Guid.TryParse(input.ApplicationFlag, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;
        await using var output = System.IO.File.Create(file);
        var written = await pack.WriteAsync(output, application, CancellationToken.None);
        Output.WriteLine(Texts.Current.Format("audit.cli.pack-written", file, written.Events, written.Seals, written.Proofs));
        return true;
    }

    private async Task<bool> VerifyAsync(AuditInput input, AuditVerifier verifier, AuditSeals seals)
    {
        Guid? stream = null;
        if (input.StreamFlag is { } text)
        {
            if (!Guid.TryParse(text, CultureInfo.InvariantCulture, out var parsed))
            {
                await Console.Error.WriteLineAsync(Texts.Current.Format("audit.cli.not-a-stream", text));
                return false;
            }

            stream = parsed;
        }

        var report = await CommandConsole.WithProgressAsync(progress => verifier.VerifyAsync(stream, CommandConsole.ForAudit(progress), CancellationToken.None));
        var texts = Texts.Current;
        Output.WriteLine(AuditVerifier.Summarize(report, texts));
        foreach (var link in report.Broken)
        {
            Output.WriteLine(texts.Format("audit.cli.broken-link", link.StreamId, link.Version, link.Sequence?.ToString(CultureInfo.InvariantCulture) ?? "-", link.Kind, link.Detail));
        }

        foreach (var seal in report.FailedSeals)
        {
            Output.WriteLine(texts.Format("audit.cli.failed-seal", seal.SealId, string.Join(" ", seal.Problems)));
        }

        var intact = report.Intact;
        if (input.SealFlag is { } file)
        {
            var exported = JsonNode.Parse(await System.IO.File.ReadAllTextAsync(file)) as JsonObject;
            var (statement, signature, problem) = exported is null ? (null, null, null) : SealStatement.Read(exported);
            if (statement is null || signature is null)
            {
                Output.WriteLine(texts.Format("audit.cli.seal-file", file, problem is null ? texts["audit.cli.not-json"] : texts.Say(problem)));
                return false;
            }

            var check = await seals.CheckExportedAsync(statement, signature, CancellationToken.None);
            Output.WriteLine(check.Intact
                ? texts.Format("audit.cli.seal-file-intact", file, check.SealId, check.CountNow, check.RootNow)
                : texts.Format("audit.cli.seal-file-broken", file, check.SealId, string.Join(" ", check.Problems)));
            intact &= check.Intact;
        }

        return intact;
    }
}
