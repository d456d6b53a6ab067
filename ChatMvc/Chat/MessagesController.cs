using ChatMvc.Api;
using ChatMvc.Data;
using ChatMvc.Files;
using ChatMvc.Images;
using ChatMvc.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace ChatMvc.Chat;

[Route("conversations/{conversationId}/messages")]
public sealed class MessagesController(
    ConversationCache cache, ConversationQueries conversations, MessageQueries messages, ChatWindowUpdates updates,
    ConversationManagement management, ChatWindows windows, FileUploads uploads)
    : ConversationScopedController(cache)
{
    [HttpPost("")]
    [EnableRateLimiting(RateLimitOptions.PostingPolicy)]
    [FileUploadLimit]
    public async Task<IActionResult> Create([FromForm] SendMessageForm form)
    {
        var clientMessageId = string.IsNullOrWhiteSpace(form.ClientMessageId) || form.ClientMessageId.Length > MessageText.MaxClientMessageIdLength
            ? null
            : form.ClientMessageId;
        // An empty file input still sends a part, without a name; a chosen file always has one.
        var sent = !string.IsNullOrEmpty(form.File?.FileName)
            ? await SendFileAsync(form, clientMessageId)
            : await SendPhotoAsync(form, clientMessageId);
        if (sent.Error is { } error)
        {
            return await RejectAsync(form, error, sent.PhotoRejection, sent.FileRejection);
        }

        if (!Request.IsHtmx())
        {
            return Redirect(ChatUrls.Composer(ConversationId));
        }

        Response.TriggerClientEvent("message-sent");
        var update = await updates.SinceAsync(
            ConversationId, CurrentUserId, form.After, form.V, Guid.NewGuid().ToString("N"), lastRead: sent.Message!.Id);
        return PartialView("_WindowUpdate", new WindowUpdateView(update!, Viewer));
    }

    private async Task<SendOutcome> SendPhotoAsync(SendMessageForm form, string? clientMessageId)
    {
        await using var photo = form.Image is { Length: > 0 } ? form.Image.OpenReadStream() : null;
        return await management.SendAsync(
            ConversationId, CurrentUserId, form.Body, clientMessageId, photo, form.ImageAlt, form.ReplyToId, HttpContext.RequestAborted);
    }

    private async Task<SendOutcome> SendFileAsync(SendMessageForm form, string? clientMessageId)
    {
        if (form.Image is { Length: > 0 })
        {
            return SendOutcome.Refuse(SendRefusal.File, "Send a photo or a file, not both: send one, then the other.");
        }

        using var slot = uploads.TryBegin(CurrentUserId);
        var upload = slot is null
            ? FileUploads.Busy(uploads.Options.MaxInProgressPerPerson)
            : await uploads.StoreAsync(
                ConversationId, CurrentUserId, form.File!.OpenReadStream(), form.File.FileName, form.File.ContentType, HttpContext.RequestAborted);
        return upload.Rejection is { } rejection
            ? SendOutcome.Refuse(SendRefusal.File, rejection.Message, fileRejection: rejection.Reason)
            : await management.SendFileAsync(ConversationId, CurrentUserId, form.Body, clientMessageId, upload.File!);
    }

    // Older messages for the window's "load older" link; without htmx, the history page.
    [HttpGet("")]
    public async Task<IActionResult> Older(long before)
    {
        if (!Request.IsHtmx())
        {
            return RedirectToAction(nameof(ConversationController.Show), "Conversation", new { conversationId = ConversationId, before });
        }

        Response.VaryOnHtmx();
        Response.OlderMessagesLoaded();
        var page = await messages.PageBeforeAsync(ConversationId, before);
        return PartialView("_OlderMessages", new OlderMessagesModel(ConversationId, page, page.Count >= MessageQueries.PageSize, Viewer));
    }

    [HttpGet("{messageId}/edit")]
    public async Task<IActionResult> Edit(long messageId) =>
        Answer(await management.EditableAsync(ConversationId, messageId, CurrentUserId), message =>
        {
            var model = new EditMessageModel(ConversationId, message, message.Body) { ImageAlt = message.ImageAlt };
            if (!Request.IsHtmx())
            {
                return View(model);
            }

            Response.MessageChanged(messageId, editing: true);
            return PartialView("_MessageEditor", model);
        });

    [HttpGet("{messageId}/view")]
    public async Task<IActionResult> Show(long messageId)
    {
        if (!Request.IsHtmx())
        {
            return Redirect(ChatUrls.MessageInConversation(ConversationId, messageId));
        }

        var message = await messages.FindAsync(ConversationId, messageId);
        return message is null ? NotFound() : ChangedMessage(message);
    }

    // The form sends the whole message: a field it leaves empty (which arrives as null) is emptied, not kept.
    [HttpPost("{messageId}")]
    public async Task<IActionResult> Update(long messageId, string? body, string? imageAlt) =>
        await AnswerAsync(
            await management.EditMessageAsync(ConversationId, messageId, CurrentUserId, body ?? string.Empty, imageAlt ?? string.Empty),
            message => Request.IsHtmx() ? ChangedMessage(message) : Redirect(ChatUrls.MessageInConversation(ConversationId, messageId)),
            async invalid =>
            {
                var original = (await messages.FindAsync(ConversationId, messageId))!;
                Response.StatusCode = StatusCodes.Status400BadRequest;
                var model = new EditMessageModel(ConversationId, original, body, invalid.Message) { ImageAlt = imageAlt };
                return Request.IsHtmx() ? PartialView("_MessageEditor", model) : View("Edit", model);
            });

    // Without JavaScript, Delete opens this page to confirm; with htmx the message asks in place.
    [HttpGet("{messageId}/delete")]
    public async Task<IActionResult> ConfirmDelete(long messageId) =>
        Answer(await management.DeletableAsync(Membership, messageId), message => View("Delete", message));

    [HttpPost("{messageId}/delete")]
    public async Task<IActionResult> Delete(long messageId) =>
        Answer(
            await management.DeleteMessageAsync(Membership, messageId),
            message =>
            {
                if (Request.IsHtmx())
                {
                    return ChangedMessage(message);
                }

                this.SetStatus("Message deleted.");
                return Redirect(ChatUrls.MessageInConversation(ConversationId, messageId));
            });

    // The message in place of its editor or of its older self.
    private PartialViewResult ChangedMessage(MessageView message)
    {
        Response.MessageChanged(message.Id, editing: false);
        return PartialView("_Message", new MessageItem(message, Viewer));
    }

    private async Task<IActionResult> RejectAsync(SendMessageForm form, string error, RejectionReason? photoRejection, FileRefusal? fileRejection)
    {
        if (Request.IsHtmx())
        {
            return PartialView("_ComposerError", error);
        }

        var details = (await conversations.FindAsync(ConversationId))!;
        Response.StatusCode = photoRejection is { } reason ? Response.StatusForRefused(reason)
            : fileRejection switch
            {
                FileRefusal.TooLarge => StatusCodes.Status413PayloadTooLarge,
                FileRefusal.Busy => StatusCodes.Status429TooManyRequests,
                _ => StatusCodes.Status400BadRequest,
            };
        return View("~/Views/Conversation/Show.cshtml", await windows.LatestAsync(details, Viewer) with
        {
            ComposerBody = form.Body,
            ComposerImageAlt = form.ImageAlt,
            ComposerError = error,
            ClientMessageId = form.ClientMessageId ?? Guid.NewGuid().ToString("N"),
            ReplyTo = form.ReplyToId is { } replyToId ? await messages.FindAsync(ConversationId, replyToId) : null,
        });
    }
}

public sealed record SendMessageForm
{
    public string? Body { get; init; }

    public IFormFile? Image { get; init; }

    // Any other file: a document, a video, a sound.
    public IFormFile? File { get; init; }

    public string? ImageAlt { get; init; }

    public string? ClientMessageId { get; init; }

    // The message this one replies to, from the quote above the composer.
    public long? ReplyToId { get; init; }

    public long After { get; init; }

    public long V { get; init; }
}
