using ChatMvc.Data;

namespace ChatMvc.Chat;

// What changed in a conversation since a window's cursor; shared by the poll and by sending.
public sealed class ChatWindowUpdates(ConversationCache cache, MessageQueries messages, ReadMarks reads)
{
    // Null when nothing changed: decided from the cached head alone (knownHead when the caller has just read it).
    // lastRead: where the reader's read marker already is, when the caller knows it. A send's batch marks its sender
    // read up to the message sent, so the others' messages before it that the update shows need no second write.
    public async Task<WindowUpdateModel?> SinceAsync(
        long conversationId, long userId, long after, long changeCounter, string? nextClientMessageId = null, ConversationHead? knownHead = null,
        long lastRead = 0)
    {
        // A send (nextClientMessageId) always answers, so it reads the head with the new messages in one round trip.
        IReadOnlyList<MessageView>? added = null;
        ConversationHead head;
        if (knownHead is null && nextClientMessageId is not null)
        {
            (head, added) = await cache.HeadAndAfterAsync(conversationId, after);
        }
        else
        {
            head = knownHead ?? await cache.HeadAsync(conversationId);
            if (head.IsSeenFrom(after, changeCounter) && nextClientMessageId is null)
            {
                return null;
            }
        }

        added ??= head.LastMessageId > after ? await cache.AfterAsync(conversationId, after) : [];
        var changed = head.ChangeCounter != changeCounter
            ? await messages.ChangedSinceAsync(conversationId, changeCounter, after)
            : [];
        var lastId = added.Count > 0 ? added[^1].Id : after;
        await reads.ShownAsync(conversationId, userId, added, lastId, lastRead);

        return new WindowUpdateModel(conversationId, added, changed, new ConversationHead(lastId, head.ChangeCounter), nextClientMessageId)
        {
            FirstMessages = after == 0 && added.Count > 0,
        };
    }
}
