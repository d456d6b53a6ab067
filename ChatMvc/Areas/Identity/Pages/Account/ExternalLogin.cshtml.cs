using ChatMvc.Accounts;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace ChatMvc.Areas.Identity.Pages.Account;

// Replaces the Identity UI page: the account is made from what the provider verified (never from an address typed
// here), a local account with that address is linked only after its password, and every failure ends on this page.
[AllowAnonymous]
public sealed class ExternalLoginModel(
    SignInManager<ChatUser> signIn,
    ExternalAccounts accounts,
    IOptionsMonitor<OpenIdConnectOptions> oidcOptions,
    ILogger<ExternalLoginModel> logger) : PageModel
{
    public string ProviderName => accounts.ProviderName;

    public string? Message { get; private set; }

    public IActionResult OnGet() => RedirectToPage("./Login");

    public async Task<IActionResult> OnPostAsync(string? provider, string? returnUrl = null)
    {
        var schemes = await signIn.GetExternalAuthenticationSchemesAsync();
        if (provider is null || !schemes.Any(s => s.Name == provider))
        {
            return RedirectToPage("./Login");
        }

        // The challenge reads the provider's metadata; asked here first, an unreachable provider gets this page's
        // message instead of failing the request.
        if (provider == SingleSignOn.Scheme && !await ProviderAnswersAsync(HttpContext.RequestAborted))
        {
            return Failed(SingleSignOn.UnreachableFailure);
        }

        await HttpContext.SignOutAsync(IdentityConstants.ExternalScheme);
        var redirectUrl = Url.Page("./ExternalLogin", pageHandler: "Callback", values: new { returnUrl });
        return new ChallengeResult(provider, signIn.ConfigureExternalAuthenticationProperties(provider, redirectUrl));
    }

    public async Task<IActionResult> OnGetCallbackAsync(string? returnUrl = null)
    {
        if (await signIn.GetExternalLoginInfoAsync() is not { } login)
        {
            return Failed(SingleSignOn.ExpiredFailure);
        }

        var (result, message) = await accounts.SignInAsync(login);
        switch (result)
        {
            case ExternalSignInResult.SignedIn:
                await HttpContext.SignOutAsync(IdentityConstants.ExternalScheme);
                return LocalRedirect(returnUrl ?? "~/");
            case ExternalSignInResult.NeedsLocalPassword:
                return RedirectToPage("./LinkLogin", new { returnUrl });
            default:
                await HttpContext.SignOutAsync(IdentityConstants.ExternalScheme);
                Message = message;
                Response.StatusCode = StatusCodes.Status403Forbidden;
                return Page();
        }
    }

    public IActionResult OnGetFailure(string? reason) => Failed(reason);

    private PageResult Failed(string? reason)
    {
        Message = reason switch
        {
            SingleSignOn.StateFailure =>
                $"This sign-in could not be matched to one started in this browser: it may have been used already, or started in another browser or tab. Sign in with {ProviderName} again.",
            SingleSignOn.CodeFailure =>
                $"{ProviderName} no longer accepted this sign-in: it took too long or was already used. Sign in with {ProviderName} again.",
            SingleSignOn.DeniedFailure =>
                $"The sign-in was cancelled or refused at {ProviderName}. Nothing was changed here.",
            SingleSignOn.UnreachableFailure =>
                $"{ProviderName} cannot be reached at the moment. Try again in a little while; if it keeps failing, tell an administrator.",
            SingleSignOn.ExpiredFailure =>
                $"This sign-in with {ProviderName} expired before it was finished. Sign in with {ProviderName} again.",
            _ => $"{ProviderName} answered with an error, so you were not signed in. Try again; if it keeps failing, tell an administrator.",
        };
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    private async Task<bool> ProviderAnswersAsync(CancellationToken cancellationToken)
    {
        var options = oidcOptions.Get(SingleSignOn.Scheme);
        try
        {
            await options.ConfigurationManager!.GetConfigurationAsync(cancellationToken);
            return true;
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or HttpRequestException)
        {
            logger.LogWarning(e, "The OpenID provider's metadata could not be read.");
            return false;
        }
    }
}
