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
    IUserConfirmation<ChatUser> confirmation,
    AccountSessions sessions,
    IOptions<SingleSignOnOptions> singleSignOn)
    : SignInManager<ChatUser>(userManager, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
{
    // A hash of a password nobody knows, checked against what an unknown email typed so that it costs what a
    // real account's check costs. Made with the app's own hasher settings on first use.
    private static string? unknownAccountHash;

    // One answer for every failed password sign-in, whatever the reason: the pages and the API show it alike.
    public static string FailureMessage(IdentityOptions options) =>
        $"The email or password is incorrect, or the account is locked for {options.Lockout.DefaultLockoutTimeSpan.TotalMinutes:0} minutes "
        + $"after {options.Lockout.MaxFailedAccessAttempts} wrong passwords in a row.";

    // Identity answers an unknown email at once, without hashing: ~2 ms against ~100 ms for a real account's
    // wrong password, which tells anyone which addresses have accounts.
    public override async Task<SignInResult> PasswordSignInAsync(string userName, string password, bool isPersistent, bool lockoutOnFailure)
    {
        var user = await UserManager.FindByNameAsync(userName);
        if (user is null)
        {
            SpendAPasswordCheck(password);
            return SignInResult.Failed;
        }

        return await PasswordSignInAsync(user, password, isPersistent, lockoutOnFailure);
    }

    // Under Authentication:Oidc:Only a person who may not use a password learns so only after typing the right one,
    // so that the answer tells nobody else which addresses have accounts.
    public override async Task<SignInResult> PasswordSignInAsync(ChatUser user, string password, bool isPersistent, bool lockoutOnFailure)
    {
        // Identity refuses a deactivated account before it checks the password, which would tell anyone who knows the
        // address that it was deactivated. The password is checked first; only its owner learns why they cannot sign in.
        if (user.DeactivatedAt is not null)
        {
            if (!await UserManager.CheckPasswordAsync(user, password))
            {
                return SignInResult.Failed;
            }

            Context.Items[PasswordSignIn.DeactivatedKey] = true;
            return SignInResult.NotAllowed;
        }

        if (PasswordSignIn.AllowedFor(user, singleSignOn.Value))
        {
            return await base.PasswordSignInAsync(user, password, isPersistent, lockoutOnFailure);
        }

        var check = await CheckPasswordSignInAsync(user, password, lockoutOnFailure);
        if (!check.Succeeded)
        {
            return check;
        }

        Context.Items[PasswordSignIn.RefusedKey] = true;
        return SignInResult.NotAllowed;
    }

    // The shipped Login page passes lockoutOnFailure: false, which would let anyone guess passwords forever.
    // Every password check counts towards the lockout instead, whatever the caller asked for.
    // Identity also answers a locked or disabled account before checking the password, quickly and with an answer of
    // its own ("locked out", "not allowed") that an unknown email never gets. Here both cost a password check, a
    // locked account answers as a wrong password does (whatever was typed, so the lockout still stops guessing),
    // and a disabled account says so only to someone who typed its password.
    public override async Task<SignInResult> CheckPasswordSignInAsync(ChatUser user, string password, bool lockoutOnFailure)
    {
        if (await IsLockedOut(user))
        {
            SpendAPasswordCheck(password);
            return SignInResult.Failed;
        }

        if (!await CanSignInAsync(user))
        {
            if (await UserManager.CheckPasswordAsync(user, password))
            {
                return SignInResult.NotAllowed;
            }

            await UserManager.AccessFailedAsync(user);
            return SignInResult.Failed;
        }

        var result = await base.CheckPasswordSignInAsync(user, password, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            await sessions.WarmAsync(user.Id);
        }

        return result.IsLockedOut ? SignInResult.Failed : result;
    }

    // Every signed-in request checks the person's session state in the cache; reading it into the cache here, while
    // signing in already costs a password check, keeps the first poll after a sign-in free of SQL.
    public override async Task SignInWithClaimsAsync(ChatUser user, AuthenticationProperties? authenticationProperties, IEnumerable<System.Security.Claims.Claim> additionalClaims)
    {
        await base.SignInWithClaimsAsync(user, authenticationProperties, additionalClaims);
        await sessions.WarmAsync(user.Id);
    }

    // A deactivated account keeps its row (and its messages' sender) but may no longer sign in.
    public override async Task<bool> CanSignInAsync(ChatUser user) =>
        user.DeactivatedAt is null && await base.CanSignInAsync(user);

    private void SpendAPasswordCheck(string password)
    {
        var nobody = new ChatUser();
        unknownAccountHash ??= UserManager.PasswordHasher.HashPassword(nobody, Guid.NewGuid().ToString());
        UserManager.PasswordHasher.VerifyHashedPassword(nobody, unknownAccountHash, password);
    }
}
