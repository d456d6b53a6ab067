using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace ChatMvc.Chat;

// Every page under /conversations/{conversationId} passes the membership check first: members go on, everyone
// else (including for an id that does not exist) gets the same 404.
[Authorize]
public abstract class ConversationScopedController(ConversationCache cache) : Controller
{
    protected ConversationCache Cache { get; } = cache;

    protected Membership Membership { get; private set; } = null!;

    protected long ConversationId => Membership.ConversationId;

    // The conversation's head as cached when membership was checked, if it was cached.
    protected ConversationHead? CachedHead => Membership.CachedHead;

    protected long CurrentUserId => User.UserId();

    // Who the message partials are rendered for: their controls depend on it.
    protected MessageViewer Viewer => new(CurrentUserId, Membership.IsOwner);

    public override async Task OnActionExecutionAsync(ActionExecutingContext context, ActionExecutionDelegate next)
    {
        if (await Membership.CheckAsync(HttpContext, Cache, RouteData.Values["conversationId"] as string) is not { } membership)
        {
            context.Result = NotFound();
            return;
        }

        Membership = membership;
        await next();
    }

    // A page shows no reasons for a refusal: the status page says what a 404 or 403 means. Invalid input is
    // the action's to show in its form; without a form to show it in, it is a plain 400.
    protected IActionResult Answer<T>(Outcome<T> outcome, Func<T, IActionResult> done, Func<Outcome<T>.Invalid, IActionResult>? invalid = null) =>
        outcome switch
        {
            Outcome<T>.Done(var value) => done(value),
            Outcome<T>.Invalid refused when invalid is not null => invalid(refused),
            Outcome<T>.Invalid => StatusCode(StatusCodes.Status400BadRequest),
            Outcome<T>.Forbidden => StatusCode(StatusCodes.Status403Forbidden),
            _ => NotFound(),
        };

    protected async Task<IActionResult> AnswerAsync<T>(
        Outcome<T> outcome, Func<T, IActionResult> done, Func<Outcome<T>.Invalid, Task<IActionResult>> invalid) =>
        outcome is Outcome<T>.Invalid refused ? await invalid(refused) : Answer(outcome, done);
}
