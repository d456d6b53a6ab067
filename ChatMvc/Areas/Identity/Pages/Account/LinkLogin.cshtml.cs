using System.ComponentModel.DataAnnotations;
using ChatMvc.Accounts;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ChatMvc.Areas.Identity.Pages.Account;

// The identity provider vouched for an address that already has a local account here: the person proves the
// account's password once, and the provider's login is linked to it.
[AllowAnonymous]
public sealed class LinkLoginModel(SignInManager<ChatUser> signIn, ExternalAccounts accounts) : PageModel
{
    [BindProperty]
    public InputModel Input { get; set; } = new();

    public string ProviderName => accounts.ProviderName;

    public string Email { get; private set; } = string.Empty;

    public string? ReturnUrl { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? returnUrl = null)
    {
        if (await PendingAsync() is not (_, { } user))
        {
            return Expired();
        }

        (Email, ReturnUrl) = (user.Email!, returnUrl);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string? returnUrl = null)
    {
        if (await PendingAsync() is not ({ } login, { } user))
        {
            return Expired();
        }

        (Email, ReturnUrl) = (user.Email!, returnUrl);
        if (string.IsNullOrEmpty(Input.Password))
        {
            ModelState.AddModelError("Input.Password", "Enter the password of your account here.");
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var result = await accounts.LinkAsync(user, Input.Password, login);
        if (!result.Succeeded)
        {
            ModelState.AddModelError("Input.Password", ChatSignInManager.FailureMessage(signIn.Options));
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        await HttpContext.SignOutAsync(IdentityConstants.ExternalScheme);
        return LocalRedirect(returnUrl ?? "~/");
    }

    private async Task<(ExternalLoginInfo Login, ChatUser User)?> PendingAsync() =>
        await signIn.GetExternalLoginInfoAsync() is { } login && await accounts.AccountToLinkAsync(login) is { } user
            ? (login, user)
            : null;

    private RedirectToPageResult Expired() =>
        RedirectToPage("./ExternalLogin", "Failure", new { reason = SingleSignOn.ExpiredFailure });

    public sealed class InputModel
    {
        [DataType(DataType.Password)]
        [Display(Name = "Password")]
        public string? Password { get; set; }
    }
}
