using System.ComponentModel.DataAnnotations;
using System.Text;
using System.Text.Encodings.Web;
using ChatMvc.Accounts;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.WebUtilities;

namespace ChatMvc.Areas.Identity.Pages.Account;

// Replaces the Identity UI Register page to ask for a display name as well.
[AllowAnonymous]
public sealed class RegisterModel(
    UserManager<ChatUser> userManager,
    SignInManager<ChatUser> signInManager,
    IEmailSender<ChatUser> emailSender,
    ILogger<RegisterModel> logger) : PageModel
{
    [BindProperty]
    public InputModel Input { get; set; } = new();

    public string? ReturnUrl { get; set; }

    public IList<AuthenticationScheme> ExternalLogins { get; private set; } = [];

    public string PasswordHint
    {
        get
        {
            var rules = userManager.Options.Password;
            var kinds = new List<string>();
            if (rules.RequireUppercase)
            {
                kinds.Add("an upper-case letter");
            }

            if (rules.RequireLowercase)
            {
                kinds.Add("a lower-case letter");
            }

            if (rules.RequireDigit)
            {
                kinds.Add("a digit");
            }

            if (rules.RequireNonAlphanumeric)
            {
                kinds.Add("a symbol");
            }

            var length = Math.Max(rules.RequiredLength, InputModel.MinimumPasswordLength);
            return kinds.Count == 0
                ? $"At least {length} characters."
                : $"At least {length} characters, including {string.Join(", ", kinds[..^1])}{(kinds.Count > 1 ? " and " : string.Empty)}{kinds[^1]}.";
        }
    }

    public async Task OnGetAsync(string? returnUrl = null)
    {
        ReturnUrl = returnUrl;
        ExternalLogins = (await signInManager.GetExternalAuthenticationSchemesAsync()).ToList();
    }

    public async Task<IActionResult> OnPostAsync(string? returnUrl = null)
    {
        returnUrl = returnUrl is not null && Url.IsLocalUrl(returnUrl) ? returnUrl : Url.Content("~/");
        ReturnUrl = returnUrl;
        ExternalLogins = (await signInManager.GetExternalAuthenticationSchemesAsync()).ToList();
        if (!ModelState.IsValid)
        {
            return Page();
        }

        var requireConfirmation = userManager.Options.SignIn.RequireConfirmedAccount;
        var user = new ChatUser
        {
            UserName = Input.Email,
            Email = Input.Email,
            DisplayName = Input.DisplayName,
            // Without confirmation the deployment trusts the address as typed. Marking it confirmed is also what
            // lets the shipped Forgot password page send a reset link, which it sends only to confirmed addresses.
            EmailConfirmed = !requireConfirmation,
        };
        var result = await userManager.CreateAsync(user, Input.Password);
        if (!result.Succeeded)
        {
            foreach (var error in result.Errors)
            {
                ModelState.AddModelError(string.Empty, error.Description);
            }

            return Page();
        }

        logger.LogInformation("User {UserId} created a new account with password.", user.Id);

        if (requireConfirmation)
        {
            var userId = await userManager.GetUserIdAsync(user);
            var code = await userManager.GenerateEmailConfirmationTokenAsync(user);
            code = WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(code));
            var callbackUrl = Url.Page(
                "/Account/ConfirmEmail",
                pageHandler: null,
                values: new { area = "Identity", userId, code, returnUrl },
                protocol: Request.Scheme)!;
            await emailSender.SendConfirmationLinkAsync(user, Input.Email, HtmlEncoder.Default.Encode(callbackUrl));
            return RedirectToPage("RegisterConfirmation", new { email = Input.Email, returnUrl });
        }

        await signInManager.SignInAsync(user, isPersistent: false);
        return LocalRedirect(returnUrl);
    }

    // An attribute on the named field, present only when that field failed validation.
    public string? InvalidFlag(string key) =>
        ModelState.TryGetValue(key, out var entry) && entry.Errors.Count > 0 ? "true" : null;

    public sealed class InputModel
    {
        public const int MinimumPasswordLength = 6;

        private string displayName = string.Empty;

        [Required(ErrorMessage = "Enter your email address.")]
        [EmailAddress(ErrorMessage = "Enter an email address like name@example.com.")]
        [Display(Name = "Email")]
        public string Email { get; set; } = string.Empty;

        // Trimmed as it is bound, so "required" and the length limit judge the name as it will be shown.
        [Required(ErrorMessage = "Enter a display name.")]
        [StringLength(100, ErrorMessage = "The display name can be at most {1} characters long.")]
        [Display(Name = "Display name")]
        public string DisplayName
        {
            get => displayName;
            set => displayName = value?.Trim() ?? string.Empty;
        }

        [Required(ErrorMessage = "Enter a password.")]
        [StringLength(100, ErrorMessage = "The {0} must be at least {2} and at most {1} characters long.", MinimumLength = MinimumPasswordLength)]
        [DataType(DataType.Password)]
        [Display(Name = "Password")]
        public string Password { get; set; } = string.Empty;

        [DataType(DataType.Password)]
        [Display(Name = "Confirm password")]
        [Compare(nameof(Password), ErrorMessage = "The password and confirmation password do not match.")]
        public string? ConfirmPassword { get; set; }
    }
}
