using ChatMvc.Accounts;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ChatMvc.Areas.Identity.Pages.Account.Manage;

// Replaces the Identity UI page, which hides the last login's Remove button but removes it when asked anyway.
public sealed class ExternalLoginsModel(UserManager<ChatUser> users, SignInManager<ChatUser> signIn, ExternalAccounts accounts) : PageModel
{
    public IList<UserLoginInfo> CurrentLogins { get; private set; } = [];

    public IList<AuthenticationScheme> OtherLogins { get; private set; } = [];

    public bool CanRemove { get; private set; }

    [TempData]
    public string? StatusMessage { get; set; }

    public async Task<IActionResult> OnGetAsync()
    {
        if (await users.GetUserAsync(User) is not { } user)
        {
            return Challenge();
        }

        CurrentLogins = await users.GetLoginsAsync(user);
        OtherLogins = (await signIn.GetExternalAuthenticationSchemesAsync())
            .Where(scheme => CurrentLogins.All(login => login.LoginProvider != scheme.Name))
            .ToList();
        CanRemove = await accounts.CanRemoveLoginAsync(user);
        return Page();
    }

    public async Task<IActionResult> OnPostRemoveLoginAsync(string? loginProvider, string? providerKey)
    {
        if (await users.GetUserAsync(User) is not { } user)
        {
            return Challenge();
        }

        var logins = await users.GetLoginsAsync(user);
        if (logins.FirstOrDefault(l => l.LoginProvider == loginProvider && l.ProviderKey == providerKey) is not { } login)
        {
            StatusMessage = "Error: that sign-in service is not linked to your account.";
        }
        else if (!await accounts.CanRemoveLoginAsync(user))
        {
            StatusMessage = "Error: this is your only way to sign in, so it stays linked. Set a password or link another service first.";
        }
        else
        {
            await users.RemoveLoginAsync(user, login.LoginProvider, login.ProviderKey);
            await signIn.RefreshSignInAsync(user);
            StatusMessage = $"{login.ProviderDisplayName ?? login.LoginProvider} is no longer linked to your account.";
        }

        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostLinkLoginAsync(string? provider)
    {
        var schemes = await signIn.GetExternalAuthenticationSchemesAsync();
        if (provider is null || !schemes.Any(s => s.Name == provider))
        {
            StatusMessage = "Error: that sign-in service is not available.";
            return RedirectToPage();
        }

        await HttpContext.SignOutAsync(IdentityConstants.ExternalScheme);
        var redirectUrl = Url.Page("./ExternalLogins", pageHandler: "LinkLoginCallback");
        var properties = signIn.ConfigureExternalAuthenticationProperties(provider, redirectUrl, users.GetUserId(User));
        return new ChallengeResult(provider, properties);
    }

    public async Task<IActionResult> OnGetLinkLoginCallbackAsync()
    {
        if (await users.GetUserAsync(User) is not { } user)
        {
            return Challenge();
        }

        if (await signIn.GetExternalLoginInfoAsync(await users.GetUserIdAsync(user)) is not { } login)
        {
            StatusMessage = "Error: the link expired before it was finished. Try again.";
        }
        else if (await users.FindByLoginAsync(login.LoginProvider, login.ProviderKey) is { } owner)
        {
            StatusMessage = owner.Id == user.Id
                ? $"{login.ProviderDisplayName} is already linked to your account."
                : $"Error: that {login.ProviderDisplayName} account is already linked to another account here.";
        }
        else
        {
            var added = await users.AddLoginAsync(user, login);
            StatusMessage = added.Succeeded
                ? $"{login.ProviderDisplayName} is linked: you can sign in with it from now on."
                : "Error: " + string.Join(" ", added.Errors.Select(e => e.Description));
        }

        await HttpContext.SignOutAsync(IdentityConstants.ExternalScheme);
        return RedirectToPage();
    }
}
