using ChatMvc.Data;

namespace ChatMvc.Chat;

// Opening a conversation's window: where it starts, what it marks read, and the app shell around it.
//
// With nothing unread the window shows the newest page. With unread messages it starts at the first of them, so the
// "New messages" divider is the first thing in the log and every older page loads above it: older pages can only
// hold messages that were read. When more are unread than one window shows, the window stops there, marks read only
// what it showed and offers the rest ("N more unread"); it is not live, since new messages would arrive below a gap.
public sealed class ChatWindows(
    ConversationCache cache, ConversationListCache lists, ConversationQueries conversations, MessageQueries messages, ReadMarks reads)
{
    public async Task<ChatWindowModel> OpenAsync(ConversationDetails details, MessageViewer viewer, long? unreadAfter = null)
    {
        var readerId = viewer.UserId;
        var (head, recent) = await cache.SnapshotAsync(details.Id);
        // The details may come from the cache, which a send does not update: the reader's own messages were marked
        // read when they were sent, so the newest of them counts here as it does in the database.
        var ownLatest = recent.LastOrDefault(m => m.SenderId == readerId)?.Id ?? 0;
        var lastRead = Math.Max(Math.Max(ReadPosition(details, readerId), ownLatest), unreadAfter ?? 0);
        var window = await StartAsync(details.Id, readerId, lastRead, head, recent);
        await reads.ShownAsync(details.Id, readerId, window.Messages, window.ReadUpTo, lastRead);
        return await ModelAsync(details, viewer, window);
    }

    // The newest page as it is, marking nothing read: the window shown again with a message that was refused.
    public async Task<ChatWindowModel> LatestAsync(ConversationDetails details, MessageViewer viewer)
    {
        var (head, recent) = await cache.SnapshotAsync(details.Id);
        return await ModelAsync(details, viewer, Newest(head, recent));
    }

    // The page of messages before one, for reading back without JavaScript: all read, so no divider.
    public async Task<ChatWindowModel> HistoryAsync(ConversationDetails details, MessageViewer viewer, long before)
    {
        var page = await messages.PageBeforeAsync(details.Id, before);
        var window = new Start(page, default, 0, null, page.Count >= MessageQueries.PageSize, null);
        return await ModelAsync(details, viewer, window) with { IsHistory = true };
    }

    // The window around one message, or the page after one when paging newer from there: history, like
    // HistoryAsync, with links to older and newer pages and no live updates. Null when the message is not in
    // this conversation.
    public async Task<ChatWindowModel?> AroundAsync(ConversationDetails details, MessageViewer viewer, long? at, long? after)
    {
        const int half = MessageQueries.PageSize / 2;
        IReadOnlyList<MessageView> older = [];
        if (at is { } target)
        {
            if (await messages.FindAsync(details.Id, target) is null)
            {
                return null;
            }

            older = await messages.PageBeforeAsync(details.Id, target + 1, half);
        }

        var take = at is null ? MessageQueries.PageSize : half;
        var newer = await messages.AfterAsync(details.Id, at ?? after!.Value, take + 1);
        var shown = older.Concat(newer.Take(take)).ToList();
        var mayHaveOlder = at is null ? shown.Count > 0 : older.Count == half;
        var window = new Start(shown, default, 0, null, mayHaveOlder, null);
        return await ModelAsync(details, viewer, window) with
        {
            IsHistory = true,
            NewerAfterId = newer.Count > take ? shown[^1].Id : null,
        };
    }

    private async Task<ChatWindowModel> ModelAsync(ConversationDetails details, MessageViewer viewer, Start window) => new()
    {
        Conversation = details,
        Title = details.TitleFor(viewer.UserId),
        Messages = window.Messages,
        Cursor = window.Cursor,
        Viewer = viewer,
        FirstUnreadId = window.FirstUnreadId,
        MayHaveOlder = window.MayHaveOlder,
        MoreUnread = window.MoreUnread,
        Shell = await ShellAsync(viewer.UserId, details.Id),
    };

    // The sidebar: who is signed in and their conversations, the open one marked.
    private async Task<ShellModel> ShellAsync(long userId, long? currentConversationId)
    {
        var list = await lists.ListAsync(userId);
        return new ShellModel(await lists.MeAsync(userId), new ConversationListModel(list.Rows, list.Version, currentConversationId));
    }

    private async Task<Start> StartAsync(long conversationId, long readerId, long lastRead, ConversationHead head, IReadOnlyList<MessageView> recent)
    {
        var firstUnread = recent.ToList().FindIndex(m => IsUnread(m, readerId, lastRead));
        var recentHoldsAll = recent.Count < ConversationCache.RecentCount;
        var unreadMayBeOlder = recent.Count > 0 && recent[0].Id > lastRead && !recentHoldsAll;
        if (!unreadMayBeOlder)
        {
            if (firstUnread < 0)
            {
                return Newest(head, recent);
            }

            var fromUnread = recent.Skip(firstUnread).ToList();
            return new Start(fromUnread, head, head.LastMessageId, fromUnread[0].Id, firstUnread > 0 || !recentHoldsAll, null);
        }

        // The first unread message may be older than the cached recent ones: read from the database, with the read
        // position as it stands there (a send of the reader's older than the recent ones moved it).
        if (await conversations.FindAsync(conversationId) is { } current)
        {
            lastRead = Math.Max(lastRead, ReadPosition(current, readerId));
        }

        var loaded = await messages.AfterAsync(conversationId, lastRead, MessageQueries.UnreadPageSize + 1);
        var first = loaded.ToList().FindIndex(m => IsUnread(m, readerId, lastRead));
        if (first < 0)
        {
            return Newest(head, recent);
        }

        var shown = loaded.Skip(first).Take(MessageQueries.UnreadPageSize).ToList();
        if (loaded.Count <= MessageQueries.UnreadPageSize)
        {
            // Everything up to the newest message is shown: the window is live from its last message on.
            var cursor = head with { LastMessageId = Math.Max(head.LastMessageId, shown[^1].Id) };
            return new Start(shown, cursor, cursor.LastMessageId, shown[0].Id, true, null);
        }

        var moreUnread = await messages.CountUnreadAfterAsync(conversationId, readerId, shown[^1].Id);
        return new Start(shown, head, shown[^1].Id, shown[0].Id, true, moreUnread);
    }

    private static long ReadPosition(ConversationDetails details, long readerId) =>
        details.Members.FirstOrDefault(m => m.UserId == readerId)?.LastReadMessageId ?? 0;

    private static Start Newest(ConversationHead head, IReadOnlyList<MessageView> recent)
    {
        var newest = recent.TakeLast(MessageQueries.PageSize).ToList();
        return new Start(newest, head, head.LastMessageId, null, newest.Count >= MessageQueries.PageSize, null);
    }

    // The same rule as the conversation list's unread count.
    private static bool IsUnread(MessageView message, long readerId, long lastRead) =>
        message.Id > lastRead && message.Kind == MessageKind.Text && message.DeletedAt is null && message.SenderId != readerId;

    private sealed record Start(
        IReadOnlyList<MessageView> Messages, ConversationHead Cursor, long ReadUpTo, long? FirstUnreadId, bool MayHaveOlder, int? MoreUnread);
}
