using System.Security.Claims;
using ChatMvc.Chat;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace ChatMvc.Accounts;

// Puts the display name (and the time zone, once picked, and being an administrator) in the cookie, so pages and
// system lines can name the person and show times without a query.
public sealed class ChatClaimsPrincipalFactory(UserManager<ChatUser> userManager, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<ChatUser>(userManager, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(ChatUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(UserClaims.DisplayNameClaim, user.DisplayName));
        if (user.IsAdmin)
        {
            identity.AddClaim(new Claim(UserClaims.AdministratorClaim, "true"));
        }

        if (user.TimeZone is { } zone)
        {
            identity.AddClaim(new Claim(TimeZones.Claim, zone));
        }

        return identity;
    }
}
