using ChatMvc.Data;
using Microsoft.AspNetCore.Mvc;

namespace ChatMvc.Chat;

[Route("conversations/{conversationId}/messages")]
public sealed class MessagesController(
    ConversationCache cache, ConversationQueries conversations, MessageQueries messages, ChatWindowUpdates updates,
    ConversationManagement management)
    : ConversationScopedController(cache)
{
    [HttpPost("")]
    public async Task<IActionResult> Create([FromForm] SendMessageForm form)
    {
        var body = MessageText.Normalize(form.Body, out var error);
        var clientMessageId = string.IsNullOrWhiteSpace(form.ClientMessageId) || form.ClientMessageId.Length > 64
            ? null
            : form.ClientMessageId;
        if (body is null)
        {
            return await RejectAsync(form, error!);
        }

        var (message, created) = await messages.InsertAsync(ConversationId, CurrentUserId, MessageKind.Text, body, clientMessageId);
        if (created)
        {
            await Cache.MessageAddedAsync(message);
        }

        if (!Request.IsHtmx())
        {
            return Redirect($"/conversations/{ConversationId}#composer");
        }

        Response.TriggerClientEvent("message-sent");
        var update = await updates.SinceAsync(ConversationId, CurrentUserId, form.After, form.V, Guid.NewGuid().ToString("N"));
        return PartialView("_WindowUpdate", update);
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

        var model = new EditMessageModel(ConversationId, message, message.Body);
        return Request.IsHtmx() ? PartialView("_MessageEditor", model) : View(model);
    }

    [HttpGet("{messageId}/view")]
    public async Task<IActionResult> Show(long messageId)
    {
        if (!Request.IsHtmx())
        {
            return Redirect($"/conversations/{ConversationId}#message-{messageId}");
        }

        var message = await messages.FindAsync(ConversationId, messageId);
        return message is null ? NotFound() : PartialView("_Message", message);
    }

    [HttpPost("{messageId}")]
    public async Task<IActionResult> Update(long messageId, string? body)
    {
        var text = MessageText.Normalize(body, out var error);
        var message = text is null ? null : await management.EditMessageAsync(ConversationId, messageId, CurrentUserId, text);
        if (message is null)
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

            Response.StatusCode = StatusCodes.Status400BadRequest;
            var model = new EditMessageModel(ConversationId, original, body, error);
            return Request.IsHtmx() ? PartialView("_MessageEditor", model) : View("Edit", model);
        }

        return Request.IsHtmx() ? PartialView("_Message", message) : Redirect($"/conversations/{ConversationId}#message-{messageId}");
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

        return Request.IsHtmx() ? PartialView("_Message", message) : Redirect($"/conversations/{ConversationId}#message-{messageId}");
    }

    private async Task<IActionResult> RejectAsync(SendMessageForm form, string error)
    {
        if (Request.IsHtmx())
        {
            return PartialView("_ComposerError", error);
        }

        var details = (await conversations.FindAsync(ConversationId))!;
        var (head, recent) = await Cache.SnapshotAsync(ConversationId);
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return View("~/Views/ChatWindow/Show.cshtml", new ChatWindowModel
        {
            Conversation = details,
            Title = details.TitleFor(CurrentUserId),
            Messages = recent.TakeLast(MessageQueries.PageSize).ToList(),
            Cursor = head,
            ComposerBody = form.Body,
            ComposerError = error,
            ClientMessageId = form.ClientMessageId ?? Guid.NewGuid().ToString("N"),
        });
    }
}

public sealed record SendMessageForm
{
    public string? Body { get; init; }

    public string? ClientMessageId { get; init; }

    public long After { get; init; }

    public long V { get; init; }
}
