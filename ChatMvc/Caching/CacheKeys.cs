namespace ChatMvc.Caching;

// Every cache key the app uses, built in one place.
public static class CacheKeys
{
    public static string ConversationGeneration(long conversationId) => $"conversation:{conversationId}:generation";

    public static string ConversationHead(long conversationId) => $"conversation:{conversationId}:head";

    public static string RecentMessages(long conversationId) => $"conversation:{conversationId}:recent";

    public static string Members(long conversationId) => $"conversation:{conversationId}:members";

    // The window's title and member list (with each member's name, read position and notification level).
    public static string Details(long conversationId) => $"conversation:{conversationId}:details";

    // The keys holding a conversation's cached state, dropped together on any change. Its generation key is
    // not among them: it is bumped, never dropped, so a rebuild that began before the change is not stored.
    public static string[] AllFor(long conversationId) =>
        [ConversationHead(conversationId), RecentMessages(conversationId), Members(conversationId), Details(conversationId)];

    // A message's viewer-neutral HTML in one state of it (MessageFragments.KeyOf names the state).
    public static string MessageFragment(long messageId, string state) => $"message:{messageId}:fragment:{state}";

    public static string Inbox(long userId) => $"user:{userId}:inbox";

    // What each inbox version changed ("version:conversationId", "*" for anything), newest last.
    public static string InboxChanges(long userId) => $"user:{userId}:inbox:changes";

    // The person's conversation list rows as of an inbox version, and their own name and avatar for the shell.
    public static string ListRows(long userId) => $"user:{userId}:list-rows";

    public static string Me(long userId) => $"user:{userId}:me";

    public static string Sessions(long userId) => $"user:{userId}:sessions";

    public static string SessionsGeneration(long userId) => $"user:{userId}:sessions:generation";

    // Read by every signed-in request or poll (a person's list rows, change log and profile and a conversation's recent
    // messages by every page or poll that shows them), and written only through the store, which announces each write:
    // Redis's store keeps copies of these in process (LocalCopies). Generations are read only to rebuild.
    public static bool KeptInProcess(string key) =>
        key.EndsWith(":head", StringComparison.Ordinal) || key.EndsWith(":members", StringComparison.Ordinal)
        || key.EndsWith(":details", StringComparison.Ordinal)
        || key.EndsWith(":inbox", StringComparison.Ordinal) || key.EndsWith(":sessions", StringComparison.Ordinal)
        || key.EndsWith(":list-rows", StringComparison.Ordinal) || key.EndsWith(":me", StringComparison.Ordinal)
        || key.EndsWith(":recent", StringComparison.Ordinal) || key.EndsWith(":changes", StringComparison.Ordinal);
}
