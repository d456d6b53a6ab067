using System.Text.Json;
using ChatMvc.Chat;
using ChatMvc.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace ChatMvc.Tests.Chat;

// The cached recent messages are parsed once per text and shared by every window, and a fragment key is remembered on
// the shared object: an edited message must still be a new object with a new key, and a viewer in another time zone
// must still get the key of the time they are shown.
public sealed class ParsedMessagesTests
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static readonly MessageView Hello = new()
    {
        Id = 7,
        ConversationId = 3,
        SenderId = 1,
        SenderName = "Ann",
        Kind = MessageKind.Text,
        Body = "Hello",
        CreatedAt = new DateTimeOffset(2026, 12, 4, 9, 30, 0, TimeSpan.Zero).ToUnixTimeMilliseconds(),
    };

    [Fact]
    public void The_same_text_gives_the_same_object_and_a_changed_text_a_new_one()
    {
        var parsed = new ParsedMessages();
        var text = JsonSerializer.Serialize(Hello, Json);

        var first = parsed.Parse(text);
        Assert.Same(first, parsed.Parse(new string(text.AsSpan())));
        Assert.Equal("Hello", first.Body);

        var edited = parsed.Parse(JsonSerializer.Serialize(Hello with { Body = "Hello again", EditedAt = Hello.CreatedAt + 60_000 }, Json));
        Assert.NotSame(first, edited);
        Assert.Equal("Hello again", edited.Body);
        Assert.NotEqual(MessageFragments.KeyOf(first, Clock("UTC")), MessageFragments.KeyOf(edited, Clock("UTC")));
    }

    [Fact]
    public void A_list_read_again_as_the_same_object_gives_the_same_parsed_list_and_a_fresh_read_the_same_messages()
    {
        var parsed = new ParsedMessages();
        IReadOnlyList<string> kept = [JsonSerializer.Serialize(Hello, Json), JsonSerializer.Serialize(Hello with { Id = 8, Body = "Bye" }, Json)];

        var first = parsed.ParseAll(kept);
        var fresh = parsed.ParseAll(kept.Select(text => new string(text.AsSpan())).ToList());

        Assert.Same(first, parsed.ParseAll(kept));
        Assert.NotSame(first, fresh);
        Assert.Equal(["Hello", "Bye"], first.Select(m => m.Body));
        Assert.All(first.Zip(fresh), pair => Assert.Same(pair.First, pair.Second));
    }

    [Fact]
    public void A_remembered_key_is_used_only_for_the_time_it_was_worked_out_for()
    {
        var message = new ParsedMessages().Parse(JsonSerializer.Serialize(Hello, Json));
        var utc = MessageFragments.KeyOf(message, Clock("UTC"));
        var tokyo = MessageFragments.KeyOf(message, Clock("Asia/Tokyo"));

        Assert.NotEqual(utc, tokyo);
        Assert.Equal(utc, MessageFragments.KeyOf(message, Clock("UTC")));
        Assert.Equal(tokyo, MessageFragments.KeyOf(message, Clock("Asia/Tokyo")));
        // Worked out afresh, not remembered: the same key for an equal message that is another object.
        Assert.Equal(utc, MessageFragments.KeyOf(Hello with { }, Clock("UTC")));
    }

    private static ViewerClock Clock(string zone) =>
        new(new HttpContextAccessor(), Options.Create(new AppOptions { DefaultTimeZone = zone }), TimeProvider.System);
}
