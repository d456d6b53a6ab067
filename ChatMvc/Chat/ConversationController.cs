using ChatMvc.Data;
using Microsoft.AspNetCore.Mvc;

namespace ChatMvc.Chat;

// One conversation: its window, and the poll that keeps the window up to date.
[Route("conversations/{conversationId}")]
public sealed class ConversationController(
    ConversationCache cache, ConversationQueries conversations, MessageQueries messages, ChatWindowUpdates updates, ReadMarks reads)
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
        await reads.ShownAsync(ConversationId, CurrentUserId, shown, head.LastMessageId, lastRead);

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
