using ChatMvc.Chat;
using ChatMvc.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace ChatMvc.Api;

[Route("api/v1/conversations/{id:long}/messages")]
[Tags("Messages")]
public sealed class MessagesApiController(
    ConversationCache cache, ConversationQueries conversations, MessageQueries messages, ChatWindowUpdates updates,
    ConversationManagement management)
    : ConversationScopedApiController(cache)
{
    public const int MaxLimit = 100;

    // Keyset paging, oldest first within a page. No cursor: the newest messages. `before`: the page before that
    // id. `after`: what arrived since, answered from the cache like the chat window's poll. Reading the newest
    // messages marks them read, as opening the window does.
    [HttpGet("")]
    public async Task<ActionResult<MessagePageJson>> List(long? before, long? after, int? limit)
    {
        var size = limit ?? MessageQueries.PageSize;
        if (size is < 1 or > MaxLimit)
        {
            ModelState.AddModelError("limit", $"limit must be between 1 and {MaxLimit}.");
        }

        if (before is not null && after is not null)
        {
            ModelState.AddModelError("before", "Send before or after, not both.");
        }

        if (!ModelState.IsValid)
        {
            return Invalid();
        }

        if (before is { } beforeId)
        {
            var page = await messages.PageBeforeAsync(ConversationId, beforeId, size);
            return PageOf(page, size, older: page.Count == size ? page[0].Id : null, newer: page.Count > 0 ? page[^1].Id : null);
        }

        if (after is { } afterId)
        {
            var head = await Cache.HeadAsync(ConversationId);
            var update = await updates.SinceAsync(ConversationId, CurrentUserId, afterId, head.ChangeCounter);
            var added = (update?.NewMessages ?? []).Take(size).ToList();
            return PageOf(added, size, older: added.Count > 0 ? added[0].Id : null, newer: added.Count > 0 ? added[^1].Id : afterId);
        }

        var (latestHead, recent) = await Cache.SnapshotAsync(ConversationId);
        var latest = size <= recent.Count || recent.Count < ConversationCache.RecentCount
            ? recent.TakeLast(size).ToList()
            : await messages.LatestAsync(ConversationId, size);
        if (latest.Any(m => m.SenderId != CurrentUserId))
        {
            await conversations.MarkReadAsync(ConversationId, CurrentUserId, latestHead.LastMessageId);
            await Cache.TouchInboxesAsync([CurrentUserId]);
        }

        return PageOf(latest, size, older: latest.Count == size ? latest[0].Id : null, newer: latestHead.LastMessageId);
    }

    // A retry with the same clientMessageId gets the first message back (200) instead of a second copy.
    [HttpPost("")]
    [EnableRateLimiting(ApiRateLimitOptions.PostingPolicy)]
    [ProducesResponseType<MessageJson>(StatusCodes.Status201Created)]
    [ProducesResponseType<MessageJson>(StatusCodes.Status200OK)]
    public async Task<ActionResult<MessageJson>> Send(SendMessageRequest request)
    {
        var body = MessageText.Normalize(request.Body, out var error);
        if (body is null)
        {
            ModelState.AddModelError("body", error!);
        }

        if (request.ClientMessageId?.Length > MessageText.MaxClientMessageIdLength)
        {
            ModelState.AddModelError("clientMessageId", $"clientMessageId can be at most {MessageText.MaxClientMessageIdLength} characters.");
        }

        if (!ModelState.IsValid)
        {
            return Invalid();
        }

        var clientMessageId = string.IsNullOrWhiteSpace(request.ClientMessageId) ? null : request.ClientMessageId;
        var (message, created) = await messages.InsertAsync(ConversationId, CurrentUserId, MessageKind.Text, body!, clientMessageId);
        if (!created)
        {
            return Ok(MessageJson.From(message));
        }

        await Cache.MessageAddedAsync(message);
        return Created((string?)null, MessageJson.From(message));
    }

    [HttpPost("image")]
    [EnableRateLimiting(ApiRateLimitOptions.PostingPolicy)]
    [ProducesResponseType(StatusCodes.Status501NotImplemented)]
    public IActionResult SendImage() =>
        Refuse(StatusCodes.Status501NotImplemented, "Sending images is not available through the API yet.");

    [HttpPatch("{messageId:long}")]
    public async Task<ActionResult<MessageJson>> Edit(long messageId, EditMessageRequest request)
    {
        var body = MessageText.Normalize(request.Body, out var error);
        var edited = body is null ? null : await management.EditMessageAsync(ConversationId, messageId, CurrentUserId, body);
        if (edited is not null)
        {
            return MessageJson.From(edited);
        }

        var original = await messages.FindAsync(ConversationId, messageId);
        if (original is null || original.Kind != MessageKind.Text || original.DeletedAt is not null)
        {
            return MessageNotFound(messageId);
        }

        if (original.SenderId != CurrentUserId)
        {
            return Refuse(StatusCodes.Status403Forbidden, "Only the sender can edit a message.");
        }

        return Invalid("body", error ?? "The message changed while it was being edited. Fetch it and try again.");
    }

    // The sender may delete a message, and so may a group's owner.
    [HttpDelete("{messageId:long}")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    public async Task<IActionResult> Delete(long messageId)
    {
        if (await management.DeleteMessageAsync(ConversationId, messageId, CurrentUserId, IsOwner) is not null)
        {
            return NoContent();
        }

        return await messages.FindAsync(ConversationId, messageId) is { DeletedAt: null, Kind: MessageKind.Text }
            ? Refuse(StatusCodes.Status403Forbidden, "Only the sender, or the group's owner, can delete this message.")
            : MessageNotFound(messageId);
    }

    private static MessagePageJson PageOf(IReadOnlyList<MessageView> items, int limit, long? older, long? newer) =>
        new(items.Select(MessageJson.From).ToList(), new MessagePagingJson(limit, older, newer));

    private ObjectResult MessageNotFound(long messageId) =>
        Refuse(StatusCodes.Status404NotFound, $"There is no message {messageId} in this conversation, or it was deleted.");
}

public sealed record SendMessageRequest(string? Body, string? ClientMessageId = null);

public sealed record EditMessageRequest(string? Body);
