using ChatMvc.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace ChatMvc.Chat;

// Opening an invite link: signed-out people are sent to sign in (or register) and come back here.
[Authorize]
[Route("invites/{token}")]
public sealed class InvitesController(
    InviteQueries invites, ConversationCache cache, ConversationManagement management, TimeProvider time) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Show(string token)
    {
        var (invite, unavailable) = await FindUsableAsync(token);
        if (unavailable is not null)
        {
            return unavailable;
        }

        if (await cache.RoleOfAsync(invite!.ConversationId, User.UserId()) is not null)
        {
            return Redirect(ChatUrls.Conversation(invite.ConversationId));
        }

        return View(invite);
    }

    [HttpPost("")]
    public async Task<IActionResult> Join(string token)
    {
        var (invite, unavailable) = await FindUsableAsync(token);
        if (unavailable is not null)
        {
            return unavailable;
        }

        await management.JoinAsync(invite!.ConversationId, User.UserId(), User.DisplayName());
        return Redirect(ChatUrls.Conversation(invite.ConversationId));
    }

    private async Task<(Invite? Invite, IActionResult? Unavailable)> FindUsableAsync(string token)
    {
        var invite = await invites.FindByTokenAsync(token);
        var state = invite?.StateAt(time.GetUtcNow());
        if (invite is not null && state == InviteState.Valid)
        {
            return (invite, null);
        }

        Response.StatusCode = invite is null ? StatusCodes.Status404NotFound : StatusCodes.Status410Gone;
        return (null, View("Unavailable", new InviteUnavailableModel(invite, state)));
    }
}

public sealed record InviteUnavailableModel(Invite? Invite, InviteState? State);
