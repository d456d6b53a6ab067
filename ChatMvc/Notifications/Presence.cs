using System.Collections.Concurrent;
using ChatMvc.Chat;
using ChatMvc.Data;
using Microsoft.AspNetCore.Mvc.Filters;

namespace ChatMvc.Notifications;

// When someone last opened a page: the missed-message mail only lists what came after. The write is skipped by the
// database while the mark is under a minute old, and never made from the poll, which must stay free of SQL.
public sealed class Presence(MissedMailQueries queries, TimeProvider time)
{
    // When this instance last wrote each person's mark. The database would skip a write under a minute old anyway;
    // remembering it here saves the round trip, which was one of every page's statements (a person has one entry).
    private readonly ConcurrentDictionary<long, long> written = new();

    public async Task SeenAsync(long userId)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        if (written.TryGetValue(userId, out var at) && at > now - MissedMailQueries.SeenResolutionMs)
        {
            return;
        }

        await queries.SeenAsync(userId, now);
        written[userId] = now;
    }

    // For a mark changed outside a visit (set back by hand, or a restored database): the next visit writes again.
    public void Forget(long userId) => written.TryRemove(userId, out _);
}

// Opening a page counts as a visit; the polls do not (an open tab is not a person reading, and a poll must not touch
// the database when nothing changed), and neither does the JSON API, whose clients poll it the same way.
public sealed class PresenceFilter(Presence presence) : IAsyncActionFilter
{
    public async Task OnActionExecutionAsync(ActionExecutingContext context, ActionExecutionDelegate next)
    {
        var http = context.HttpContext;
        var path = http.Request.Path.Value ?? "";
        if (http.User.Identity?.IsAuthenticated == true
            && !path.EndsWith("/poll", StringComparison.Ordinal)
            && !path.StartsWith("/api/", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                await presence.SeenAsync(http.User.UserId());
            }
            catch (System.Data.Common.DbException)
            {
                // Best effort: a visit not recorded costs at most one extra mail. The page goes on, and answers 503
                // itself if it needs the database too.
            }
        }

        await next();
    }
}
