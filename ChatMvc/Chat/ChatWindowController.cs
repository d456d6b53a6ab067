using ChatMvc.Data;
using Microsoft.AspNetCore.Mvc;

namespace ChatMvc.Chat;

[Route("conversations/{conversationId}")]
public sealed class ChatWindowController(
    ConversationCache cache, ConversationQueries conversations, MessageQueries messages, ChatWindowUpdates updates)
    : ConversationScopedController(cache)
{
    [HttpGet("")]
    public async Task<IActionResult> Show(long? before)
    {
        var details = (await conversations.FindAsync(ConversationId))!;
        var title = details.TitleFor(CurrentUserId);
        if (before is not null)
        {
            var page = await messages.PageBeforeAsync(ConversationId, before.Value);
            return View(new ChatWindowModel { Conversation = details, Title = title, Messages = page, Cursor = default, Viewer = Viewer, IsHistory = true });
        }

        var lastRead = details.Members.First(m => m.UserId == CurrentUserId).LastReadMessageId;
        var (head, recent) = await Cache.SnapshotAsync(ConversationId);
        var shown = recent.TakeLast(MessageQueries.PageSize).ToList();
        if (head.LastMessageId > lastRead)
        {
            await conversations.MarkReadAsync(ConversationId, CurrentUserId, head.LastMessageId);
            await Cache.TouchInboxesAsync([CurrentUserId]);
        }

        return View(new ChatWindowModel
        {
            Conversation = details,
            Title = title,
            Messages = shown,
            Cursor = head,
            Viewer = Viewer,
            FirstUnreadId = shown.FirstOrDefault(m => m.Id > lastRead && m.SenderId != CurrentUserId && m.Kind == MessageKind.Text)?.Id,
        });
    }

    [HttpGet("messages")]
    public async Task<IActionResult> Older(long before)
    {
        if (!Request.IsHtmx())
        {
            return RedirectToAction(nameof(Show), new { conversationId = ConversationId, before });
        }

        Response.VaryOnHtmx();
        Response.OlderMessagesLoaded();
        var page = await messages.PageBeforeAsync(ConversationId, before);
        return PartialView("_OlderMessages", new OlderMessagesModel(ConversationId, page, page.Count >= MessageQueries.PageSize, Viewer));
    }

    // The hot path: an idle poll is answered 204 from the cache without touching the database.
    [HttpGet("poll")]
    public async Task<IActionResult> Poll(long after, long v)
    {
        var update = await updates.SinceAsync(ConversationId, CurrentUserId, after, v, knownHead: CachedHead);
        if (update is null)
        {
            return NoContent();
        }

        Response.DoNotCache();
        return PartialView("_WindowUpdate", new WindowUpdateView(update, Viewer));
    }
}
