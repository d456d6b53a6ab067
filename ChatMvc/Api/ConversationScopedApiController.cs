using ChatMvc.Chat;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace ChatMvc.Api;

// Every route under /api/v1/conversations/{id} passes the same membership check as the pages: members go on,
// everyone else (including for an id that does not exist) gets the same 404.
public abstract class ConversationScopedApiController(ConversationCache cache) : ApiController, IAsyncActionFilter
{
    protected ConversationCache Cache { get; } = cache;

    protected Membership Membership { get; private set; } = null!;

    protected long ConversationId => Membership.ConversationId;

    // The conversation's head as cached when membership was checked, if it was cached.
    protected ConversationHead? CachedHead => Membership.CachedHead;

    [NonAction]
    public async Task OnActionExecutionAsync(ActionExecutingContext context, ActionExecutionDelegate next)
    {
        var raw = RouteData.Values["id"] as string;
        if (await Membership.CheckAsync(HttpContext, Cache, raw) is not { } membership)
        {
            context.Result = Refuse(StatusCodes.Status404NotFound, $"There is no conversation {raw} that you are a member of.");
            return;
        }

        Membership = membership;
        await next();
    }
}
