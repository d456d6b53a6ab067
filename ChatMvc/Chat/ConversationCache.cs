using System.Collections.Concurrent;
using System.Text.Json;
using ChatMvc.Caching;
using ChatMvc.Data;

namespace ChatMvc.Chat;

// Recent messages, heads, member lists and inbox counters in front of the database. Writes go to the
// database first and then here; when the cache cannot be written its keys are dropped, and when it cannot
// be read the database answers. Idle polls are served from here without SQL.
public sealed class ConversationCache(
    ICacheStore cache, ConversationQueries conversations, MessageQueries messages, TimeProvider time, ILogger<ConversationCache> logger)
{
    public const int RecentCount = 50;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    // Invalidations that could not reach the cache. Until they do, the cache may hold state older than the
    // database (if it kept its data through the outage), so they are retried until they succeed.
    private readonly ConcurrentDictionary<long, byte> pendingConversations = new();
    private readonly ConcurrentDictionary<long, byte> pendingInboxes = new();

    public bool HasPendingRepairs => !pendingConversations.IsEmpty || !pendingInboxes.IsEmpty;

    // The member's role, or null for anyone who is not a member (or a conversation that does not exist).
    public async Task<string?> RoleOfAsync(long conversationId, long userId) =>
        (await MembersAsync(conversationId)).FirstOrDefault(m => m.UserId == userId)?.Role;

    // The role and the cached head in one round trip: every conversation-scoped request checks membership, and
    // an idle poll then needs only the head (bench/run.sh measures a second round trip as a fifth of its cost).
    // The head is null when it is not cached; HeadAsync rebuilds it.
    public async Task<(string? Role, ConversationHead? Head)> AccessAsync(long conversationId, long userId)
    {
        try
        {
            var values = await cache.GetManyAsync([CacheKeys.Members(conversationId), CacheKeys.ConversationHead(conversationId)]);
            if (values[0] is { } cached)
            {
                return (RoleIn(cached, userId), ConversationHead.Parse(values[1]));
            }
        }
        catch (Exception e) when (IsCacheFailure(e))
        {
            logger.LogWarning(e, "Cache unavailable; checking membership of conversation {Conversation} in the database", conversationId);
        }

        return (await RoleOfAsync(conversationId, userId), null);
    }

    public async Task<IReadOnlyList<MemberRole>> MembersAsync(long conversationId)
    {
        var key = CacheKeys.Members(conversationId);
        try
        {
            if (await cache.GetAsync(key) is { } cached)
            {
                return JsonSerializer.Deserialize<MemberRole[]>(cached, Json) ?? [];
            }

            var generation = await cache.GetGenerationAsync(CacheKeys.ConversationGeneration(conversationId));
            var members = await conversations.MemberRolesAsync(conversationId);
            await cache.StoreIfGenerationAsync(
                CacheKeys.ConversationGeneration(conversationId), generation,
                new Dictionary<string, string> { [key] = JsonSerializer.Serialize(members, Json) });
            return members;
        }
        catch (Exception e) when (IsCacheFailure(e))
        {
            logger.LogWarning(e, "Cache unavailable; reading members of conversation {Conversation} from the database", conversationId);
            return await conversations.MemberRolesAsync(conversationId);
        }
    }

    public async Task<ConversationHead> HeadAsync(long conversationId)
    {
        try
        {
            if (ConversationHead.Parse(await cache.GetAsync(CacheKeys.ConversationHead(conversationId))) is { } head)
            {
                return head;
            }
        }
        catch (Exception e) when (IsCacheFailure(e))
        {
            logger.LogWarning(e, "Cache unavailable; reading the head of conversation {Conversation} from the database", conversationId);
            return await conversations.HeadAsync(conversationId) ?? default;
        }

        return (await SnapshotAsync(conversationId)).Head;
    }

    // The head and the recent messages (oldest first) as one consistent snapshot.
    public async Task<(ConversationHead Head, IReadOnlyList<MessageView> Recent)> SnapshotAsync(long conversationId)
    {
        var generationKey = CacheKeys.ConversationGeneration(conversationId);
        try
        {
            var (headText, list) = await cache.GetWithListAsync(
                CacheKeys.ConversationHead(conversationId), CacheKeys.RecentMessages(conversationId));
            if (ConversationHead.Parse(headText) is { } cachedHead)
            {
                return (cachedHead, list.Select(item => JsonSerializer.Deserialize<MessageView>(item, Json)!).ToList());
            }

            var generation = await cache.GetGenerationAsync(generationKey);
            var (head, recent) = await ReadSnapshotAsync(conversationId);
            await cache.StoreIfGenerationAsync(
                generationKey, generation,
                new Dictionary<string, string> { [CacheKeys.ConversationHead(conversationId)] = head.ToString() },
                CacheKeys.RecentMessages(conversationId),
                recent.Select(m => JsonSerializer.Serialize(m, Json)).ToList());
            return (head, recent);
        }
        catch (Exception e) when (IsCacheFailure(e))
        {
            logger.LogWarning(e, "Cache unavailable; reading conversation {Conversation} from the database", conversationId);
            return await ReadSnapshotAsync(conversationId);
        }
    }

    // Messages after a cursor: from the cached recent messages when they reach back that far.
    public async Task<IReadOnlyList<MessageView>> AfterAsync(long conversationId, long afterId)
    {
        var (head, recent) = await SnapshotAsync(conversationId);
        if (head.LastMessageId <= afterId)
        {
            return [];
        }

        var coversCursor = recent.Count > 0 && (recent[0].Id <= afterId || recent.Count < RecentCount);
        return coversCursor
            ? recent.Where(m => m.Id > afterId).ToList()
            : await messages.AfterAsync(conversationId, afterId);
    }

    public async Task MessageAddedAsync(MessageView message)
    {
        var conversationId = message.ConversationId;
        try
        {
            await cache.AppendIfNewerAsync(
                CacheKeys.ConversationGeneration(conversationId), CacheKeys.ConversationHead(conversationId),
                CacheKeys.RecentMessages(conversationId), message.Id, JsonSerializer.Serialize(message, Json), RecentCount);
        }
        catch (Exception e) when (IsCacheFailure(e))
        {
            await DropAsync(conversationId, e);
        }

        await TouchInboxesAsync((await MembersAsync(conversationId)).Select(m => m.UserId));
    }

    // After an edit, a delete or a membership change: drop what is cached (the next reader rebuilds it from
    // the database) and tell the members' conversation lists.
    public async Task ConversationChangedAsync(long conversationId, IEnumerable<long>? alsoTell = null)
    {
        await DropAsync(conversationId, cause: null);
        await TouchInboxesAsync((await MembersAsync(conversationId)).Select(m => m.UserId).Concat(alsoTell ?? []).Distinct());
    }

    // The conversation list polls with this; any change to any of the user's conversations bumps it.
    public async Task<long> InboxVersionAsync(long userId)
    {
        var key = CacheKeys.Inbox(userId);
        try
        {
            if (await cache.GetAsync(key) is { } value && long.TryParse(value, out var version))
            {
                return version;
            }

            // A fresh start value, so a client's cursor from before a cache flush does not match by chance.
            var start = time.GetUtcNow().ToUnixTimeMilliseconds();
            await cache.SetAsync(key, start.ToString(System.Globalization.CultureInfo.InvariantCulture));
            return start;
        }
        catch (Exception e) when (IsCacheFailure(e))
        {
            logger.LogWarning(e, "Cache unavailable; the conversation list of user {User} will refresh on every poll", userId);
            return -1;
        }
    }

    public async Task TouchInboxesAsync(IEnumerable<long> userIds)
    {
        foreach (var userId in userIds)
        {
            try
            {
                await cache.IncrementAsync(CacheKeys.Inbox(userId));
            }
            catch (Exception e) when (IsCacheFailure(e))
            {
                logger.LogWarning(e, "Could not bump the inbox of user {User}; will retry", userId);
                pendingInboxes.TryAdd(userId, 0);
            }
        }
    }

    private Task<(ConversationHead Head, IReadOnlyList<MessageView> Recent)> ReadSnapshotAsync(long conversationId) =>
        messages.SnapshotAsync(conversationId, RecentCount);

    private async Task DropAsync(long conversationId, Exception? cause)
    {
        if (cause is not null)
        {
            logger.LogWarning(cause, "Cache write failed; dropping the cached state of conversation {Conversation}", conversationId);
        }

        try
        {
            await cache.InvalidateAsync(
                CacheKeys.ConversationGeneration(conversationId), CacheKeys.ConversationHead(conversationId),
                CacheKeys.RecentMessages(conversationId), CacheKeys.Members(conversationId));
        }
        catch (Exception e) when (IsCacheFailure(e))
        {
            logger.LogError(e, "Could not drop the cached state of conversation {Conversation}; will retry", conversationId);
            pendingConversations.TryAdd(conversationId, 0);
        }
    }

    // Retries the invalidations that failed; called periodically by CacheRepairService.
    public async Task RepairAsync()
    {
        foreach (var conversationId in pendingConversations.Keys)
        {
            try
            {
                await cache.InvalidateAsync(
                    CacheKeys.ConversationGeneration(conversationId), CacheKeys.ConversationHead(conversationId),
                    CacheKeys.RecentMessages(conversationId), CacheKeys.Members(conversationId));
                pendingConversations.TryRemove(conversationId, out _);
            }
            catch (Exception e) when (IsCacheFailure(e))
            {
                return;
            }
        }

        foreach (var userId in pendingInboxes.Keys)
        {
            try
            {
                await cache.IncrementAsync(CacheKeys.Inbox(userId));
                pendingInboxes.TryRemove(userId, out _);
            }
            catch (Exception e) when (IsCacheFailure(e))
            {
                return;
            }
        }
    }

    // One member's role read straight from the cached member list, without building the list: deserialising
    // it is about 6 us for 50 members and grows with the group, against about 55 us of CPU for a whole idle
    // poll (bench/run.sh).
    private static string? RoleIn(string membersJson, long userId)
    {
        var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(membersJson));
        long? id = null;
        string? role = null;
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                    (id, role) = (null, null);
                    break;
                case JsonTokenType.PropertyName when reader.ValueTextEquals("userId"u8):
                    reader.Read();
                    id = reader.GetInt64();
                    break;
                case JsonTokenType.PropertyName when reader.ValueTextEquals("role"u8):
                    reader.Read();
                    role = reader.GetString();
                    break;
                case JsonTokenType.EndObject when id == userId:
                    return role;
            }
        }

        return null;
    }

    private static bool IsCacheFailure(Exception e) =>
        e is StackExchange.Redis.RedisException or TimeoutException;
}
