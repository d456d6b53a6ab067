using System.Text;
using System.Text.Encodings.Web;
using ChatMvc.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;

namespace ChatMvc.Accounts;

// Creating an account, from the Register page or the API. The email doubles as the user name.
public sealed class AccountRegistration(
    UserManager<ChatUser> users, IEmailSender<ChatUser> emailSender, LinkGenerator links, PublicOrigin origin, RegistrationPolicy policy)
{
    // The codes of RegisterAsync's errors when the registration policy refuses (RegistrationPolicy).
    public const string ClosedCode = "RegistrationClosed";

    public const string DomainCode = "EmailDomainNotAllowed";

    // The users table's email column; Identity itself sets no limit.
    public const int MaxEmailLength = 256;

    public const string TakenAddressMessage =
        "This email address cannot be used for a new account. If you already have an account, sign in or reset your password.";

    public bool RequiresConfirmation => users.Options.SignIn.RequireConfirmedAccount;

    public async Task<(IdentityResult Result, ChatUser User)> RegisterAsync(
        HttpContext http, string email, string displayName, string password, string? returnUrl = null,
        JoinVia via = JoinVia.Password, string? joinCode = null)
    {
        switch (await policy.CheckAsync(email, via, joinCode))
        {
            case Chat.Outcome<RegistrationMode>.Forbidden(var reason):
                return (IdentityResult.Failed(new IdentityError { Code = ClosedCode, Description = reason }), new ChatUser());
            case Chat.Outcome<RegistrationMode>.Invalid invalid:
                return (IdentityResult.Failed(new IdentityError { Code = DomainCode, Description = invalid.Message }), new ChatUser());
        }

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
            : OneMessageForATakenAddress(await users.CreateAsync(user, password));
        if (result.Succeeded && RequiresConfirmation)
        {
            var userId = await users.GetUserIdAsync(user);
            var code = WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(await users.GenerateEmailConfirmationTokenAsync(user)));
            var (scheme, host, pathBase) = origin.Of(http.Request);
            var callbackUrl = links.GetUriByPage(
                http, "/Account/ConfirmEmail", handler: null, values: new { area = "Identity", userId, code, returnUrl }, scheme, host, pathBase)
                ?? throw new InvalidOperationException("The ConfirmEmail page has no route.");
            await emailSender.SendConfirmationLinkAsync(user, email, HtmlEncoder.Default.Encode(callbackUrl));
        }

        return (result, user);
    }

    // Identity reports a taken address twice: as the user name ("Username 'ann@example.com' is already taken") and as
    // the email. One message, with the code the API looks for, says what the person needs to know.
    private static IdentityResult OneMessageForATakenAddress(IdentityResult result)
    {
        static bool Taken(IdentityError e) =>
            e.Code is nameof(IdentityErrorDescriber.DuplicateEmail) or nameof(IdentityErrorDescriber.DuplicateUserName);

        return result.Errors.Any(Taken)
            ? IdentityResult.Failed(
            [
                new IdentityError { Code = nameof(IdentityErrorDescriber.DuplicateEmail), Description = TakenAddressMessage },
                .. result.Errors.Where(e => !Taken(e)),
            ])
            : result;
    }
}
