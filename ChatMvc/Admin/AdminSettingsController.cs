using ChatMvc.Chat;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace ChatMvc.Admin;

// Who may join: the registration mode, the allowed email domains and the join link.
[Authorize]
[AdminOnly]
public sealed class AdminSettingsController(AdminRegistration registration) : Controller
{
    [HttpGet(AdminUrls.Settings)]
    public async Task<IActionResult> Edit()
    {
        var settings = await registration.ReadAsync();
        return View(new AdminSettingsModel(settings, registration.JoinUrl(settings, Request)));
    }

    // allowedEmailDomains: one text field, domains separated by commas, spaces or lines.
    [HttpPost(AdminUrls.Settings)]
    public async Task<IActionResult> Update(string? registrationMode, string? allowedEmailDomains)
    {
        switch (await registration.UpdateAsync(User, registrationMode, [allowedEmailDomains]))
        {
            case Outcome<Accounts.RegistrationSettings>.Invalid(var errors):
                var settings = await registration.ReadAsync();
                Response.StatusCode = StatusCodes.Status400BadRequest;
                return View("Edit", new AdminSettingsModel(settings, registration.JoinUrl(settings, Request))
                {
                    Mode = registrationMode,
                    Domains = allowedEmailDomains,
                    Errors = errors,
                });
            default:
                this.SetStatus("Saved who may join.");
                return Redirect(AdminUrls.Settings);
        }
    }

    [HttpPost(AdminUrls.JoinLink)]
    public async Task<IActionResult> ResetJoinLink()
    {
        await registration.ResetJoinLinkAsync(User);
        this.SetStatus("Made a new join link. The old one no longer works.");
        return Redirect(AdminUrls.Settings + "#join-link");
    }
}
