using ChatMvc.Data;
using Microsoft.AspNetCore.Mvc;

namespace ChatMvc.Chat;

// Whether only a group's owners may use @everyone, set by an owner from the members page.
[Route("conversations/{conversationId}/everyone")]
[OwnerOnly]
public sealed class EveryoneMentionsController(ConversationCache cache, ConversationQueries conversations, ConversationManagement management)
    : ConversationScopedController(cache)
{
    [HttpPost("")]
    public async Task<IActionResult> Update(bool ownersOnly) =>
        Answer(await management.RestrictEveryoneAsync((await conversations.FindAsync(ConversationId))!, ownersOnly), restricted =>
        {
            this.SetStatus(restricted ? "Only owners can use @everyone now." : "Every member can use @everyone now.");
            return Redirect(ChatUrls.Members(ConversationId));
        });
}
