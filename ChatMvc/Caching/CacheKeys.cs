namespace ChatMvc.Caching;

// Every cache key the app uses, built in one place.
public static class CacheKeys
{
    public static string ConversationGeneration(long conversationId) => $"conversation:{conversationId}:generation";

    public static string ConversationHead(long conversationId) => $"conversation:{conversationId}:head";

    public static string RecentMessages(long conversationId) => $"conversation:{conversationId}:recent";

    public static string Members(long conversationId) => $"conversation:{conversationId}:members";

    // The keys holding a conversation's cached state, dropped together on any change. Its generation key is
    // not among them: it is bumped, never dropped, so a rebuild that began before the change is not stored.
    public static string[] AllFor(long conversationId) =>
        [ConversationHead(conversationId), RecentMessages(conversationId), Members(conversationId)];

    public static string Inbox(long userId) => $"user:{userId}:inbox";

    public static string Sessions(long userId) => $"user:{userId}:sessions";

    public static string SessionsGeneration(long userId) => $"user:{userId}:sessions:generation";
}
