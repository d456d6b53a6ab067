using ChatMvc.Data;
using Microsoft.AspNetCore.Mvc;

namespace ChatMvc.Chat;

// Deleting a group for everyone: its owner confirms, then it goes.
[Route("conversations/{conversationId}/delete")]
[OwnerOnly]
public sealed class ConversationDeletionController(
    ConversationCache cache, ConversationQueries conversations, ConversationManagement management)
    : ConversationScopedController(cache)
{
    [HttpGet("")]
    public async Task<IActionResult> Confirm() => View((await conversations.FindAsync(ConversationId))!);

    [HttpPost("")]
    public async Task<IActionResult> Delete()
    {
        var details = (await conversations.FindAsync(ConversationId))!;
        await management.DeleteAsync(ConversationId);
        this.SetStatus($"“{details.TitleFor(CurrentUserId)}” was deleted for everyone.");
        return Redirect("/");
    }
}
