using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace ChatMvc.Accounts;

public sealed class ChatSignInManager(
    UserManager<ChatUser> userManager,
    IHttpContextAccessor contextAccessor,
    IUserClaimsPrincipalFactory<ChatUser> claimsFactory,
    IOptions<IdentityOptions> optionsAccessor,
    ILogger<SignInManager<ChatUser>> logger,
    IAuthenticationSchemeProvider schemes,
    IUserConfirmation<ChatUser> confirmation)
    : SignInManager<ChatUser>(userManager, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
{
    // The shipped Login page passes lockoutOnFailure: false, which would let anyone guess passwords forever.
    // Every password check counts towards the lockout instead, whatever the caller asked for.
    public override Task<SignInResult> CheckPasswordSignInAsync(ChatUser user, string password, bool lockoutOnFailure) =>
        base.CheckPasswordSignInAsync(user, password, lockoutOnFailure: true);

    // A deactivated account keeps its row (and its messages' sender) but may no longer sign in.
    public override async Task<bool> CanSignInAsync(ChatUser user) =>
        user.DeactivatedAt is null && await base.CanSignInAsync(user);
}
