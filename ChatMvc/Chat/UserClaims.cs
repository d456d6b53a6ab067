using System.Globalization;
using System.Security.Claims;

namespace ChatMvc.Chat;

public static class UserClaims
{
    // The signed-in user's id, read from the cookie without a database query.
    public static long UserId(this ClaimsPrincipal user) =>
        long.Parse(user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("Not signed in."), CultureInfo.InvariantCulture);
}
