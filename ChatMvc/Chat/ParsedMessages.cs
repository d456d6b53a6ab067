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

    public MessageView Parse(string json) =>
        parsed.TryGetValue(json, out MessageView? message)
            ? message!
            : parsed.Set(json, JsonSerializer.Deserialize<MessageView>(json, Json)!, new MemoryCacheEntryOptions { Size = json.Length, SlidingExpiration = KeptFor });
}
