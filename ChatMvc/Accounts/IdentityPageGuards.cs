using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
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
