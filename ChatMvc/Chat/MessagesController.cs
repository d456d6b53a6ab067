using ChatMvc.Data;
using Microsoft.AspNetCore.Mvc;

namespace ChatMvc.Chat;

[Route("conversations/{conversationId}/messages")]
public sealed class MessagesController(
    ConversationCache cache, ConversationQueries conversations, MessageQueries messages, ChatWindowUpdates updates)
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
