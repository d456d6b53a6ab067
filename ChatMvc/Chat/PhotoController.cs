using ChatMvc.Data;
using Microsoft.AspNetCore.Mvc;

namespace ChatMvc.Chat;

// A message's photo at full size, in a page of the app with who sent it, when, what it shows and the way back to it.
[Route("conversations/{conversationId}/messages/{messageId}/photo")]
public sealed class PhotoController(ConversationCache cache, ConversationQueries conversations, MessageQueries messages)
    : ConversationScopedController(cache)
{
    [HttpGet("")]
    public async Task<IActionResult> Show(long messageId)
    {
        if (await messages.FindAsync(ConversationId, messageId) is not { ImageId: not null, DeletedAt: null } message)
        {
            return NotFound();
        }

        var details = (await conversations.FindAsync(ConversationId))!;
        return View(new PhotoPageModel(message, details.TitleFor(CurrentUserId)));
    }
}
