using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;

namespace ChatMvc.Accounts;

// Creating an account, from the Register page or the API. The email doubles as the user name.
public sealed class AccountRegistration(UserManager<ChatUser> users, IEmailSender<ChatUser> emailSender, LinkGenerator links)
{
    // The users table's email column; Identity itself sets no limit.
    public const int MaxEmailLength = 256;

    public bool RequiresConfirmation => users.Options.SignIn.RequireConfirmedAccount;

    public async Task<(IdentityResult Result, ChatUser User)> RegisterAsync(
        HttpContext http, string email, string displayName, string password, string? returnUrl = null)
    {
        var user = new ChatUser
        {
            UserName = email,
            Email = email,
            DisplayName = displayName,
            // Without confirmation the deployment trusts the address as typed. Marking it confirmed is also what
            // lets the shipped Forgot password page send a reset link, which it sends only to confirmed addresses.
            EmailConfirmed = !RequiresConfirmation,
        };
        var result = email.Length > MaxEmailLength
            ? IdentityResult.Failed(new IdentityError
            {
                Code = nameof(IdentityErrorDescriber.InvalidEmail),
                Description = $"An email address can be at most {MaxEmailLength} characters.",
            })
            : await users.CreateAsync(user, password);
        if (result.Succeeded && RequiresConfirmation)
        {
            var userId = await users.GetUserIdAsync(user);
            var code = WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(await users.GenerateEmailConfirmationTokenAsync(user)));
            var callbackUrl = links.GetUriByPage(
                http, "/Account/ConfirmEmail", handler: null, values: new { area = "Identity", userId, code, returnUrl })
                ?? throw new InvalidOperationException("The ConfirmEmail page has no route.");
            await emailSender.SendConfirmationLinkAsync(user, email, HtmlEncoder.Default.Encode(callbackUrl));
        }

        return (result, user);
    }
}
