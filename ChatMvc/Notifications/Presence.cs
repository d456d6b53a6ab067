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

// Every action a signed-in person asks for counts as a visit, except the polls: an open tab is not a person
// reading, and the poll must not touch the database.
public sealed class PresenceFilter(Presence presence) : IAsyncActionFilter
{
    public async Task OnActionExecutionAsync(ActionExecutingContext context, ActionExecutionDelegate next)
    {
        var http = context.HttpContext;
        if (http.User.Identity?.IsAuthenticated == true && !(http.Request.Path.Value ?? "").EndsWith("/poll", StringComparison.Ordinal))
        {
            await presence.SeenAsync(http.User.UserId());
        }

        await next();
    }
}
