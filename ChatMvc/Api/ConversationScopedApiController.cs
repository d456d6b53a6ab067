using System.Globalization;
using ChatMvc.Chat;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace ChatMvc.Api;

// Every route under /api/v1/conversations/{id} passes here first, as the pages pass ConversationScopedController:
// members go on, everyone else (including for an id that does not exist) gets the same 404.
public abstract class ConversationScopedApiController(ConversationCache cache) : ApiController, IAsyncActionFilter
{
    protected ConversationCache Cache { get; } = cache;

    protected long ConversationId { get; private set; }

    protected bool IsOwner { get; private set; }

    // The conversation's head as cached when membership was checked, if it was cached.
    protected ConversationHead? CachedHead { get; private set; }

    [NonAction]
    public async Task OnActionExecutionAsync(ActionExecutingContext context, ActionExecutionDelegate next)
    {
        var raw = RouteData.Values["id"] as string;
        if (!long.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            || await Cache.AccessAsync(id, CurrentUserId) is not ({ } role, var head))
        {
            context.Result = Refuse(StatusCodes.Status404NotFound, $"There is no conversation {raw} that you are a member of.");
            return;
        }

        ConversationId = id;
        CachedHead = head;
        IsOwner = role == MemberRoles.Owner;
        await next();
    }
}
