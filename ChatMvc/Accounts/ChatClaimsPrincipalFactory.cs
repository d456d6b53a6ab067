using System.Security.Claims;
using ChatMvc.Chat;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace ChatMvc.Accounts;

// Puts the display name in the cookie, so pages and system lines can name the person without a query.
public sealed class ChatClaimsPrincipalFactory(UserManager<ChatUser> userManager, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<ChatUser>(userManager, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(ChatUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(UserClaims.DisplayNameClaim, user.DisplayName));
        return identity;
    }
}
