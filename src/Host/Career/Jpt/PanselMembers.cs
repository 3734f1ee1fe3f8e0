using System.Security.Claims;

namespace Merit.Career;

/// <summary>
/// A pansel member scores and declares conflicts as themself: the member code is the subject of their token (role
/// pansel-member, docs/adr/0052), so no one records a score in another member's name.
/// </summary>
public static class PanselMembers
{
    /// <summary>The caller's member code: their token's subject (empty without one, which no pansel lists).</summary>
    public static string Of(ClaimsPrincipal user) => user.Identity?.Name ?? "";
}
