using ChatMvc.Chat;
using Microsoft.AspNetCore.Mvc;

namespace ChatMvc.Api;

[Route("api/v1/conversations/{id:long}/notifications")]
[Tags("Conversations")]
public sealed class NotificationsApiController(ConversationCache cache, ConversationManagement management) : ConversationScopedApiController(cache)
{
    // "all", "mentions" or "none": what the caller's unread count (and desktop notices) follow in this conversation.
    [HttpPut("")]
    public async Task<ActionResult<NotificationLevelJson>> Update(NotificationLevelRequest request) =>
        Answer(await management.SetNotificationLevelAsync(Membership, request.Level), level => Ok(new NotificationLevelJson(level)));
}

public sealed record NotificationLevelRequest(string? Level);
