using System.Security.Claims;
using ChatMvc.Chat;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace ChatMvc.Accounts;

// What the identity provider says about the person: an address it has verified, and a name.
public sealed record ExternalProfile(string? Email, bool EmailVerified, string DisplayName)
{
    public static ExternalProfile From(ClaimsPrincipal principal)
    {
        var email = First(principal, ClaimTypes.Email, "email")?.Trim();
        var verified = bool.TryParse(First(principal, "email_verified"), out var isVerified) && isVerified;
        var name = First(principal, "name", ClaimTypes.Name)
            ?? string.Join(' ', new[] { First(principal, ClaimTypes.GivenName, "given_name"), First(principal, ClaimTypes.Surname, "family_name") }
                .Where(part => !string.IsNullOrWhiteSpace(part)))
            ?? string.Empty;
        var displayName = Plain(name)
            ?? Plain(First(principal, "preferred_username"))
            ?? Plain(email?.Split('@')[0])
            ?? "New member";
        return new ExternalProfile(string.IsNullOrEmpty(email) ? null : email, verified, displayName);
    }

    private static string? First(ClaimsPrincipal principal, params string[] types) =>
        types.Select(type => principal.FindFirstValue(type)).FirstOrDefault(value => !string.IsNullOrWhiteSpace(value));

    private static string? Plain(string? name)
    {
        var trimmed = name?.Trim() ?? string.Empty;
        return ProfileChanges.NormalizeDisplayName(
            trimmed.Length > ProfileChanges.MaxDisplayNameLength ? trimmed[..ProfileChanges.MaxDisplayNameLength] : trimmed, out _);
    }
}

public enum ExternalSignInResult
{
    SignedIn,
    NeedsLocalPassword,
    Refused,
}

// Signing in through the identity provider: an account it is already linked to, a new account made from what the
// provider verified, or a local account with the same verified address once its password is proven.
public sealed class ExternalAccounts(
    UserManager<ChatUser> users, SignInManager<ChatUser> signIn, RegistrationPolicy registration, IOptions<SingleSignOnOptions> options)
{
    public string ProviderName => options.Value.DisplayName;

    public async Task<(ExternalSignInResult Result, string? Message)> SignInAsync(ExternalLoginInfo login)
    {
        var linked = await signIn.ExternalLoginSignInAsync(login.LoginProvider, login.ProviderKey, isPersistent: false, bypassTwoFactor: true);
        if (linked.Succeeded)
        {
            return (ExternalSignInResult.SignedIn, null);
        }

        if (linked.IsLockedOut || linked.IsNotAllowed)
        {
            return (ExternalSignInResult.Refused, "This account may not sign in at the moment. If you think it should, ask an administrator.");
        }

        var profile = ExternalProfile.From(login.Principal);
        if (profile.Email is null || !profile.EmailVerified)
        {
            return (ExternalSignInResult.Refused,
                $"{ProviderName} did not confirm that the email address {profile.Email ?? "of this account"} is verified, so it cannot be "
                + $"used here. Verify the address with {ProviderName} first, then sign in again.");
        }

        if (await users.FindByEmailAsync(profile.Email) is { } existing)
        {
            return await users.HasPasswordAsync(existing)
                ? (ExternalSignInResult.NeedsLocalPassword, null)
                : (ExternalSignInResult.Refused,
                    $"An account with {profile.Email} already exists here and signs in another way. Sign in to it as usual, then link "
                    + $"{ProviderName} under Account, Sign-in services.");
        }

        switch (await registration.CheckAsync(profile.Email, JoinVia.Sso))
        {
            case Outcome<RegistrationMode>.Forbidden closed:
                return (ExternalSignInResult.Refused, closed.Reason);
            case Outcome<RegistrationMode>.Invalid invalid:
                return (ExternalSignInResult.Refused, invalid.Message);
        }

        var user = new ChatUser
        {
            UserName = profile.Email,
            Email = profile.Email,
            EmailConfirmed = true,
            DisplayName = profile.DisplayName,
        };
        var created = profile.Email.Length > AccountRegistration.MaxEmailLength
            ? IdentityResult.Failed(new IdentityError { Description = $"An email address can be at most {AccountRegistration.MaxEmailLength} characters." })
            : await users.CreateAsync(user);
        if (!created.Succeeded)
        {
            return (ExternalSignInResult.Refused, "No account could be made: " + string.Join(" ", created.Errors.Select(e => e.Description)));
        }

        await users.AddLoginAsync(user, login);
        await signIn.SignInAsync(user, isPersistent: false, login.LoginProvider);
        return (ExternalSignInResult.SignedIn, null);
    }

    // The local account the provider's verified address belongs to, while it still has a password to prove.
    public async Task<ChatUser?> AccountToLinkAsync(ExternalLoginInfo login)
    {
        var profile = ExternalProfile.From(login.Principal);
        return profile is { Email: { } email, EmailVerified: true } && await users.FindByEmailAsync(email) is { } user && await users.HasPasswordAsync(user)
            ? user
            : null;
    }

    // Checked as a password sign-in is (lockout included), but signs in only after the login is linked.
    public async Task<SignInResult> LinkAsync(ChatUser user, string password, ExternalLoginInfo login)
    {
        var check = await signIn.CheckPasswordSignInAsync(user, password, lockoutOnFailure: true);
        if (!check.Succeeded)
        {
            return check;
        }

        var added = await users.AddLoginAsync(user, login);
        if (!added.Succeeded)
        {
            return SignInResult.Failed;
        }

        await signIn.SignInAsync(user, isPersistent: false, login.LoginProvider);
        return SignInResult.Success;
    }

    // Never the last way in: another linked login, or a password the person may still use.
    public async Task<bool> CanRemoveLoginAsync(ChatUser user)
    {
        var logins = await users.GetLoginsAsync(user);
        return logins.Count > 1 || (await users.HasPasswordAsync(user) && PasswordSignIn.AllowedFor(user, options.Value));
    }
}

// Under Authentication:Oidc:Only, passwords are for administrators: everyone else signs in through the provider.
public static class PasswordSignIn
{
    // Set on the request when a right password was refused for that reason, so the page and the API can say why.
    public static readonly object RefusedKey = new();

    public static bool WasRefused(HttpContext context) => context.Items.ContainsKey(RefusedKey);

    public static string RefusedMessage(SingleSignOnOptions options) =>
        $"Sign in with {options.DisplayName}: on this site passwords are only for administrators.";

    public static bool AllowedFor(ChatUser user, SingleSignOnOptions options) => !options.Only || user.IsAdmin;

    // Set on the request when the right password of a deactivated account was typed: only then is it said why.
    public static readonly object DeactivatedKey = new();

    public const string DeactivatedMessage = "This account was deactivated by an administrator: ask one of them to reactivate it.";

    public static bool WasDeactivated(HttpContext context) => context.Items.ContainsKey(DeactivatedKey);

}
