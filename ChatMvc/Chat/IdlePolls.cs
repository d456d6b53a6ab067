using System.Globalization;

namespace ChatMvc.Chat;

// Marks a poll action whose "nothing changed" answer IdlePolls gives before MVC runs.
[AttributeUsage(AttributeTargets.Method)]
public sealed class IdlePollAttribute(IdlePollKind kind) : Attribute
{
    public IdlePollKind Kind { get; } = kind;
}

public enum IdlePollKind
{
    // GET /conversations/{conversationId}/poll?after=&v=: the chat window's cursor against the conversation's head.
    Conversation,

    // GET /conversations/poll?v=: the conversation list's inbox version.
    ConversationList,
}

// Most polls find nothing new, and their answer is a bare 204: this gives it after routing, authentication and
// authorization (the action's own [Authorize]) but before MVC's action invoker, filters and model binding, from the
// same membership check and cached head the controllers use (no SQL and, with the local copies, no I/O). Whatever is
// not plainly idle (something changed, a non-member, a head not cached, a cursor that is not a number) goes on to the
// action, which checks again and renders the update through its partials as before.
public static class IdlePolls
{
    public static IApplicationBuilder UseIdlePolls(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        if (http.GetEndpoint()?.Metadata.GetMetadata<IdlePollAttribute>() is { } poll
            && http.User.Identity?.IsAuthenticated == true
            && await IsIdleAsync(http, poll.Kind))
        {
            http.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }

        await next(http);
    });

    private static async Task<bool> IsIdleAsync(HttpContext http, IdlePollKind kind)
    {
        var cache = http.RequestServices.GetRequiredService<ConversationCache>();
        var query = http.Request.Query;
        if (kind == IdlePollKind.ConversationList)
        {
            return Cursor(query["v"]) is { } version && await cache.InboxVersionAsync(http.User.UserId()) == version;
        }

        return Cursor(query["after"]) is { } after && Cursor(query["v"]) is { } changeCounter
            && await Membership.CheckAsync(http, cache, http.GetRouteValue("conversationId") as string) is { CachedHead: { } head }
            && head.IsSeenFrom(after, changeCounter);
    }

    private static long? Cursor(Microsoft.Extensions.Primitives.StringValues value) =>
        value.Count == 1 && long.TryParse(value[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
            ? number
            : null;
}
