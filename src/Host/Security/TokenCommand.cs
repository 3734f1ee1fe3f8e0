using JasperFx.CommandLine;
using Microsoft.Extensions.DependencyInjection;

namespace Merit.Security;

public sealed class TokenInput : NetCoreInput
{
    [Description("issue")]
    public string Action { get; set; } = "issue";

    [Description("Role(s): committee, auditor, analyst, admin (repeat the flag or separate with commas)")]
    [FlagAlias("role")]
    public string RoleFlag { get; set; } = "";

    [Description("The subject: who acts; recorded as the actor of every event appended with this token")]
    [FlagAlias("subject")]
    public string SubjectFlag { get; set; } = "";

    [Description("Round codes a committee member may decide in, comma separated; * for all")]
    [FlagAlias("scope")]
    public string ScopeFlag { get; set; } = "*";

    [Description("Lifetime in hours (default 8)")]
    [FlagAlias("hours")]
    public int HoursFlag { get; set; } = 8;
}

/// <summary><c>merit token issue --role R --subject S [--scope CPNS-2024]</c>: a bearer token for development and tests.</summary>
[Description("Issue a bearer token (development and tests)", Name = "token")]
public sealed class TokenCommand : JasperFxAsyncCommand<TokenInput>
{
    public override Task<bool> Execute(TokenInput input)
    {
        var roles = input.RoleFlag.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (input.Action != "issue" || roles.Length == 0 || roles.Any(r => !Roles.All.Contains(r)) || string.IsNullOrWhiteSpace(input.SubjectFlag))
        {
            Console.Error.WriteLine($"usage: merit token issue --role {string.Join('|', Roles.All)} --subject NAME [--scope ROUND,...] [--hours N]");
            return Task.FromResult(false);
        }

        using var host = input.BuildHost();
        var tokens = host.Services.GetRequiredService<Tokens>();
        Console.WriteLine(tokens.Issue(input.SubjectFlag, roles, input.ScopeFlag.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), TimeSpan.FromHours(input.HoursFlag)));
        return Task.FromResult(true);
    }
}
