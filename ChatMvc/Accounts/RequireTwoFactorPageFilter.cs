using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace ChatMvc.Accounts;

// The shipped Disable2fa and GenerateRecoveryCodes pages throw (a 500) when two-factor sign-in is off, which
// anyone reaches by typing or bookmarking the address; send them to the two-factor overview instead.
public sealed class RequireTwoFactorPageFilter : IAsyncPageFilter
{
    public static readonly string[] Pages = ["/Account/Manage/Disable2fa", "/Account/Manage/GenerateRecoveryCodes"];

    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var users = context.HttpContext.RequestServices.GetRequiredService<UserManager<ChatUser>>();
        var user = await users.GetUserAsync(context.HttpContext.User);
        if (user is not null && !await users.GetTwoFactorEnabledAsync(user))
        {
            context.Result = new RedirectToPageResult("/Account/Manage/TwoFactorAuthentication", new { area = "Identity" });
            return;
        }

        await next();
    }
}
