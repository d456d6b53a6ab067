using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
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

    private readonly ParsedMessages parsed = new();

    private readonly CacheFailureLog failures = new(time, logger);

    // Invalidations that could not reach the cache. Until they do, the cache may hold state older than the
    // database (if it kept its data through the outage), so they are retried until they succeed.
    private readonly ConcurrentDictionary<long, byte> pendingConversations = new();
    private readonly ConcurrentDictionary<long, byte> pendingInboxes = new();

    // Database reads shared by concurrent callers (see SharedReads). The key carries the conversation's write
    // stamp: a write made here bumps it, so a caller that has just written never joins a read that began
    // before its write and never misses its own change.
    private readonly SharedReads<(long Conversation, long Stamp), IReadOnlyList<MemberRole>> memberReads = new();
    private readonly SharedReads<(long Conversation, long Stamp), Snapshot> snapshotReads = new();
    private readonly SharedReads<(long Conversation, long Stamp), ConversationDetails?> detailsReads = new();
    private readonly long[] writeStamps = new long[1024];

    public bool HasPendingRepairs => !pendingConversations.IsEmpty || !pendingInboxes.IsEmpty;

    // --- reads ----------------------------------------------------------------------------------------

    // The member's role, or null for anyone who is not a member (or a conversation that does not exist).
    public async Task<string?> RoleOfAsync(long conversationId, long userId) => RoleIn(await MembersAsync(conversationId), userId);

    // The role and the cached head in one round trip: every conversation-scoped request checks membership, and
    // an idle poll then needs only the head (bench/run.sh measures a second round trip as a fifth of its cost).
    // The head is null when it is not cached; HeadAsync rebuilds it.
    // The idle poll's path: its try/catch is written out rather than passed to TryAsync, whose delegate and
    // extra state machine would cost allocations on every poll.
    public async Task<(string? Role, ConversationHead? Head)> AccessAsync(long conversationId, long userId)
    {
        try
        {
            if (!pendingConversations.IsEmpty && !await RepairedAsync(conversationId))
            {
                return (RoleIn(await ReadMembersAsync(conversationId), userId), null);
            }

            var values = await cache.GetManyAsync([CacheKeys.Members(conversationId), CacheKeys.ConversationHead(conversationId)]);
            if (values[0] is { } cached)
            {
                return (MemberListJson.RoleIn(cached, userId), ConversationHead.Parse(values[1]));
            }
        }
        catch (Exception e) when (IsCacheFailure(e))
        {
            failures.Failed(e, "reading from the database the members of conversation", conversationId);
        }

        return (RoleIn(await ReadMembersAsync(conversationId), userId), null);
    }

    public async Task<IReadOnlyList<MemberRole>> MembersAsync(long conversationId)
    {
        string? cached = null;
        await TryAsync(
            async () => cached = await RepairedAsync(conversationId) ? await cache.GetAsync(CacheKeys.Members(conversationId)) : null,
            "reading from the database the members of conversation", conversationId);
        return cached is null ? await ReadMembersAsync(conversationId) : MemberListJson.Deserialize(cached);
    }

    public async Task<ConversationHead> HeadAsync(long conversationId)
    {
        string? cached = null;
        await TryAsync(
            async () => cached = await RepairedAsync(conversationId) ? await cache.GetAsync(CacheKeys.ConversationHead(conversationId)) : null,
            "reading from the database the head of conversation", conversationId);
        return ConversationHead.Parse(cached) ?? (await ReadSnapshotAsync(conversationId)).Head;
    }

    // The head and the recent messages (oldest first) as one consistent snapshot.
    public async Task<(ConversationHead Head, IReadOnlyList<MessageView> Recent)> SnapshotAsync(long conversationId)
    {
        (string? Head, IReadOnlyList<string> Recent) cached = (null, []);
        await TryAsync(
            async () => cached = await RepairedAsync(conversationId)
                ? await cache.GetWithListAsync(CacheKeys.ConversationHead(conversationId), CacheKeys.RecentMessages(conversationId))
                : (null, []),
            "reading from the database the recent messages of conversation", conversationId);
        if (ConversationHead.Parse(cached.Head) is { } cachedHead)
        {
            return (cachedHead, parsed.ParseAll(cached.Recent));
        }

        var snapshot = await ReadSnapshotAsync(conversationId);
        return (snapshot.Head, snapshot.Recent);
    }

    // Each stored text parsed once, as the list rows are (ConversationListCache): a copy kept in process is the same
    // string from one window to the next until a write replaces it, and the parsed details are never changed.
    private readonly ConditionalWeakTable<string, ConversationDetails> parsedDetails = [];

    // The window's title and members, null for a conversation that does not exist. Dropped with everything else
    // cached for the conversation on any change to it, and on its own when a member's read position or notification
    // level moves (DetailsChangedAsync). A message sent moves its sender's read position in the database and not
    // here, so that the send path gains no round trip: ChatWindows counts the reader's own messages as read.
    public async Task<ConversationDetails?> DetailsAsync(long conversationId)
    {
        string? cached = null;
        await TryAsync(
            async () => cached = await RepairedAsync(conversationId) ? await cache.GetAsync(CacheKeys.Details(conversationId)) : null,
            "reading from the database the details of conversation", conversationId);
        return cached is null ? await ReadDetailsAsync(conversationId) : parsedDetails.GetValue(cached, text => JsonSerializer.Deserialize<ConversationDetails>(text, Json)!);
    }

    // Messages after a cursor: from the cached recent messages when they reach back that far.
    public async Task<IReadOnlyList<MessageView>> AfterAsync(long conversationId, long afterId) =>
        (await HeadAndAfterAsync(conversationId, afterId)).Added;

    // The head with the messages after a cursor, read together: a send, which always answers with what is new,
    // needs no separate round trip for the head.
    public async Task<(ConversationHead Head, IReadOnlyList<MessageView> Added)> HeadAndAfterAsync(long conversationId, long afterId)
    {
        var (head, recent) = await SnapshotAsync(conversationId);
        if (head.LastMessageId <= afterId)
        {
            return (head, []);
        }

        var coversCursor = recent.Count > 0 && (recent[0].Id <= afterId || recent.Count < RecentCount);
        return (head, coversCursor
            ? recent.Where(m => m.Id > afterId).ToList()
            : await messages.AfterAsync(conversationId, afterId));
    }

    // The conversation list polls with this; any change to any of the user's conversations bumps it.
    // The idle list poll's path: written out for the same reason as AccessAsync.
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
            // The conversation list then refreshes on every poll until the cache is back.
            failures.Failed(e, "refreshing on every poll the conversation list of user", userId);
            return -1;
        }
    }

    // --- writes, after the database has committed ---------------------------------------------------------

    public async Task MessageAddedAsync(MessageView message)
    {
        var conversationId = message.ConversationId;
        Wrote(conversationId);
        if (!await RepairedAsync(conversationId))
        {
            // The cached list may predate an earlier write it missed: appending would hide that write.
            await DropAsync(conversationId, cause: null);
        }
        else if (await FailureOfAsync(() => cache.AppendIfNewerAsync(
                CacheKeys.ConversationGeneration(conversationId), CacheKeys.ConversationHead(conversationId),
                CacheKeys.RecentMessages(conversationId), message.Id, JsonSerializer.Serialize(message, Json), RecentCount)) is { } failure)
        {
            await DropAsync(conversationId, failure);
        }


        await TouchInboxesAsync(conversationId, (await MembersAsync(conversationId)).Select(m => m.UserId));
    }

    // Something only the details hold moved: a member's read position or notification level, or who may use @everyone.
    public async Task DetailsChangedAsync(long conversationId)
    {
        Wrote(conversationId);
        if (await FailureOfAsync(() => cache.InvalidateAsync(CacheKeys.ConversationGeneration(conversationId), CacheKeys.Details(conversationId))) is { } failure)
        {
            await DropAsync(conversationId, failure);
        }
    }

    // After an edit, a delete or a membership change: drop what is cached (the next reader rebuilds it from
    // the database) and tell the members' conversation lists.
    public async Task ConversationChangedAsync(long conversationId, IEnumerable<long>? alsoTell = null)
    {
        await DropAsync(conversationId, cause: null);
        await TouchInboxesAsync(conversationId, (await MembersAsync(conversationId)).Select(m => m.UserId).Concat(alsoTell ?? []).Distinct());
    }

    // Each bump records which conversation it was for, so a list poll can send only the rows that changed
    // (ConversationListCache).
    public async Task TouchInboxesAsync(long conversationId, IEnumerable<long> userIds)
    {
        var item = conversationId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        // All the members at once rather than one after another: Redis pipelines the calls, so a send waits for one
        // round trip however many members there are.
        await Task.WhenAll(userIds.Select(async userId =>
        {
            if (!await TryAsync(
                    () => cache.IncrementAndLogAsync(CacheKeys.Inbox(userId), CacheKeys.InboxChanges(userId), item, InboxChangesKept),
                    "will retry telling the conversation list of user", userId))
            {
                pendingInboxes.TryAdd(userId, 0);
            }
        }));
    }

    // --- conversation list deltas ---------------------------------------------------------------------

    // How many inbox changes are remembered per person: a list further behind gets the whole list again.
    public const int InboxChangesKept = 256;

    // The change recorded by a repair, which no longer knows which conversation it was for.
    public const string AnyConversation = "*";

    // True while a change to this person's list may not have reached the cache: their cached rows are not served.
    public bool InboxPending(long userId) => !pendingInboxes.IsEmpty && pendingInboxes.ContainsKey(userId);

    // Retries the invalidations that failed; called periodically by CacheRepairService. While the cache is
    // still down, the first failure ends the round: the next one retries.
    public async Task RepairAsync()
    {
        foreach (var conversationId in pendingConversations.Keys)
        {
            if (await FailureOfAsync(() => InvalidateAsync(conversationId)) is not null)
            {
                return;
            }

            pendingConversations.TryRemove(conversationId, out _);
        }

        foreach (var userId in pendingInboxes.Keys)
        {
            if (await FailureOfAsync(() => cache.IncrementAndLogAsync(
                    CacheKeys.Inbox(userId), CacheKeys.InboxChanges(userId), AnyConversation, InboxChangesKept)) is not null)
            {
                return;
            }

            pendingInboxes.TryRemove(userId, out _);
        }
    }

    // True when the cache can be trusted for this conversation: no invalidation of it is waiting, or the waiting
    // one has just gone through. A cache that kept its data through an outage would otherwise serve, and
    // append to, state that misses the writes made while it was unreachable, until the next repair round.
    private async ValueTask<bool> RepairedAsync(long conversationId)
    {
        if (pendingConversations.IsEmpty || !pendingConversations.ContainsKey(conversationId))
        {
            return true;
        }

        if (await FailureOfAsync(() => InvalidateAsync(conversationId)) is not null)
        {
            return false;
        }

        pendingConversations.TryRemove(conversationId, out _);
        return true;
    }

    private async Task DropAsync(long conversationId, Exception? cause)
    {
        Wrote(conversationId);
        if (cause is not null)
        {
            logger.LogWarning(cause, "Cache write failed; dropping the cached state of conversation {Conversation}", conversationId);
        }

        if (await FailureOfAsync(() => InvalidateAsync(conversationId)) is { } failure)
        {
            logger.LogError(failure, "Could not drop the cached state of conversation {Conversation}; will retry", conversationId);
            pendingConversations.TryAdd(conversationId, 0);
        }
    }

    private Task InvalidateAsync(long conversationId) =>
        cache.InvalidateAsync(CacheKeys.ConversationGeneration(conversationId), CacheKeys.AllFor(conversationId));

    // --- rebuilds from the database -------------------------------------------------------------------

    // From the database, shared with concurrent callers, and stored for the next reader unless a write came
    // in meanwhile (the generation check). With the cache down, only the database read remains.
    // A conversation always has a member (the last one to leave deletes it), so an empty list means there is
    // no conversation, and that is never stored: ids are sequential, and a stored miss for an id not created
    // yet would lock its members out once it was, while probing random ids would fill the cache.
    private Task<IReadOnlyList<MemberRole>> ReadMembersAsync(long conversationId) =>
        memberReads.ReadAsync((conversationId, WriteStamp(conversationId)), () => RebuildAsync(
            conversationId,
            () => conversations.MemberRolesAsync(conversationId),
            (generation, members) => members.Count == 0
                ? Task.CompletedTask
                : cache.StoreIfGenerationAsync(
                    CacheKeys.ConversationGeneration(conversationId), generation,
                    new Dictionary<string, string> { [CacheKeys.Members(conversationId)] = MemberListJson.Serialize(members) })));

    private Task<ConversationDetails?> ReadDetailsAsync(long conversationId) =>
        detailsReads.ReadAsync((conversationId, WriteStamp(conversationId)), () => RebuildAsync(
            conversationId,
            () => conversations.FindAsync(conversationId),
            (generation, details) => details is null
                ? Task.CompletedTask
                : cache.StoreIfGenerationAsync(
                    CacheKeys.ConversationGeneration(conversationId), generation,
                    new Dictionary<string, string> { [CacheKeys.Details(conversationId)] = JsonSerializer.Serialize(details, Json) })));

    private Task<Snapshot> ReadSnapshotAsync(long conversationId) =>
        snapshotReads.ReadAsync((conversationId, WriteStamp(conversationId)), () => RebuildAsync(
            conversationId,
            async () =>
            {
                var (head, recent) = await messages.SnapshotAsync(conversationId, RecentCount);
                return new Snapshot(head, recent);
            },
            (generation, snapshot) => cache.StoreIfGenerationAsync(
                CacheKeys.ConversationGeneration(conversationId), generation,
                new Dictionary<string, string> { [CacheKeys.ConversationHead(conversationId)] = snapshot.Head.ToString() },
                CacheKeys.RecentMessages(conversationId),
                snapshot.Recent.Select(m => JsonSerializer.Serialize(m, Json)).ToList())));

    private async Task<T> RebuildAsync<T>(long conversationId, Func<Task<T>> read, Func<long, T, Task> store)
    {
        long? generation = null;
        await TryAsync(
            async () => generation = await cache.GetGenerationAsync(CacheKeys.ConversationGeneration(conversationId)),
            "not storing the state read from the database for conversation", conversationId);

        var value = await read();
        if (generation is { } readGeneration)
        {
            await TryAsync(
                () => store(readGeneration, value),
                "could not store the state read from the database for conversation", conversationId);
        }

        return value;
    }

    // --- write stamps ---------------------------------------------------------------------------------

    private long WriteStamp(long conversationId) => Volatile.Read(ref writeStamps[StampIndex(conversationId)]);

    // Called after a write is committed and before the writer reads again. Conversations share the slots
    // of a fixed table, so memory stays bounded; a shared slot only means fewer reads are shared.
    private void Wrote(long conversationId) => Interlocked.Increment(ref writeStamps[StampIndex(conversationId)]);

    private int StampIndex(long conversationId) => (int)((ulong)conversationId % (ulong)writeStamps.Length);

    // --- cache failures -------------------------------------------------------------------------------

    // One cache call whose failure the caller survives (it falls back to the database or queues a repair):
    // the failure goes to the throttled log and the answer is false.
    private async Task<bool> TryAsync(Func<Task> call, string what, long id)
    {
        if (await FailureOfAsync(call) is not { } failure)
        {
            return true;
        }

        failures.Failed(failure, what, id);
        return false;
    }

    // One cache call, its failure handed back instead of thrown.
    private static async Task<Exception?> FailureOfAsync(Func<Task> call)
    {
        try
        {
            await call();
            return null;
        }
        catch (Exception e) when (IsCacheFailure(e))
        {
            return e;
        }
    }

    // Only the cache being unreachable or too slow is survived; any other exception is a bug and propagates.
    internal static bool IsCacheFailure(Exception e) =>
        e is StackExchange.Redis.RedisException or TimeoutException;

    private static string? RoleIn(IEnumerable<MemberRole> members, long userId) => members.FirstOrDefault(m => m.UserId == userId)?.Role;

    private sealed record Snapshot(ConversationHead Head, IReadOnlyList<MessageView> Recent);
}
