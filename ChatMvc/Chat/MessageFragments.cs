using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ChatMvc.Caching;
using ChatMvc.Delivery;
using Microsoft.Extensions.Caching.Memory;

namespace ChatMvc.Chat;

// The viewer-neutral HTML of a message (_MessageShared: sender, time, quote, body, photo, file, the menu's name and
// its links to reply and react), rendered once per state of the message and reused by every viewer, as Campfire
// caches its message partial. The key names everything the HTML shows, so a fragment never changes: an edit, a
// delete, a new name or picture of the sender, a new build of the views or another time zone's clock reading is a
// new key. Kept in process; with Redis also there for the other instances, a window fetching its misses in one round
// trip. _Message adds what depends on the viewer around the parts without rendering them again.
public sealed class MessageFragments(ICacheStore store, ILogger<MessageFragments> logger)
{
    // Separates the parts in one stored string: a control character HTML encoding never lets through.
    public const char PartSeparator = '\u0001';

    private static readonly TimeSpan StoredFor = TimeSpan.FromDays(2);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static readonly ConditionalWeakTable<MessageView, KnownKey> Keys = [];

    // The views are compiled into this assembly: another build may render a message differently.
    private static readonly string Build = typeof(MessageFragments).Assembly.ManifestModule.ModuleVersionId.ToString("N");

    private readonly MemoryCache local = new(new MemoryCacheOptions { SizeLimit = 64L * 1024 * 1024 });

    private long renders;

    // Fragments rendered here rather than found; for tests and diagnostics.
    public long Renders => Interlocked.Read(ref renders);

    // A message's key for the clock it is shown by. Worked out once per message object and clock (the viewer's zone
    // and day, from which the time shown follows): the cached recent messages are the same objects from one window to
    // the next (ParsedMessages), so a warm window neither formats a time nor hashes a message.
    public static string KeyOf(MessageView message, ViewerClock clock)
    {
        var zone = clock.Zone.Id;
        var today = clock.Today;
        if (Keys.TryGetValue(message, out var known) && known.Today == today && string.Equals(known.Zone, zone, StringComparison.Ordinal))
        {
            return known.Key;
        }

        var key = KeyOf(message, clock.Format(new TimeView(message.CreatedUtc, TimeStyle.Message)));
        Keys.AddOrUpdate(message, new KnownKey(zone, today, key));
        return key;
    }

    private static string KeyOf(MessageView message, string shownTime)
    {
        var shown = JsonSerializer.Serialize(message with { Reactions = [] }, Json);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{Build}\n{shownTime}\n{shown}"));
        return CacheKeys.MessageFragment(message.Id, Convert.ToHexString(hash, 0, 12));
    }

    // Brings a window's fragments that this instance lacks from the shared store in one round trip.
    public async Task PrefetchAsync(IEnumerable<string> keys)
    {
        if (!store.SharedAcrossInstances)
        {
            return;
        }

        var missing = keys.Where(key => !local.TryGetValue(key, out _)).ToList();
        if (missing.Count == 0)
        {
            return;
        }

        try
        {
            var found = await store.GetManyAsync(missing);
            for (var i = 0; i < missing.Count; i++)
            {
                if (found[i] is { } html)
                {
                    Keep(missing[i], html);
                }
            }
        }
        catch (Exception e) when (e is StackExchange.Redis.RedisException or TimeoutException)
        {
            logger.LogDebug(e, "Message fragments not fetched; rendering them here");
        }
    }

    public async Task<Utf8Html[]> PartsAsync(string key, Func<Task<string>> render)
    {
        if (!local.TryGetValue(key, out Utf8Html[]? parts))
        {
            Interlocked.Increment(ref renders);
            var html = await render();
            parts = Keep(key, html);
            if (store.SharedAcrossInstances)
            {
                try
                {
                    await store.SetAsync(key, html, StoredFor);
                }
                catch (Exception e) when (e is StackExchange.Redis.RedisException or TimeoutException)
                {
                    logger.LogDebug(e, "Message fragment not stored for the other instances");
                }
            }
        }

        return parts!;
    }

    // Kept in process already split and encoded as they leave, so a window only copies the parts' bytes into its page.
    private Utf8Html[] Keep(string key, string html)
    {
        var parts = Array.ConvertAll(html.Split(PartSeparator), Utf8Html.From);
        var size = parts.Sum(part => part.Length);
        return local.Set(key, parts, new MemoryCacheEntryOptions { Size = size, SlidingExpiration = StoredFor });
    }

    private sealed record KnownKey(string Zone, DateOnly Today, string Key);
}
