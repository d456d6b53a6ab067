using ChatMvc.Chat;
using Microsoft.AspNetCore.Mvc;

namespace ChatMvc.Files;

// A file sent in a conversation, for its members only (everyone else gets the same 404 as for no such file).
[Route("conversations/{conversationId}/files/{fileId}")]
public sealed class FilesController(ConversationCache cache, FileDelivery delivery) : ConversationScopedController(cache)
{
    [HttpGet("")]
    public Task<IActionResult> Show(long fileId) => delivery.ServeAsync(this, ConversationId, fileId);
}
