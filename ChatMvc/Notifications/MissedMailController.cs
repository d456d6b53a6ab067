using ChatMvc.Chat;
using ChatMvc.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace ChatMvc.Notifications;

// Turning the missed-message mail on and off: from the profile when signed in, or from the link in a mail
// without signing in.
public sealed class MissedMailController(MissedMailQueries queries, UnsubscribeLinks links) : Controller
{
    [Authorize]
    [HttpPost("/profile/missed-mail")]
    public async Task<IActionResult> Update(bool wanted)
    {
        await queries.SetWantsMailAsync(User.UserId(), wanted);
        this.SetStatus(wanted ? "You will get a mail about messages you miss." : "You will not get mail about messages you miss.");
        return Redirect("/profile");
    }

    // A page with a button rather than a change on GET: mail scanners open every link in a mail.
    [AllowAnonymous]
    [HttpGet(UnsubscribeLinks.Path)]
    public IActionResult Unsubscribe(string? token) =>
        links.UserOf(token) is null ? LinkNotValid() : View(new UnsubscribeModel(token!, Done: false));

    // Also the one-click unsubscribe of RFC 8058, which mail providers post without a form of ours, so without an
    // antiforgery token: the protected token in the address is what proves the request came from the mail.
    [AllowAnonymous]
    [IgnoreAntiforgeryToken]
    [HttpPost(UnsubscribeLinks.Path)]
    public async Task<IActionResult> UnsubscribeConfirmed(string? token)
    {
        if (links.UserOf(token) is not { } userId)
        {
            return LinkNotValid();
        }

        await queries.SetWantsMailAsync(userId, false);
        return View("Unsubscribe", new UnsubscribeModel(token!, Done: true));
    }

    private ViewResult LinkNotValid()
    {
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return View("Unsubscribe", new UnsubscribeModel(null, Done: false));
    }
}

public sealed record UnsubscribeModel(string? Token, bool Done);
