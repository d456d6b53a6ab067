using ChatMvc.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.Routing;
using Microsoft.Extensions.Options;
using V4 = Microsoft.AspNetCore.Identity.UI.V4.Pages.Account.Manage.Internal;
using V5 = Microsoft.AspNetCore.Identity.UI.V5.Pages.Account.Manage.Internal;

namespace ChatMvc.Accounts;

// Several shipped Identity pages throw (a 500) when opened out of turn, which anyone can do by typing, bookmarking
// or posting to the address. These filters answer those requests the way the pages answer their other mistakes.

// Without a user id and code, ConfirmEmail, ConfirmEmailChange and RegisterConfirmation send people to the page
// "/Index", which this MVC app does not have: the start page it means is "/".
public sealed class StartPageRedirectFilter : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var executed = await next();
        if (executed.Result is RedirectToPageResult { PageName: "/Index" })
        {
            executed.Result = new LocalRedirectResult("~/");
        }
    }
}

// The sign-in and sign-out pages (and the two-factor ones after them) send people on with LocalRedirect, which
// throws, a 500, for an address on another site. Such an address becomes the start page before the page sees it,
// as the Register page does, so the person is signed in or out and lands on the start page.
public sealed class LocalReturnUrlFilter : IAsyncPageFilter
{
    private const string Parameter = "returnUrl";

    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var key = context.HandlerArguments.Keys.FirstOrDefault(k => string.Equals(k, Parameter, StringComparison.OrdinalIgnoreCase));
        if (key is not null && context.HandlerArguments[key] is string returnUrl)
        {
            var url = context.HttpContext.RequestServices.GetRequiredService<IUrlHelperFactory>().GetUrlHelper(context);
            if (!url.IsLocalUrl(returnUrl))
            {
                context.HandlerArguments[key] = "~/";
            }
        }

        return next();
    }
}

// The shipped Login page says "Invalid login attempt." for a wrong password and sends a locked account to the
// Lockout page. ChatSignInManager answers a locked account as a wrong password (so that real and unknown accounts
// look alike); the one message it shows for both says that the account may be locked.
public sealed class SignInFailureMessageFilter : IAsyncPageFilter
{
    public const string Page = "/Account/Login";

    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var executed = await next();
        // On a post the page's only message for the whole form is the failed sign-in.
        if (HttpMethods.IsPost(context.HttpContext.Request.Method) && executed.Result is PageResult
            && context.ModelState.TryGetValue(string.Empty, out var entry) && entry.Errors.Count > 0)
        {
            var services = context.HttpContext.RequestServices;
            context.ModelState.Remove(string.Empty);
            context.ModelState.AddModelError(string.Empty, PasswordSignIn.WasDeactivated(context.HttpContext)
                ? PasswordSignIn.DeactivatedMessage
                : PasswordSignIn.WasRefused(context.HttpContext)
                    ? PasswordSignIn.RefusedMessage(services.GetRequiredService<IOptions<SingleSignOnOptions>>().Value)
                    : ChatSignInManager.FailureMessage(services.GetRequiredService<IOptions<IdentityOptions>>().Value));
        }
    }
}

// The shipped pages that mail a link (password reset, email confirmation, a changed address) build it from the
// request's scheme and Host, which the sender of the request chooses. While their handlers run they see the
// public address instead; the response itself is written with the request as it came.
public sealed class PublicOriginPageFilter : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var request = context.HttpContext.Request;
        var (scheme, host, pathBase) = (request.Scheme, request.Host, request.PathBase);
        (request.Scheme, request.Host, request.PathBase) = context.HttpContext.RequestServices.GetRequiredService<PublicOrigin>().Of(request);
        try
        {
            await next();
        }
        finally
        {
            (request.Scheme, request.Host, request.PathBase) = (scheme, host, pathBase);
        }
    }
}

// The two-factor sign-in pages only make sense between the password and the code; at any other time they go
// back to the sign-in page.
public sealed class TwoFactorSignInInProgressFilter : IAsyncPageFilter
{
    public static readonly string[] Pages = ["/Account/LoginWith2fa", "/Account/LoginWithRecoveryCode"];

    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var signIn = context.HttpContext.RequestServices.GetRequiredService<SignInManager<ChatUser>>();
        if (await signIn.GetTwoFactorAuthenticationUserAsync() is null)
        {
            context.Result = new RedirectToPageResult("/Account/Login", new { area = "Identity" });
            return;
        }

        await next();
    }
}

// Deleting one's account checks the password without checking that one was typed: an empty field (easy with
// JavaScript off, where nothing stops the form) threw. Show the page again with the message instead.
public sealed class DeleteAccountNeedsPasswordFilter : IAsyncPageFilter
{
    public const string Page = "/Account/Manage/DeletePersonalData";

    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var http = context.HttpContext;
        if (HttpMethods.IsPost(http.Request.Method) && string.IsNullOrEmpty(http.Request.Form["Input.Password"]))
        {
            var users = http.RequestServices.GetRequiredService<UserManager<ChatUser>>();
            if (await users.GetUserAsync(http.User) is { } user && await users.HasPasswordAsync(user))
            {
                switch (context.HandlerInstance)
                {
                    case V5.DeletePersonalDataModel page:
                        page.RequirePassword = true;
                        break;
                    case V4.DeletePersonalDataModel page:
                        page.RequirePassword = true;
                        break;
                }

                if (context.ModelState.GetFieldValidationState("Input.Password") != Microsoft.AspNetCore.Mvc.ModelBinding.ModelValidationState.Invalid)
                {
                    context.ModelState.AddModelError("Input.Password", "Enter your password to delete your account.");
                }

                http.Response.StatusCode = StatusCodes.Status400BadRequest;
                context.Result = new PageResult();
                return;
            }
        }

        await next();
    }
}

// The last active administrator is told on the page why their account cannot go yet, instead of posting the form and
// meeting Identity's "unexpected error" when ChatUserManager refuses.
public sealed class LastAdministratorKeepsAccountFilter : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var users = (ChatUserManager)context.HttpContext.RequestServices.GetRequiredService<UserManager<ChatUser>>();
        if (await users.GetUserAsync(context.HttpContext.User) is { } user && await users.IsLastAdministratorAsync(user))
        {
            context.ModelState.AddModelError(string.Empty, ChatUserManager.LastAdministratorMessage);
            if (HttpMethods.IsPost(context.HttpContext.Request.Method))
            {
                context.HttpContext.Response.StatusCode = StatusCodes.Status409Conflict;
                context.Result = new PageResult();
                return;
            }
        }

        await next();
    }
}
