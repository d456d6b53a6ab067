using System.Globalization;
using System.Security.Claims;

namespace ChatMvc.Chat;

public static class UserClaims
{
    public const string DisplayNameClaim = "display_name";

    public static string DisplayName(this ClaimsPrincipal user) =>
        user.FindFirstValue(DisplayNameClaim) ?? user.Identity?.Name ?? string.Empty;

    // The signed-in user's id, read from the cookie without a database query.
    public static long UserId(this ClaimsPrincipal user) =>
        long.Parse(user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("Not signed in."), CultureInfo.InvariantCulture);
}
