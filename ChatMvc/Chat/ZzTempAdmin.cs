namespace ChatMvc.Chat;

public static class ZzTempAdmin
{
    public static bool IsAdministrator(this System.Security.Claims.ClaimsPrincipal user) => user.IsInRole("never");
}
