using ChatMvc.Data;
using Microsoft.AspNetCore.Mvc;

namespace ChatMvc.Chat;

// One's own place in a conversation: leaving a group, hiding a direct conversation from the list.
[Route("conversations/{conversationId}")]
public sealed class MembershipController(ConversationCache cache, ConversationQueries conversations, ConversationManagement management)
    : ConversationScopedController(cache)
{
    [HttpPost("leave")]
    public async Task<IActionResult> Leave()
    {
        var details = await DetailsAsync();
        return Answer(await management.RemoveAsync(details, Membership, CurrentUserId), _ =>
            Done($"You left “{details.TitleFor(CurrentUserId)}”."));
    }

    [HttpPost("hide")]
    public async Task<IActionResult> Hide()
    {
        var details = await DetailsAsync();
        return Answer(await management.HideAsync(details, CurrentUserId), _ =>
            Done($"“{details.TitleFor(CurrentUserId)}” is hidden from your list until someone writes in it again."));
    }

    private RedirectResult Done(string status)
    {
        this.SetStatus(status);
        return Redirect("/");
    }

    private async Task<ConversationDetails> DetailsAsync() => (await conversations.FindAsync(ConversationId))!;
}
