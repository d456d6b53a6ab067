using ChatMvc.Chat;
using ChatMvc.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace ChatMvc.Admin;

// One person's account, changed from the admin list: each button posts here and comes back to the person's row
// with what happened (or why not) said at the top of the page.
[Authorize]
[AdminOnly]
[Route("admin/people/{id:long}")]
public sealed class AdminPersonController(Administration administration) : Controller
{
    [HttpPost("promote")]
    public async Task<IActionResult> Promote(long id) =>
        Answer(await administration.PromoteAsync(User, id), a => $"{a.DisplayName} is now an administrator.");

    [HttpPost("demote")]
    public async Task<IActionResult> Demote(long id) =>
        Answer(await administration.DemoteAsync(User, id), a => $"{a.DisplayName} is no longer an administrator.");

    [HttpPost("deactivate")]
    public async Task<IActionResult> Deactivate(long id) =>
        Answer(await administration.DeactivateAsync(User, id), a => $"{a.DisplayName} is deactivated and signed out everywhere.");

    [HttpPost("reactivate")]
    public async Task<IActionResult> Reactivate(long id) =>
        Answer(await administration.ReactivateAsync(User, id), a => $"{a.DisplayName} is active again and can sign in.");

    [HttpPost("reset-two-factor")]
    public async Task<IActionResult> ResetTwoFactor(long id) =>
        Answer(await administration.ResetTwoFactorAsync(User, id), a => $"Two-factor sign-in is off for {a.DisplayName}; they sign in with their password.");

    private IActionResult Answer(Outcome<AccountRow> outcome, Func<AccountRow, string> done)
    {
        switch (outcome)
        {
            case Outcome<AccountRow>.Done(var account):
                this.SetStatus(done(account));
                return Redirect(AdminUrls.Person(account.Id));
            case Outcome<AccountRow>.Forbidden(var reason):
                this.SetStatus(reason);
                return Redirect(AdminUrls.People);
            case Outcome<AccountRow>.Invalid invalid:
                this.SetStatus(invalid.Message);
                return Redirect(AdminUrls.People);
            default:
                return NotFound();
        }
    }
}
