using System.Globalization;
using System.Security.Claims;

namespace ChatMvc.Chat;

public static class UserClaims
{
    public const string DisplayNameClaim = "display_name";

    public const string AdministratorClaim = "administrator";

    public static string DisplayName(this ClaimsPrincipal user) =>
        user.FindFirstValue(DisplayNameClaim) ?? user.Identity?.Name ?? string.Empty;

    // Whether the person was an administrator when they signed in: enough to show the way to the admin area. What an
    // administrator may do is decided by Administration.IsAdminAsync, which reads the database, so a demotion or
    // deactivation counts at once.
    public static bool IsAdmin(this ClaimsPrincipal user) => user.HasClaim(AdministratorClaim, "true");

    // The signed-in user's id, read from the cookie without a database query.
    public static long UserId(this ClaimsPrincipal user) =>
        long.Parse(user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("Not signed in."), CultureInfo.InvariantCulture);
}
