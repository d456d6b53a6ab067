using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace ChatMvc.Chat;

// Every route under /conversations/{conversationId} passes here first: members go on, everyone else
// (including for an id that does not exist) gets the same 404. The member list comes from the cache.
[Authorize]
public abstract class ConversationScopedController(ConversationCache cache) : Controller
{
    protected ConversationCache Cache { get; } = cache;

    protected long ConversationId { get; private set; }

    protected bool IsOwner { get; private set; }

    // The conversation's head as cached when membership was checked, if it was cached.
    protected ConversationHead? CachedHead { get; private set; }

    protected long CurrentUserId => User.UserId();

    // Who the message partials are rendered for: their controls depend on it.
    protected MessageViewer Viewer => new(CurrentUserId, IsOwner);

    public override async Task OnActionExecutionAsync(ActionExecutingContext context, ActionExecutionDelegate next)
    {
        if (!long.TryParse(RouteData.Values["conversationId"] as string, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            || await Cache.AccessAsync(id, CurrentUserId) is not ({ } role, var head))
        {
            context.Result = NotFound();
            return;
        }

        ConversationId = id;
        CachedHead = head;
        IsOwner = role == MemberRoles.Owner;
        await next();
    }
}
