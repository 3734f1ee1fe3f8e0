using System.Globalization;
using JasperFx.CommandLine;
using Merit.CommandLine;
using Marten;
using Merit.Recruitment;
using Merit.Localization;

namespace Merit.PersonalData;

/// <summary>The input of <c>merit personal-data</c>; its arguments and options are described in the language catalogue, <c>help.personal-data.*</c> (<see cref="Merit.CommandLine.CommandHelp"/>).</summary>
public sealed class PersonalDataInput : NetCoreInput
{
    public string Action { get; set; } = "";

    [FlagAlias("application")]
    public string? ApplicationFlag { get; set; }

    [FlagAlias("person")]
    public string? PersonFlag { get; set; }

    [FlagAlias("basis")]
    public string BasisFlag { get; set; } = "";

    [FlagAlias("reference")]
    public string ReferenceFlag { get; set; } = "";

    [FlagAlias("actor")]
    public string ActorFlag { get; set; } = "cli";

    [FlagAlias("from")]
    public string? FromFlag { get; set; }

    [FlagAlias("to")]
    public string? ToFlag { get; set; }
}

/// <summary>
/// <c>merit personal-data erase --application ID --basis CODE --reference REF [--actor NAME]</c> and
/// <c>merit personal-data access-log [--application ID | --person ID] [--from T] [--to T]</c> (docs/adr/0014).
/// </summary>
[Description("Erase a person's personal data (destroy their key), or list the personal-data access log", Name = "personal-data")]
public sealed class PersonalDataCommand : MeritCommand<PersonalDataInput>
{
    public PersonalDataCommand()
    {
        Usage(Texts.Current["help.personal-data.usage.1"]).Arguments(x => x.Action);
    }

    protected override async Task<bool> RunAsync(PersonalDataInput input, IServiceProvider services)
    {
        var store = await StoreAsync(services);
        Guid? person = null;
        if (input.PersonFlag is { } personText)
        {
            person = Guid.TryParse(personText, CultureInfo.InvariantCulture, out var given) ? given : throw new CommandRefusedException(Texts.Current.Format("personal-data.cli.not-a-person", personText));
        }

        if (input.ApplicationFlag is { } text)
        {
            await using var query = store.QuerySession();
            if (!Guid.TryParse(text, CultureInfo.InvariantCulture, out var applicationId) || await query.LoadAsync<Application>(applicationId) is not { } application)
            {
                throw new CommandRefusedException(Texts.Current.Format("personal-data.cli.no-application", text));
            }

            person = application.PersonId;
        }

        return input.Action switch
        {
            "erase" when person is { } id => await EraseAsync(services.GetRequiredService<PersonalDataErasure>(), id, input),
            "erase" => throw new CommandRefusedException(Texts.Current["personal-data.cli.erase-needs"]),
            "access-log" => await ListAsync(services.GetRequiredService<PersonalDataAccessLog>(), person, input),
            _ => throw new CommandRefusedException(Texts.Current.Format("personal-data.cli.unknown-action", input.Action)),
        };
    }

    private async Task<bool> EraseAsync(PersonalDataErasure erasure, Guid person, PersonalDataInput input)
    {
        var outcome = await erasure.EraseAsync(person, input.ActorFlag, input.BasisFlag, input.ReferenceFlag, CancellationToken.None);
        if (outcome.Refusal is { } refusal)
        {
            throw new CommandRefusedException(Texts.Current.Format("personal-data.cli.not-erased", Texts.Current.Say(refusal), refusal.Code));
        }

        Output.WriteLine(Texts.Current.Format(outcome.AlreadyErased ? "personal-data.cli.already-erased" : "personal-data.cli.erased", person, outcome.ErasedAt, outcome.LegalBasis));
        return true;
    }

    private async Task<bool> ListAsync(PersonalDataAccessLog log, Guid? person, PersonalDataInput input)
    {
        var from = Moment("--from", input.FromFlag);
        var to = Moment("--to", input.ToFlag);
        foreach (var entry in await log.ListAsync(person, from, to, PersonalDataAccessLog.MaximumEntries, CancellationToken.None))
        {
            Output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{entry.At:O}\t{entry.Sequence}\t{entry.PersonId}\t{entry.Kind}\t{entry.Actor}\t{entry.Why}\t{entry.Through}"));
        }

        return true;
    }

    /// <summary>An ISO 8601 moment, with its offset (WIB: +07:00) or in UTC; converted to UTC for the database.</summary>
    private static DateTimeOffset? Moment(string flag, string? text) =>
        text is null ? null
        : DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var moment) ? moment.ToUniversalTime()
        : throw new CommandRefusedException(Texts.Current.Format("personal-data.cli.not-a-moment", flag, text));
}
