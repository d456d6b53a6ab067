using ChatMvc.Chat;
using ChatMvc.Data;
using Microsoft.AspNetCore.Mvc.Filters;

namespace ChatMvc.Notifications;

// When someone last opened a page: the missed-message mail only lists what came after. The write is skipped by the
// database while the mark is under a minute old, and never made from the poll, which must stay free of SQL.
public sealed class Presence(MissedMailQueries queries, TimeProvider time)
{
    public Task SeenAsync(long userId) => queries.SeenAsync(userId, time.GetUtcNow().ToUnixTimeMilliseconds());
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
