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

    // With Redis, a window's recent messages are usually this instance's copy of the list (LocalCopies): the same
    // string objects each time, found by reference without hashing the text again.
    private readonly ConditionalWeakTable<string, MessageView> byReference = [];

    public MessageView Parse(string json) =>
        byReference.TryGetValue(json, out var known) ? known : byReference.GetValue(json, ParseText);

    private MessageView ParseText(string json) =>
        parsed.TryGetValue(json, out MessageView? message)
            ? message!
            : parsed.Set(json, JsonSerializer.Deserialize<MessageView>(json, Json)!, new MemoryCacheEntryOptions { Size = json.Length, SlidingExpiration = KeptFor });
}
