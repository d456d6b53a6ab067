using ChatMvc.Chat;
using ChatMvc.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace ChatMvc.Api;

// The caller's reaction on a message: POST adds it, DELETE takes it away; both answer with the message as it now is,
// and doing either twice changes nothing more.
[Route("api/v1/conversations/{id:long}/messages/{messageId:long}/reactions")]
[Tags("Messages")]
public sealed class ReactionsApiController(ConversationCache cache, MessageReactions reactions) : ConversationScopedApiController(cache)
{
    [HttpPost("")]
    [EnableRateLimiting(RateLimitOptions.PostingPolicy)]
    public async Task<ActionResult<MessageJson>> Add(long messageId, ReactionRequest request) =>
        Answer(await reactions.ChangeAsync(Membership, messageId, request.Emoji, add: true), message => Ok(MessageJson.From(message, CurrentUserId)));

    [HttpDelete("")]
    [EnableRateLimiting(RateLimitOptions.PostingPolicy)]
    public async Task<ActionResult<MessageJson>> Remove(long messageId, ReactionRequest request) =>
        Answer(await reactions.ChangeAsync(Membership, messageId, request.Emoji, add: false), message => Ok(MessageJson.From(message, CurrentUserId)));
}

// Emoji: an emoji or a short word, 1 to 16 characters.
public sealed record ReactionRequest(string? Emoji);
