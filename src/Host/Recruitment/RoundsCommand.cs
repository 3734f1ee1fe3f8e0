using System.Globalization;
using JasperFx.CommandLine;
using Marten;
using Merit.CommandLine;
using Merit.Deciding;
using Merit.Infrastructure;
using Merit.Localization;

namespace Merit.Recruitment;

/// <summary>The input of <c>merit rounds</c>; its arguments and options are described in the language catalogue, <c>help.rounds.*</c> (<see cref="Merit.CommandLine.CommandHelp"/>).</summary>
public sealed class RoundsInput : NetCoreInput
{
    public string Action { get; set; } = "list";

    public string Code { get; set; } = "";

    [FlagAlias("rule-set")]
    public string RuleSetFlag { get; set; } = "";

    [FlagAlias("name")]
    public string? NameFlag { get; set; }

    [FlagAlias("to")]
    public string? ToFlag { get; set; }

    [FlagAlias("actor")]
    public string ActorFlag { get; set; } = "cli";
}

/// <summary>
/// <c>merit rounds open CODE --rule-set V</c>, <c>merit rounds list</c>, <c>merit rounds stage CODE [--to STAGE]</c>,
/// <c>merit rounds status CODE</c>: the same decisions as <c>POST /rounds</c> and <c>POST /rounds/{id}/stage</c>.
/// </summary>
[Description("Open a round, list the rounds, move a round to its next stage, or show where a round stands", Name = "rounds")]
public sealed class RoundsCommand : MeritCommand<RoundsInput>
{
    public RoundsCommand()
    {
        Usage(Texts.Current["help.rounds.usage.1"]).Arguments(x => x.Action);
        Usage(Texts.Current["help.rounds.usage.2"]).Arguments(x => x.Action, x => x.Code);
    }

    protected override async Task<bool> RunAsync(RoundsInput input, IServiceProvider services)
    {
        var store = await StoreAsync(services);
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        switch (input.Action)
        {
            case "list":
                await ListAsync(store);
                return true;
            case "open":
                await OpenAsync(store, input, now);
                return true;
            case "stage":
                await AdvanceAsync(store, input, now);
                return true;
            case "status":
                await StatusAsync(store, input.Code);
                return true;
            default:
                throw new CommandRefusedException(Texts.Current.Format("rounds.cli.unknown-action", input.Action));
        }
    }

    private async Task ListAsync(IDocumentStore store)
    {
        await using var query = store.QuerySession();
        var rounds = await query.Query<Round>().ToListAsync();
        Output.WriteLine("code\tid\tstage\trule_set\tname");
        foreach (var round in rounds.OrderBy(r => r.Code, StringComparer.Ordinal))
        {
            Output.WriteLine($"{round.Code}\t{round.Id}\t{round.Stage}\t{round.RuleSetVersion}\t{round.Name}");
        }
    }

    private async Task OpenAsync(IDocumentStore store, RoundsInput input, DateTimeOffset now)
    {
        var request = new OpenRoundRequest(input.Code, input.NameFlag ?? input.Code, input.RuleSetFlag);
        var invalid = new OpenRoundRequestValidator().Validate(request);
        if (!invalid.IsValid)
        {
            throw new CommandRefusedException(string.Join(" ", invalid.Errors.Select(e => e.ErrorMessage)));
        }

        await using var session = await store.OpenWriteSessionAsync(input.ActorFlag, Guid.NewGuid().ToString("N"), CancellationToken.None);
        var id = RoundDecisions.IdFor(request.Code);
        var stream = await session.Events.FetchForWriting<Round>(id);
        var decision = RoundDecisions.Open(stream.Aggregate, new OpenRound(request.Code, request.Name, request.RuleSetVersion, now));
        await AppendAsync(session, stream, decision);
        Output.WriteLine($"{request.Code}\t{id}\t{RoundStage.Announcement}");
    }

    private async Task AdvanceAsync(IDocumentStore store, RoundsInput input, DateTimeOffset now)
    {
        RoundStage? to = null;
        if (input.ToFlag is { } named)
        {
            to = Enum.TryParse<RoundStage>(named, ignoreCase: true, out var parsed) && !int.TryParse(named, CultureInfo.InvariantCulture, out _)
                ? parsed
                : throw new CommandRefusedException(Texts.Current.Format("rounds.cli.not-a-stage", named, string.Join(", ", Enum.GetNames<RoundStage>())));
        }

        await using var session = await store.OpenWriteSessionAsync(input.ActorFlag, Guid.NewGuid().ToString("N"), CancellationToken.None);
        var stream = await session.Events.FetchForWriting<Round>(RoundDecisions.IdFor(input.Code));
        var round = stream.Aggregate ?? throw new CommandRefusedException(Texts.Current.Format("rounds.cli.no-round", input.Code));
        var decision = await RoundLifecycle.AdvanceAsync(session, round, to, now, CancellationToken.None);
        await AppendAsync(session, stream, decision);
        Output.WriteLine($"{round.Code}\t{round.Stage} -> {((RoundStageAdvanced)decision.Events[0]).To}");
    }

    private async Task StatusAsync(IDocumentStore store, string code)
    {
        await using var query = store.QuerySession();
        var round = await query.LoadAsync<Round>(RoundDecisions.IdFor(code)) ?? throw new CommandRefusedException(Texts.Current.Format("rounds.cli.no-round", code));
        var formations = await query.Query<Formation>().Where(f => f.RoundId == round.Id).ToListAsync();
        var applications = await query.Query<Application>().CountAsync(a => a.RoundId == round.Id);
        var texts = Texts.Current;
        Output.WriteLine(texts.Format("rounds.status.round", round.Code));
        Output.WriteLine($"id: {round.Id}");
        Output.WriteLine(texts.Format("rounds.status.name", round.Name));
        Output.WriteLine(texts.Format("rounds.status.rule-set", round.RuleSetVersion));
        Output.WriteLine(texts.Format("rounds.status.stage", round.Stage, round.StageSince.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)));
        Output.WriteLine(texts.Format("rounds.status.next", RoundLifecycle.NextStage(round)?.ToString() ?? texts["rounds.status.closed"]));
        Output.WriteLine(texts.Format("rounds.status.formations", formations.Count, formations.Sum(f => f.Allocation)));
        Output.WriteLine(texts.Format("rounds.status.applications", applications));
        Output.WriteLine(texts.Format("rounds.status.cut-offs", formations.Count(f => f.CutOffDecided), formations.Count));
        Output.WriteLine(texts.Format("rounds.status.finals", formations.Count(f => f.FinalDecided), formations.Count));
    }

    /// <summary>Appends what was decided and commits; a refusal is the verb's one line and nothing is appended.</summary>
    private static async Task AppendAsync(IDocumentSession session, JasperFx.Events.IEventStream<Round> stream, Decision decision)
    {
        if (decision.Refusal is { } refusal)
        {
            throw new CommandRefusedException($"{Texts.Current.Say(refusal)} [{refusal.Code}]");
        }

        stream.AppendMany(decision.Events.ToArray());
        try
        {
            await session.SaveChangesAsync();
        }
        catch (JasperFx.ConcurrencyException)
        {
            throw new CommandRefusedException(Texts.Current["rounds.cli.changed"]);
        }
    }
}
