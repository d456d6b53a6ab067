using ChatMvc.Data;

namespace ChatMvc.Chat;

// Reading happens wherever messages are shown to the person they were sent to: opening the window, a poll that
// brought something new, the API's newest page. One rule for all of them.
public sealed class ReadMarks(ConversationQueries conversations, ConversationCache cache)
{
    // Someone else's message newer than what the reader last read was shown, so they have read up to upTo; their own
    // messages were marked read when they sent them. Only a position that moved drops the cached details and tells
    // their list, whose unread count changed.
    public async Task ShownAsync(long conversationId, long readerId, IEnumerable<MessageView> shown, long upTo, long lastRead = 0)
    {
        if (shown.Any(m => m.Id > lastRead && m.SenderId != readerId) && await conversations.MarkReadAsync(conversationId, readerId, upTo))
        {
            await cache.DetailsChangedAsync(conversationId);
            await cache.TouchInboxesAsync(conversationId, [readerId]);
        }
    }
}
