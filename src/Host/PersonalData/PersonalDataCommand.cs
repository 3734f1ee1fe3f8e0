using System.Globalization;
using JasperFx.CommandLine;
using Marten;
using Merit.Recruitment;

namespace Merit.PersonalData;

public sealed class PersonalDataInput : NetCoreInput
{
    [Description("erase | access-log")]
    public string Action { get; set; } = "";

    [Description("The application whose person is meant (its id)")]
    [FlagAlias("application")]
    public string? ApplicationFlag { get; set; }

    [Description("access-log: the person's pseudonym (the person id the events carry)")]
    [FlagAlias("person")]
    public string? PersonFlag { get; set; }

    [Description("erase: the legal basis (subject-request, consent-withdrawn, purpose-ended, retention-expired, unlawful-processing, court-order)")]
    [FlagAlias("basis")]
    public string BasisFlag { get; set; } = "";

    [Description("erase: the request letter or ticket number (no names)")]
    [FlagAlias("reference")]
    public string ReferenceFlag { get; set; } = "";

    [Description("erase: the admin who erases, recorded on the erasure event")]
    [FlagAlias("actor")]
    public string ActorFlag { get; set; } = "cli";

    [Description("access-log: from this moment (ISO 8601, inclusive)")]
    [FlagAlias("from")]
    public string? FromFlag { get; set; }

    [Description("access-log: up to this moment (ISO 8601, exclusive)")]
    [FlagAlias("to")]
    public string? ToFlag { get; set; }
}

/// <summary>
/// <c>merit personal-data erase --application ID --basis CODE --reference REF [--actor NAME]</c> and
/// <c>merit personal-data access-log [--application ID | --person ID] [--from T] [--to T]</c> (docs/adr/0014).
/// </summary>
[Description("Erase a person's personal data (destroy their key), or list the personal-data access log", Name = "personal-data")]
public sealed class PersonalDataCommand : JasperFxAsyncCommand<PersonalDataInput>
{
    public override async Task<bool> Execute(PersonalDataInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var host = input.BuildHost();
        await host.StartAsync();
        try
        {
            var store = host.Services.GetRequiredService<IDocumentStore>();
            Guid? person = Guid.TryParse(input.PersonFlag, CultureInfo.InvariantCulture, out var given) ? given : null;
            if (input.ApplicationFlag is { } text)
            {
                await using var query = store.QuerySession();
                if (!Guid.TryParse(text, CultureInfo.InvariantCulture, out var applicationId) || await query.LoadAsync<Application>(applicationId) is not { } application)
                {
                    await Console.Error.WriteLineAsync($"No application {text}.");
                    return false;
                }

                person = application.PersonId;
            }

            return input.Action switch
            {
                "erase" when person is { } id => await EraseAsync(host.Services.GetRequiredService<PersonalDataErasure>(), id, input),
                "access-log" => await ListAsync(host.Services.GetRequiredService<PersonalDataAccessLog>(), person, input),
                _ => await UsageAsync(),
            };
        }
        finally
        {
            await host.StopAsync();
        }
    }

    private static async Task<bool> EraseAsync(PersonalDataErasure erasure, Guid person, PersonalDataInput input)
    {
        var outcome = await erasure.EraseAsync(person, input.ActorFlag, input.BasisFlag, input.ReferenceFlag, CancellationToken.None);
        if (outcome.Refusal is { } refusal)
        {
            await Console.Error.WriteLineAsync($"Not erased: {refusal.Message} [{refusal.Code}]");
            return false;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"person {person}: {(outcome.AlreadyErased ? "already erased" : "erased")} at {outcome.ErasedAt:O} ({outcome.LegalBasis})"));
        return true;
    }

    private static async Task<bool> ListAsync(PersonalDataAccessLog log, Guid? person, PersonalDataInput input)
    {
        DateTimeOffset? from = input.FromFlag is null ? null : DateTimeOffset.Parse(input.FromFlag, CultureInfo.InvariantCulture);
        DateTimeOffset? to = input.ToFlag is null ? null : DateTimeOffset.Parse(input.ToFlag, CultureInfo.InvariantCulture);
        foreach (var entry in await log.ListAsync(person, from, to, PersonalDataAccessLog.MaximumEntries, CancellationToken.None))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{entry.At:O}\t{entry.Sequence}\t{entry.PersonId}\t{entry.Kind}\t{entry.Actor}\t{entry.Why}\t{entry.Through}"));
        }

        return true;
    }

    private static async Task<bool> UsageAsync()
    {
        await Console.Error.WriteLineAsync("usage: merit personal-data erase --application ID --basis CODE --reference REF [--actor NAME]");
        await Console.Error.WriteLineAsync("       merit personal-data access-log [--application ID | --person ID] [--from ISO] [--to ISO]");
        return false;
    }
}
