using ChatMvc.Chat;
using ChatMvc.Data;
using ChatMvc.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace ChatMvc.Api;

[Route("api/v1/conversations/{id:long}/messages")]
[Tags("Messages")]
public sealed class MessagesApiController(
    ConversationCache cache, MessageQueries messages, ChatWindowUpdates updates, ReadMarks reads, ConversationManagement management)
    : ConversationScopedApiController(cache)
{
    public const int MaxLimit = 100;

    // Keyset paging, oldest first within a page. No cursor: the newest messages. `before`: the page before that
    // id. `after`: what arrived since, answered from the cache like the chat window's poll; with the `version` of
    // the last answer it also brings the earlier messages edited or deleted since (changed). Reading the newest
    // messages marks them read, as opening the window does.
    [HttpGet("")]
    public async Task<ActionResult<MessagePageJson>> List(long? before, long? after, int? limit, long? version)
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

        if (version is not null && after is null)
        {
            ModelState.AddModelError("version", "Send version with after: it asks what changed since the answer that gave both.");
        }

        if (!ModelState.IsValid)
        {
            return Invalid();
        }

        if (before is { } beforeId)
        {
            var page = await messages.PageBeforeAsync(ConversationId, beforeId, size);
            return PageOf(page, [], size, older: page.Count == size ? page[0].Id : null, newer: page.Count > 0 ? page[^1].Id : null, version: null);
        }

        if (after is { } afterId)
        {
            var head = CachedHead ?? await Cache.HeadAsync(ConversationId);
            var update = await updates.SinceAsync(ConversationId, CurrentUserId, afterId, version ?? head.ChangeCounter, knownHead: head);
            var added = (update?.NewMessages ?? []).Take(size).ToList();
            return PageOf(
                added, update?.ChangedMessages ?? [], size, older: added.Count > 0 ? added[0].Id : null,
                newer: added.Count > 0 ? added[^1].Id : afterId, version: head.ChangeCounter);
        }

        var (latestHead, recent) = await Cache.SnapshotAsync(ConversationId);
        var latest = size <= recent.Count || recent.Count < ConversationCache.RecentCount
            ? recent.TakeLast(size).ToList()
            : await messages.LatestAsync(ConversationId, size);
        await reads.ShownAsync(ConversationId, CurrentUserId, latest, latestHead.LastMessageId);

        return PageOf(
            latest, [], size, older: latest.Count == size ? latest[0].Id : null, newer: latestHead.LastMessageId, version: latestHead.ChangeCounter);
    }

    // A retry with the same clientMessageId gets the first message back (200) instead of a second copy.
    [HttpPost("")]
    [EnableRateLimiting(RateLimitOptions.PostingPolicy)]
    [ProducesResponseType<MessageJson>(StatusCodes.Status201Created)]
    [ProducesResponseType<MessageJson>(StatusCodes.Status200OK)]
    public Task<ActionResult<MessageJson>> Send(SendMessageRequest request) =>
        SendAsync(request.Body, request.ClientMessageId, photo: null, alt: null, request.ReplyToId);

    // A photo with an optional text and description, as multipart/form-data.
    [HttpPost("image")]
    [EnableRateLimiting(RateLimitOptions.PostingPolicy)]
    [RequestSizeLimit(UploadBodyLimit)]
    [ProducesResponseType<MessageJson>(StatusCodes.Status201Created)]
    [ProducesResponseType<MessageJson>(StatusCodes.Status200OK)]
    public async Task<ActionResult<MessageJson>> SendImage(
        IFormFile? file, [FromForm] string? alt, [FromForm] string? body, [FromForm] string? clientMessageId, [FromForm] long? replyToId)
    {
        if (file is not { Length: > 0 })
        {
            return Invalid("file", "Attach the photo as the multipart/form-data field \"file\".");
        }

        await using var photo = file.OpenReadStream();
        return await SendAsync(body, clientMessageId, photo, alt, replyToId);
    }

    // As in the chat window: a photo message may keep only its photo, and its description (alt) can change.
    // A field left out keeps its value.
    [HttpPatch("{messageId:long}")]
    public async Task<ActionResult<MessageJson>> Edit(long messageId, EditMessageRequest request) =>
        Answer(
            await management.EditMessageAsync(ConversationId, messageId, CurrentUserId, request.Body, request.Alt),
            edited => Ok(MessageJson.From(edited, CurrentUserId)));

    [HttpDelete("{messageId:long}")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    public async Task<IActionResult> Delete(long messageId) =>
        Answer(await management.DeleteMessageAsync(Membership, messageId), _ => NoContent());

    private async Task<ActionResult<MessageJson>> SendAsync(string? body, string? clientMessageId, Stream? photo, string? alt, long? replyToId)
    {
        if (clientMessageId?.Length > MessageText.MaxClientMessageIdLength)
        {
            return Invalid("clientMessageId", $"clientMessageId can be at most {MessageText.MaxClientMessageIdLength} characters.");
        }

        var sent = await management.SendAsync(
            ConversationId, CurrentUserId, body, string.IsNullOrWhiteSpace(clientMessageId) ? null : clientMessageId, photo, alt, replyToId,
            HttpContext.RequestAborted);
        return sent switch
        {
            { Refusal: SendRefusal.Photo } => RefuseImage(sent.PhotoRejection!.Value, sent.Error!),
            { Refusal: { } refusal } => Invalid(
                refusal switch { SendRefusal.Alt => "alt", SendRefusal.ReplyTo => "replyToId", _ => "body" }, sent.Error!),
            { Created: true } => Created((string?)null, MessageJson.From(sent.Message!, CurrentUserId)),
            _ => Ok(MessageJson.From(sent.Message!, CurrentUserId)),
        };
    }

    private MessagePageJson PageOf(
        IReadOnlyList<MessageView> items, IReadOnlyList<MessageView> changed, int limit, long? older, long? newer, long? version) =>
        new(
            items.Select(m => MessageJson.From(m, CurrentUserId)).ToList(), changed.Select(m => MessageJson.From(m, CurrentUserId)).ToList(),
            new MessagePagingJson(limit, older, newer, version));
}

// ReplyToId: a message of the same conversation that this one replies to.
public sealed record SendMessageRequest(string? Body, string? ClientMessageId = null, long? ReplyToId = null);

public sealed record EditMessageRequest(string? Body, string? Alt = null);
