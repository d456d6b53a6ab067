using System.ComponentModel.DataAnnotations;
using ChatMvc.Accounts;
using ChatMvc.Chat;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ChatMvc.Areas.Identity.Pages.Account;

// Replaces the Identity UI Register page to ask for a display name as well.
[AllowAnonymous]
public sealed class RegisterModel(
    UserManager<ChatUser> userManager,
    SignInManager<ChatUser> signInManager,
    AccountRegistration registration,
    RegistrationPolicy policy,
    ILogger<RegisterModel> logger) : PageModel
{
    [BindProperty]
    public InputModel Input { get; set; } = new();

    public string? ReturnUrl { get; set; }

    // The join link's code, carried through the form (registration mode "invite").
    [BindProperty(SupportsGet = true, Name = "join")]
    public string? JoinCode { get; set; }

    // Why this page cannot create an account now (null: it can): shown in place of the form.
    public string? ClosedReason { get; private set; }

    public IReadOnlyList<string> AllowedEmailDomains { get; private set; } = [];

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
        await ReadPolicyAsync();
    }

    private async Task ReadPolicyAsync()
    {
        var settings = await policy.ReadAsync();
        ClosedReason = RegistrationPolicy.ClosedReason(settings, JoinVia.Password, JoinCode);
        AllowedEmailDomains = settings.AllowedEmailDomains;
    }

    public async Task<IActionResult> OnPostAsync(string? returnUrl = null)
    {
        returnUrl = returnUrl is not null && Url.IsLocalUrl(returnUrl) ? returnUrl : Url.Content("~/");
        ReturnUrl = returnUrl;
        ExternalLogins = (await signInManager.GetExternalAuthenticationSchemesAsync()).ToList();
        await ReadPolicyAsync();
        if (ClosedReason is not null)
        {
            Response.StatusCode = StatusCodes.Status403Forbidden;
            return Page();
        }

        // The rule the profile page and the API apply too.
        if (ModelState.IsValid && ProfileChanges.NormalizeDisplayName(Input.DisplayName, out var nameError) is null)
        {
            ModelState.AddModelError("Input.DisplayName", nameError!);
        }

        if (!ModelState.IsValid)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var (result, user) = await registration.RegisterAsync(
            HttpContext, Input.Email, Input.DisplayName, Input.Password, returnUrl, joinCode: JoinCode);
        if (!result.Succeeded)
        {
            foreach (var error in result.Errors)
            {
                ModelState.AddModelError(error.Code == AccountRegistration.DomainCode ? "Input.Email" : string.Empty, error.Description);
            }

            // Closed while the form was open: the page now says why instead of showing the form.
            if (result.Errors.Any(e => e.Code == AccountRegistration.ClosedCode))
            {
                await ReadPolicyAsync();
                Response.StatusCode = StatusCodes.Status403Forbidden;
                return Page();
            }

            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        logger.LogInformation("User {UserId} created a new account with password.", user.Id);

        if (registration.RequiresConfirmation)
        {
            return RedirectToPage("RegisterConfirmation", new { email = Input.Email, returnUrl });
        }

        await signInManager.SignInAsync(user, isPersistent: false);
        return LocalRedirect(returnUrl);
    }

    // An attribute on the named field, present only when that field failed validation.
    public string? InvalidFlag(string key) => ModelState.InvalidFlag(key);

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
