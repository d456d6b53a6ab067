using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using ChatMvc.Caching;
using ChatMvc.Data;

namespace ChatMvc.Chat;

// A person's conversation list rows and their own name and avatar, cached, so the list page and every chat
// window's shell run no SQL on a warm cache.
//
// The rows are stored with the inbox version they were read at. Every change that bumps the version also records
// which conversation it was for (ConversationCache.TouchInboxesAsync), so rows older than the version are brought
// up to date by reading only the conversations changed since, by id; a list poll sends the rows changed since the
// client's version the same way. When the record no longer reaches back that far (capped, lost with the cache, or a
// repair that could not say which conversation it was for), the whole list is read again.
public sealed class ConversationListCache(
    ICacheStore cache, ConversationCache conversationCache, ConversationQueries conversations, PeopleQueries people,
    TimeProvider time, ILogger<ConversationListCache> logger)
{
    // Rows and "me" of people who stopped using the app leave the cache; the version and the log stay right without them.
    private static readonly TimeSpan RowsLifetime = TimeSpan.FromMinutes(15);
    private static readonly TimeSpan MeLifetime = TimeSpan.FromHours(1);

    // Computed properties (unread by level, titles) are worked out again from the stored fields.
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { IgnoreReadOnlyProperties = true };

    private readonly CacheFailureLog failures = new(time, logger);

    // Each stored text parsed once: a copy kept in process is the same string object from one page to the next until
    // a write replaces it, and the parsed objects are never changed.
    private readonly ConditionalWeakTable<string, StoredRows> parsedRows = [];
    private readonly ConditionalWeakTable<string, Person> parsedMe = [];

    // The list as of the returned version, newest activity first. Changed holds the conversations changed since
    // `since` (their rows in Rows, or gone from it), or is null when that cannot be told.
    public async Task<CachedList> ListAsync(long userId, long? since = null)
    {
        var version = await conversationCache.InboxVersionAsync(userId);
        (string? Rows, IReadOnlyList<string> Log) cached = (null, []);
        try
        {
            if (version >= 0 && !conversationCache.InboxPending(userId))
            {
                cached = await cache.GetWithListAsync(CacheKeys.ListRows(userId), CacheKeys.InboxChanges(userId));
            }
            else
            {
                return new CachedList(version, await conversations.ListForUserAsync(userId), null);
            }
        }
        catch (Exception e) when (ConversationCache.IsCacheFailure(e))
        {
            failures.Failed(e, "reading from the database the conversation list of user", userId);
            return new CachedList(version, await conversations.ListForUserAsync(userId), null);
        }

        var log = ParseLog(cached.Log);
        var stored = cached.Rows is null ? null : RowsOf(cached.Rows);
        IReadOnlyList<ConversationSummary> rows;
        if (stored is not null && stored.Version >= version)
        {
            // Read at this version or later (another instance may have seen a newer version first).
            rows = stored.Rows;
        }
        else
        {
            if (stored is not null && ChangedBetween(log, stored.Version, version) is { } changed)
            {
                var fresh = await conversations.ListForUserAsync(userId, changed);
                rows = stored.Rows.Where(row => !changed.Contains(row.Id)).Concat(fresh)
                    .OrderByDescending(row => row.LastActivityAt).ThenByDescending(row => row.Id).ToList();
            }
            else
            {
                rows = await conversations.ListForUserAsync(userId);
            }

            // Read after the version was, so at least as new as it: a change made meanwhile is in the log above it.
            await TryAsync(
                () => cache.SetAsync(CacheKeys.ListRows(userId), JsonSerializer.Serialize(new StoredRows(version, rows), Json), RowsLifetime),
                "not keeping the conversation list rows of user", userId);
        }

        return new CachedList(version, rows, since is { } from && from <= version ? ChangedBetween(log, from, version) : null);
    }

    // The signed-in person as the shell shows them; dropped when their name or avatar changes.
    public async Task<Person> MeAsync(long userId)
    {
        string? cached = null;
        await TryAsync(async () => cached = await cache.GetAsync(CacheKeys.Me(userId)), "reading from the database the profile of user", userId);
        if (cached is not null)
        {
            return parsedMe.GetValue(cached, text => JsonSerializer.Deserialize<Person>(text, Json)!);
        }

        var me = (await people.FindManyAsync([userId])).FirstOrDefault() ?? new Person { Id = userId };
        await TryAsync(() => cache.SetAsync(CacheKeys.Me(userId), JsonSerializer.Serialize(me, Json), MeLifetime), "not keeping the profile of user", userId);
        return me;
    }

    // Until the drop reaches the cache the shell may show the old name or avatar; the entry's lifetime bounds that.
    public Task ProfileChangedAsync(long userId) =>
        TryAsync(() => cache.DeleteAsync(CacheKeys.Me(userId)), "could not drop the cached profile of user", userId);

    private StoredRows RowsOf(string text) => parsedRows.GetValue(text, json => JsonSerializer.Deserialize<StoredRows>(json, Json)!);

    // The conversations changed after version `from` up to `to`, or null unless the log holds every change in
    // between, each for a known conversation.
    private static HashSet<long>? ChangedBetween(IReadOnlyList<(long Version, long? Conversation)> log, long from, long to)
    {
        var changed = new HashSet<long>();
        var expected = from + 1;
        foreach (var (version, conversation) in log)
        {
            if (version <= from || version > to)
            {
                continue;
            }

            if (version != expected || conversation is not { } id)
            {
                return null;
            }

            changed.Add(id);
            expected++;
        }

        return expected == to + 1 ? changed : null;
    }

    private static List<(long Version, long? Conversation)> ParseLog(IReadOnlyList<string> entries)
    {
        var log = new List<(long, long?)>(entries.Count);
        foreach (var entry in entries)
        {
            var colon = entry.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && long.TryParse(entry.AsSpan(0, colon), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var version))
            {
                log.Add((version, long.TryParse(entry.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null));
            }
        }

        return log;
    }

    private async Task TryAsync(Func<Task> call, string what, long id)
    {
        try
        {
            await call();
        }
        catch (Exception e) when (ConversationCache.IsCacheFailure(e))
        {
            failures.Failed(e, what, id);
        }
    }

    private sealed record StoredRows(long Version, IReadOnlyList<ConversationSummary> Rows);
}

// A person's conversation list as of an inbox version; see ConversationListCache.ListAsync.
public sealed record CachedList(long Version, IReadOnlyList<ConversationSummary> Rows, IReadOnlySet<long>? Changed);
