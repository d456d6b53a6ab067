using System.Globalization;
using System.Text;
using ChatMvc.Data;

namespace ChatMvc.Chat;

// Reacting to a message with an emoji or a short word, the same rule for the pages and the API.
public sealed class MessageReactions(ReactionQueries reactions, MessageQueries messages, ConversationCache cache)
{
    public const int MaxLength = 16;

    // Emoji that are one character to a reader can be many UTF-16 units (a family is 11): this bounds the storage.
    public const int MaxStoredLength = 64;

    // Offered in the message menu; any other emoji or word can be typed.
    public static readonly IReadOnlyList<string> CommonChoices = ["👍", "❤️", "😂", "🎉", "👀", "🙏"];

    // Adds (add: true) or removes the member's reaction. Only a text message that is still there takes reactions.
    public async Task<Outcome<MessageView>> ChangeAsync(Membership member, long messageId, string? emoji, bool add)
    {
        if (Normalize(emoji, out var error) is not { } text)
        {
            return Outcome.Invalid<MessageView>("emoji", error!);
        }

        var change = await reactions.ChangeAsync(member.ConversationId, messageId, member.UserId, text, add);
        switch (change)
        {
            case ReactionChange.NoSuchMessage:
                return new Outcome<MessageView>.NotFound($"There is no message {messageId} in this conversation, or it was deleted.");
            case ReactionChange.TooMany:
                return Outcome.Invalid<MessageView>(
                    "emoji", $"You can add at most {ReactionQueries.MaxPerPersonAndMessage} reactions to one message. Remove one first.");
            case ReactionChange.Changed:
                await cache.ConversationChangedAsync(member.ConversationId);
                break;
        }

        return (await messages.FindAsync(member.ConversationId, messageId))!;
    }

    // A reaction as stored: trimmed and in one Unicode form, so the same emoji typed two ways counts once. Null, with
    // the reason, when it is empty, longer than MaxLength characters (as a reader counts them), or not plain text.
    public static string? Normalize(string? emoji, out string? error)
    {
        var text = (emoji ?? string.Empty).Trim();
        // Normalizing throws on half a surrogate pair, which NameError then refuses.
        if (MessageText.IsReadable(text, multiline: false) && !text.IsNormalized())
        {
            text = text.Normalize(NormalizationForm.FormC);
        }

        var length = text.Length == 0 ? 0 : new StringInfo(text).LengthInTextElements;
        error = length switch
        {
            0 => "Choose an emoji or type a short word to react with.",
            > MaxLength => $"A reaction can be at most {MaxLength} characters; this one has {length}.",
            _ when text.Length > MaxStoredLength => $"A reaction can be at most {MaxLength} characters, and simpler ones: this one is too long to store.",
            _ => MessageText.NameError(text, "A reaction"),
        };
        return error is null ? text : null;
    }

    // A stable piece of an element id for a reaction: its UTF-8 bytes in hex (an emoji or word may hold any character).
    public static string IdOf(string emoji) => Convert.ToHexStringLower(Encoding.UTF8.GetBytes(emoji));
}
