using ChatMvc.Data;
using Microsoft.AspNetCore.Mvc;

namespace ChatMvc.Chat;

// One conversation: its window, and the poll that keeps the window up to date.
[Route("conversations/{conversationId}")]
public sealed class ConversationController(
    ConversationCache cache, MessageQueries messages, ChatWindows windows, ChatWindowUpdates updates, WindowPages pages)
    : ConversationScopedController(cache)
{
    // at: the window around one message (a search result's permalink); after: the page after one, paging newer
    // from there; before: the page before one, paging older; unreadAfter: continue from a message ("N more
    // unread"), as if everything up to it had been read; replyTo: the window with the composer replying to a message
    // (the Reply link without JavaScript).
    [HttpGet("")]
    public async Task<IActionResult> Show(long? before, long? at, long? after, long? unreadAfter, long? replyTo)
    {
        var details = (await Cache.DetailsAsync(ConversationId))!;
        if (at is not null || after is not null)
        {
            return await windows.AroundAsync(details, Viewer, at, after) is { } around ? View(around) : NotFound();
        }

        if (before is { } olderThan)
        {
            return View(await windows.HistoryAsync(details, Viewer, olderThan));
        }

        MessageView? repliedTo = null;
        if (replyTo is { } repliedId && (repliedTo = await messages.FindAsync(ConversationId, repliedId)) is null)
        {
            return NotFound();
        }

        return pages.Show(this, await windows.OpenAsync(details, Viewer, unreadAfter) with { ReplyTo = repliedTo });
    }

    // The hot path: an idle poll is answered 204 before MVC (IdlePolls); this renders what changed.
    [HttpGet("poll")]
    [IdlePoll(IdlePollKind.Conversation)]
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
