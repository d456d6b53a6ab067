namespace ChatMvc.Caching;

// Every cache key the app uses, built in one place.
public static class CacheKeys
{
    public static string ConversationGeneration(long conversationId) => $"conversation:{conversationId}:generation";

    public static string ConversationHead(long conversationId) => $"conversation:{conversationId}:head";

    public static string RecentMessages(long conversationId) => $"conversation:{conversationId}:recent";

    public static string Members(long conversationId) => $"conversation:{conversationId}:members";

    public static string Inbox(long userId) => $"user:{userId}:inbox";
}
