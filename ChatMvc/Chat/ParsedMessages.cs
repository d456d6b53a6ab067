using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.Caching.Memory;

namespace ChatMvc.Chat;

// The cached recent messages arrive as JSON, the same text for a message until it changes (an edit, a delete, a
// reaction). Parsed once per text and shared, every window gets the same objects: no 50 parses per window, and
// MessageFragments remembers each message's fragment key on its object. The objects are never changed once made.
public sealed class ParsedMessages
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static readonly TimeSpan KeptFor = TimeSpan.FromMinutes(10);

    private readonly MemoryCache parsed = new(new MemoryCacheOptions { SizeLimit = 32L * 1024 * 1024 });

    // With Redis, a window's recent messages are usually this instance's copy of the list (LocalCopies): the same list
    // object each time, whose parsed messages are found by reference without hashing 50 texts again. One entry per
    // list read, not per message: a send reads a fresh list, and every entry here is a handle the GC must trace.
    private readonly ConditionalWeakTable<IReadOnlyList<string>, IReadOnlyList<MessageView>> lists = [];

    public IReadOnlyList<MessageView> ParseAll(IReadOnlyList<string> texts) =>
        lists.GetValue(texts, list => list.Select(Parse).ToList().AsReadOnly());

    public MessageView Parse(string json) =>
        parsed.TryGetValue(json, out MessageView? message)
            ? message!
            : parsed.Set(json, JsonSerializer.Deserialize<MessageView>(json, Json)!, new MemoryCacheEntryOptions { Size = json.Length, SlidingExpiration = KeptFor });
}
