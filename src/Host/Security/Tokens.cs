using System.IdentityModel.Tokens.Jwt;
using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace Merit.Security;

/// <summary>
/// Bearer tokens (JWT, HMAC-SHA256) signed with the key from configuration (Merit:Auth:SigningKey, base64, at least
/// 32 bytes); in development a key generated on first run and kept outside the repository.
/// </summary>
public sealed class Tokens(SymmetricSecurityKey key, TimeProvider clock)
{
    public const string Issuer = "merit";
    public const string Audience = "merit";

    /// <summary>The claim listing the rounds (codes) a committee member may decide in; "*" for all.</summary>
    public const string ScopeClaim = "scope";

    /// <summary>The claim listing the instansi (codes) whose career, JPT and relocation cases the token reaches; "*" for all.</summary>
    public const string InstansiClaim = "instansi";

    public SymmetricSecurityKey Key => key;

    /// <summary>A signed token; <paramref name="instansi"/> null reaches every instansi ("*").</summary>
    public string Issue(string subject, IEnumerable<string> roles, IEnumerable<string> scopes, TimeSpan lifetime, IEnumerable<string>? instansi = null)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var claims = new List<Claim> { new(JwtRegisteredClaimNames.Sub, subject), new(JwtRegisteredClaimNames.Jti, Guid.NewGuid().ToString("N")) };
        claims.AddRange(roles.Select(r => new Claim("role", r)));
        claims.AddRange(scopes.Select(s => new Claim(ScopeClaim, s)));
        claims.AddRange((instansi ?? ["*"]).Select(i => new Claim(InstansiClaim, i)));
        var token = new JwtSecurityToken(Issuer, Audience, claims, now, now.Add(lifetime), new SigningCredentials(key, SecurityAlgorithms.HmacSha256));
        return new JwtSecurityTokenHandler().WriteToken(token);
    }

    public TokenValidationParameters ValidationParameters() => new()
    {
        ValidIssuer = Issuer,
        ValidAudience = Audience,
        IssuerSigningKey = key,
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        NameClaimType = "sub",
        RoleClaimType = "role",
        ClockSkew = TimeSpan.FromSeconds(30),
    };

    public static SymmetricSecurityKey ResolveKey(IConfiguration configuration, string developmentKeyFile)
    {
        if (configuration["Merit:Auth:SigningKey"] is { } configured)
        {
            var bytes = Convert.FromBase64String(configured);
            if (bytes.Length < 32)
            {
                throw new InvalidOperationException("Merit:Auth:SigningKey must hold at least 32 bytes.");
            }

            return new SymmetricSecurityKey(bytes);
        }

        if (!File.Exists(developmentKeyFile))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(developmentKeyFile)!);
            File.WriteAllText(developmentKeyFile, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(developmentKeyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }

        return new SymmetricSecurityKey(Convert.FromBase64String(File.ReadAllText(developmentKeyFile).Trim()));
    }
}
