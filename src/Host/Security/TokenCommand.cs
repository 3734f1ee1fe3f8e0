using JasperFx.CommandLine;
using Merit.CommandLine;
using Merit.Localization;

namespace Merit.Security;

/// <summary>The input of <c>merit token</c>; its arguments and options are described in the language catalogue, <c>help.token.*</c> (<see cref="Merit.CommandLine.CommandHelp"/>).</summary>
public sealed class TokenInput : NetCoreInput
{
    public string Action { get; set; } = "issue";

    [FlagAlias("role")]
    public string RoleFlag { get; set; } = "";

    [FlagAlias("subject")]
    public string SubjectFlag { get; set; } = "";

    [FlagAlias("scope")]
    public string ScopeFlag { get; set; } = "*";

    [FlagAlias("instansi")]
    public string InstansiFlag { get; set; } = "*";

    [FlagAlias("hours")]
    public int HoursFlag { get; set; } = 8;
}

/// <summary><c>merit token issue --role R --subject S [--scope CPNS-2024] [--instansi CODE] [--hours N]</c>: a bearer token for development and tests, alone on standard output.</summary>
[Description("Issue a bearer token (development and tests)", Name = "token")]
public sealed class TokenCommand : MeritCommand<TokenInput>
{
    private const int MaximumHours = 720;

    public TokenCommand() => Usage(Texts.Current["help.token.usage.1"]).Arguments(x => x.Action);

    protected override Task<bool> RunAsync(TokenInput input, IServiceProvider services)
    {
        var roles = input.RoleFlag.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (input.Action != "issue")
        {
            throw new CommandRefusedException(Texts.Current.Format("token.cli.unknown-action", input.Action));
        }

        if (roles.Length == 0)
        {
            throw new CommandRefusedException(Texts.Current.Format("token.cli.role-required", string.Join(", ", Roles.All)));
        }

        if (roles.FirstOrDefault(r => !Roles.All.Contains(r)) is { } unknown)
        {
            throw new CommandRefusedException(Texts.Current.Format("token.cli.unknown-role", unknown, string.Join(", ", Roles.All)));
        }

        if (string.IsNullOrWhiteSpace(input.SubjectFlag))
        {
            throw new CommandRefusedException(Texts.Current["token.cli.subject-required"]);
        }

        if (input.HoursFlag is < 1 or > MaximumHours)
        {
            throw new CommandRefusedException(Texts.Current.Format("token.cli.hours", MaximumHours, input.HoursFlag));
        }

        var scopes = input.ScopeFlag.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var instansi = input.InstansiFlag.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Output.WriteLine(services.GetRequiredService<Tokens>().Issue(input.SubjectFlag, roles, scopes, TimeSpan.FromHours(input.HoursFlag), instansi));
        return Task.FromResult(true);
    }
}
