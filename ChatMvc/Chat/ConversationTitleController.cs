using ChatMvc.Data;
using Microsoft.AspNetCore.Mvc;

namespace ChatMvc.Chat;

// A group's title, set by its owner from the members page.
[Route("conversations/{conversationId}/title")]
[OwnerOnly]
public sealed class ConversationTitleController(
    ConversationCache cache, ConversationQueries conversations, ConversationManagement management, MembersPage page)
    : ConversationScopedController(cache)
{
    [HttpPost("")]
    public async Task<IActionResult> Update(string? title) =>
        await AnswerAsync(
            await management.RenameAsync((await conversations.FindAsync(ConversationId))!, CurrentUserId, title),
            _ => Redirect(ChatUrls.Members(ConversationId)),
            async invalid =>
            {
                Response.StatusCode = StatusCodes.Status400BadRequest;
                return View(MembersPage.View, await page.BuildAsync(Membership, notes: new(TitleError: invalid.Message)));
            });
}
