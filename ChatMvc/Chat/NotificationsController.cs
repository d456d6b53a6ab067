using Microsoft.AspNetCore.Mvc;

namespace ChatMvc.Chat;

// The member's notification level: everything, mentions only or nothing.
[Route("conversations/{conversationId}/notifications")]
public sealed class NotificationsController(ConversationCache cache, ConversationManagement management) : ConversationScopedController(cache)
{
    [HttpPost("")]
    public async Task<IActionResult> Update(string? level) =>
        Answer(await management.SetNotificationLevelAsync(Membership, level), chosen =>
        {
            this.SetStatus($"Notifications: {NotificationLevels.Describe(chosen).ToLowerInvariant()}.");
            return Redirect(ChatUrls.Conversation(ConversationId));
        });
}
