using ChatMvc.Data;
using Microsoft.AspNetCore.Mvc;

namespace ChatMvc.Chat;

// One's own place in a conversation: leaving a group, hiding a direct conversation from the list.
[Route("conversations/{conversationId}")]
public sealed class MembershipController(ConversationCache cache, ConversationQueries conversations, ConversationManagement management)
    : ConversationScopedController(cache)
{
    [HttpPost("leave")]
    public async Task<IActionResult> Leave() =>
        Answer(await management.RemoveAsync(await DetailsAsync(), Membership, CurrentUserId), _ => Redirect("/"));

    [HttpPost("hide")]
    public async Task<IActionResult> Hide() =>
        Answer(await management.HideAsync(await DetailsAsync(), CurrentUserId), _ => Redirect("/"));

    private async Task<ConversationDetails> DetailsAsync() => (await conversations.FindAsync(ConversationId))!;
}
