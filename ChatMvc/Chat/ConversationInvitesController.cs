using ChatMvc.Data;
using Microsoft.AspNetCore.Mvc;

namespace ChatMvc.Chat;

// A group's invite links, made and withdrawn by its owner from the members page.
[Route("conversations/{conversationId}/invites")]
[OwnerOnly]
public sealed class ConversationInvitesController(ConversationCache cache, InviteQueries invites, MembersPage page)
    : ConversationScopedController(cache)
{
    public const int MaxInviteHours = 24 * 365;

    [HttpPost("")]
    public async Task<IActionResult> Create(int? expiresInHours)
    {
        // A value the form does not offer is refused: read as "never", it would make a link that never expires.
        if (ModelState[nameof(expiresInHours)]?.Errors.Count > 0 || expiresInHours is <= 0 or > MaxInviteHours)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return View(MembersPage.View, await page.BuildAsync(Membership, notes: new(InviteError: "Choose when the link expires: never, or within a year.")));
        }

        DateTimeOffset? expires = expiresInHours is { } hours ? DateTimeOffset.UtcNow.AddHours(hours) : null;
        var (_, token) = await invites.CreateAsync(ConversationId, CurrentUserId, expires);
        var link = $"{Request.Scheme}://{Request.Host}{Request.PathBase}/invites/{token}";
        return View(MembersPage.View, await page.BuildAsync(Membership, notes: new(NewInviteLink: link)));
    }

    [HttpPost("{inviteId}/revoke")]
    public async Task<IActionResult> Revoke(long inviteId) =>
        await invites.RevokeAsync(ConversationId, inviteId) ? Redirect(ChatUrls.Members(ConversationId)) : NotFound();
}
