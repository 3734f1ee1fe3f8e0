using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Merit.Infrastructure;

/// <summary>
/// A development identity until bearer tokens arrive (issue 9): the acting committee member is named by the
/// <c>X-Merit-Actor</c> header, or "dev-committee". Wolverine relays the name to Marten, which stores it as the
/// user name of every appended event.
/// </summary>
public sealed class DevelopmentAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Development";
    public const string ActorHeader = "X-Merit-Actor";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var actor = Request.Headers[ActorHeader].ToString();
        if (string.IsNullOrWhiteSpace(actor) || actor.Length > 100)
        {
            actor = "dev-committee";
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, actor), new Claim(ClaimTypes.Role, "committee")], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }
}
