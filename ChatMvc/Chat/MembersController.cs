using ChatMvc.Data;
using Microsoft.AspNetCore.Mvc;

namespace ChatMvc.Chat;

// The member list, and the owner adding and removing people.
[Route("conversations/{conversationId}/members")]
public sealed class MembersController(
    ConversationCache cache, ConversationQueries conversations, PeopleQueries people, ConversationManagement management, MembersPage page)
    : ConversationScopedController(cache)
{
    [HttpGet("")]
    public async Task<IActionResult> Index(string? q) => View(await page.BuildAsync(Membership, q));

    [HttpPost("")]
    [OwnerOnly]
    public async Task<IActionResult> Add(long[]? selected)
    {
        var chosen = await people.FindManyAsync((selected ?? []).Distinct().ToList());
        if (chosen.Count == 0)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return View("Index", await page.BuildAsync(Membership, notes: new(Error: "Choose at least one person to add.")));
        }

        await management.AddMembersAsync((await conversations.FindAsync(ConversationId))!, CurrentUserId, chosen);
        return Redirect(ChatUrls.Members(ConversationId));
    }

    // Leaving has its own form and route; this one is for the others.
    [HttpPost("{userId}/remove")]
    [OwnerOnly]
    public async Task<IActionResult> Remove(long userId) =>
        userId == CurrentUserId
            ? StatusCode(StatusCodes.Status403Forbidden)
            : Answer(
                await management.RemoveAsync((await conversations.FindAsync(ConversationId))!, Membership, userId),
                _ => Redirect(ChatUrls.Members(ConversationId)));
}
