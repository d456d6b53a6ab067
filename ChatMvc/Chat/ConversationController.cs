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
    public async Task<IActionResult> Show(long? before, long? at, long? after)
    {
        var details = (await conversations.FindAsync(ConversationId))!;
        var title = details.TitleFor(CurrentUserId);
        if (at is not null || after is not null)
        {
            return await AroundAsync(details, title, at, after);
        }

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

    // The window around one message (a search result's permalink), or the page after one when paging newer from
    // there: history, like ?before=, with links to older and newer pages and no live updates.
    private async Task<IActionResult> AroundAsync(ConversationDetails details, string title, long? at, long? after)
    {
        const int half = MessageQueries.PageSize / 2;
        IReadOnlyList<MessageView> older = [];
        if (at is { } target)
        {
            if (await messages.FindAsync(ConversationId, target) is null)
            {
                return NotFound();
            }

            older = await messages.PageBeforeAsync(ConversationId, target + 1, half);
        }

        var take = at is null ? MessageQueries.PageSize : half;
        var newer = await messages.AfterAsync(ConversationId, at ?? after!.Value, take + 1);
        var shown = older.Concat(newer.Take(take)).ToList();
        return View(new ChatWindowModel
        {
            Conversation = details,
            Title = title,
            Messages = shown,
            Cursor = default,
            Viewer = Viewer,
            IsHistory = true,
            HasOlder = at is null ? shown.Count > 0 : older.Count == half,
            NewerAfterId = newer.Count > take ? shown[^1].Id : null,
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
