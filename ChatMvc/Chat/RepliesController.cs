using Microsoft.AspNetCore.Mvc;

namespace ChatMvc.Chat;

// Replying to a message: the quote the composer shows above the reply. Without JavaScript the Reply link opens the
// window with ?replyTo= instead, which renders the same quote.
[Route("conversations/{conversationId}/messages/{messageId}/reply")]
public sealed class RepliesController(ConversationCache cache, Data.MessageQueries messages) : ConversationScopedController(cache)
{
    [HttpGet("")]
    public async Task<IActionResult> Quote(long messageId)
    {
        if (!Request.IsHtmx())
        {
            return Redirect(ChatUrls.ReplyTo(ConversationId, messageId));
        }

        if (await messages.FindAsync(ConversationId, messageId) is not { } message)
        {
            return NotFound();
        }

        Response.VaryOnHtmx();
        Response.TriggerClientEventAfterSettle("reply-ready", new { id = messageId });
        return PartialView("_ReplyQuote", new ReplyQuoteModel(ConversationId, message));
    }
}
