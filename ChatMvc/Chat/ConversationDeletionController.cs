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
        await management.DeleteAsync(ConversationId);
        return Redirect("/");
    }
}
