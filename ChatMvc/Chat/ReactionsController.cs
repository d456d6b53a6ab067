using ChatMvc.Data;
using ChatMvc.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace ChatMvc.Chat;

// A message's reactions. Each reaction's button posts whether it adds or removes (so a second click of a stale page
// changes nothing twice); with htmx the message comes back in place, else the window again with a status line.
[Route("conversations/{conversationId}/messages/{messageId}/reactions")]
public sealed class ReactionsController(ConversationCache cache, MessageQueries messages, MessageReactions reactions)
    : ConversationScopedController(cache)
{
    // Without JavaScript the menu's React link opens this page, with what was typed there filled in: the common
    // choices and a field for any other. With it, the same link asks for the same choices and field alone, put in the
    // menu the first time it opens.
    [HttpGet("")]
    public async Task<IActionResult> New(long messageId, string? emoji)
    {
        Response.VaryOnHtmx();
        if (await ReactableAsync(messageId) is not { } message)
        {
            return NotFound();
        }

        return Request.IsHtmx()
            ? PartialView("_ReactionPicker", new ReactionPickerModel(message))
            : View(new ReactionPageModel(message, Viewer, emoji));
    }

    [HttpPost("")]
    [EnableRateLimiting(RateLimitOptions.PostingPolicy)]
    public async Task<IActionResult> Change(long messageId, string? emoji, bool remove) =>
        await AnswerAsync(
            await reactions.ChangeAsync(Membership, messageId, emoji, add: !remove),
            message =>
            {
                var said = remove ? $"You removed your reaction {emoji!.Trim()}." : $"You reacted with {emoji!.Trim()}.";
                if (!Request.IsHtmx())
                {
                    this.SetStatus(said);
                    return Redirect(ChatUrls.MessageInConversation(ConversationId, messageId));
                }

                Response.ReactionChanged(messageId, MessageReactions.Normalize(emoji, out _)!, said);
                return PartialView("_Message", new MessageItem(message, Viewer));
            },
            async invalid =>
            {
                if (await ReactableAsync(messageId) is not { } message)
                {
                    return NotFound();
                }

                Response.StatusCode = StatusCodes.Status400BadRequest;
                return Request.IsHtmx()
                    ? PartialView("_Message", new MessageItem(message, Viewer) { ReactionError = invalid.Message, ReactionValue = emoji })
                    : View("New", new ReactionPageModel(message, Viewer, emoji, invalid.Message));
            });

    // Only a text message still there takes reactions; anything else is 404, as a message that is not there.
    private async Task<MessageView?> ReactableAsync(long messageId) =>
        await messages.FindAsync(ConversationId, messageId) is { Kind: MessageKind.Text, DeletedAt: null } message ? message : null;
}
