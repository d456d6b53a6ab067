using ChatMvc.Api;
using ChatMvc.Data;
using ChatMvc.Images;
using ChatMvc.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace ChatMvc.Chat;

[Route("conversations/{conversationId}/messages")]
public sealed class MessagesController(
    ConversationCache cache, ConversationQueries conversations, MessageQueries messages, ChatWindowUpdates updates,
    ConversationManagement management)
    : ConversationScopedController(cache)
{
    [HttpPost("")]
    [EnableRateLimiting(RateLimitOptions.PostingPolicy)]
    public async Task<IActionResult> Create([FromForm] SendMessageForm form)
    {
        var clientMessageId = string.IsNullOrWhiteSpace(form.ClientMessageId) || form.ClientMessageId.Length > MessageText.MaxClientMessageIdLength
            ? null
            : form.ClientMessageId;
        await using var photo = form.Image is { Length: > 0 } ? form.Image.OpenReadStream() : null;
        var sent = await management.SendAsync(
            ConversationId, CurrentUserId, form.Body, clientMessageId, photo, form.ImageAlt, HttpContext.RequestAborted);
        if (sent.Error is { } error)
        {
            return await RejectAsync(form, error, sent.PhotoRejection);
        }

        if (!Request.IsHtmx())
        {
            return Redirect($"/conversations/{ConversationId}#composer");
        }

        Response.TriggerClientEvent("message-sent");
        var update = await updates.SinceAsync(ConversationId, CurrentUserId, form.After, form.V, Guid.NewGuid().ToString("N"));
        return PartialView("_WindowUpdate", new WindowUpdateView(update!, Viewer));
    }

    [HttpGet("{messageId}/edit")]
    public async Task<IActionResult> Edit(long messageId)
    {
        var message = await messages.FindAsync(ConversationId, messageId);
        if (message is null || message.Kind != MessageKind.Text || message.DeletedAt is not null)
        {
            return NotFound();
        }

        if (message.SenderId != CurrentUserId)
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }

        var model = new EditMessageModel(ConversationId, message, message.Body) { ImageAlt = message.ImageAlt };
        if (!Request.IsHtmx())
        {
            return View(model);
        }

        Response.MessageChanged(messageId, editing: true);
        return PartialView("_MessageEditor", model);
    }

    [HttpGet("{messageId}/view")]
    public async Task<IActionResult> Show(long messageId)
    {
        if (!Request.IsHtmx())
        {
            return Redirect($"/conversations/{ConversationId}#message-{messageId}");
        }

        var message = await messages.FindAsync(ConversationId, messageId);
        return message is null ? NotFound() : ChangedMessage(message);
    }

    [HttpPost("{messageId}")]
    public async Task<IActionResult> Update(long messageId, string? body, string? imageAlt)
    {
        var original = await messages.FindAsync(ConversationId, messageId);
        if (original is null || original.Kind != MessageKind.Text || original.DeletedAt is not null)
        {
            return NotFound();
        }

        if (original.SenderId != CurrentUserId)
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }

        // A photo message may keep only its photo, and its description can be added or changed here.
        var hasImage = original.ImageId is not null;
        var text = hasImage ? MessageText.NormalizeOptional(body, out var error) : MessageText.Normalize(body, out error);
        string? alt = null;
        if (hasImage)
        {
            alt = MessageText.NormalizeAlt(imageAlt, out var altError);
            error ??= altError;
        }

        var message = error is null ? await management.EditMessageAsync(ConversationId, messageId, CurrentUserId, text, alt) : null;
        if (message is null)
        {
            if (error is null)
            {
                return NotFound();
            }

            Response.StatusCode = StatusCodes.Status400BadRequest;
            var model = new EditMessageModel(ConversationId, original, body, error) { ImageAlt = imageAlt };
            return Request.IsHtmx() ? PartialView("_MessageEditor", model) : View("Edit", model);
        }

        return Request.IsHtmx() ? ChangedMessage(message) : Redirect($"/conversations/{ConversationId}#message-{messageId}");
    }

    [HttpPost("{messageId}/delete")]
    public async Task<IActionResult> Delete(long messageId)
    {
        var message = await management.DeleteMessageAsync(ConversationId, messageId, CurrentUserId, IsOwner);
        if (message is null)
        {
            return await messages.FindAsync(ConversationId, messageId) is { DeletedAt: null, Kind: MessageKind.Text }
                ? StatusCode(StatusCodes.Status403Forbidden)
                : NotFound();
        }

        return Request.IsHtmx() ? ChangedMessage(message) : Redirect($"/conversations/{ConversationId}#message-{messageId}");
    }

    // The message in place of its editor or of its older self.
    private PartialViewResult ChangedMessage(MessageView message)
    {
        Response.MessageChanged(message.Id, editing: false);
        return PartialView("_Message", new MessageItem(message, Viewer));
    }

    private async Task<IActionResult> RejectAsync(SendMessageForm form, string error, RejectionReason? photoRejection)
    {
        if (Request.IsHtmx())
        {
            return PartialView("_ComposerError", error);
        }

        var details = (await conversations.FindAsync(ConversationId))!;
        var (head, recent) = await Cache.SnapshotAsync(ConversationId);
        Response.StatusCode = photoRejection is { } reason ? Response.StatusForRefused(reason) : StatusCodes.Status400BadRequest;
        return View("~/Views/ChatWindow/Show.cshtml", new ChatWindowModel
        {
            Conversation = details,
            Title = details.TitleFor(CurrentUserId),
            Messages = recent.TakeLast(MessageQueries.PageSize).ToList(),
            Cursor = head,
            Viewer = Viewer,
            ComposerBody = form.Body,
            ComposerImageAlt = form.ImageAlt,
            ComposerError = error,
            ClientMessageId = form.ClientMessageId ?? Guid.NewGuid().ToString("N"),
        });
    }
}

public sealed record SendMessageForm
{
    public string? Body { get; init; }

    public IFormFile? Image { get; init; }

    public string? ImageAlt { get; init; }

    public string? ClientMessageId { get; init; }

    public long After { get; init; }

    public long V { get; init; }
}
