using ChatMvc.Api;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.Infrastructure;

namespace ChatMvc.Chat;

// Routes only a group's owner may use. Runs after the membership check, whose role it reads, so non-members still
// get the 404 and members the 403: the pages' status page, or for the API problem+json with the reason.
// A direct conversation has no owner, so its members are refused here too.
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class)]
public sealed class OwnerOnlyAttribute(string reason = "Only the group's owner can do this.") : Attribute, IAsyncActionFilter
{
    public string Reason { get; } = reason;

    public async Task OnActionExecutionAsync(ActionExecutingContext context, ActionExecutionDelegate next)
    {
        var membership = Membership.Of(context.HttpContext)
            ?? throw new InvalidOperationException("[OwnerOnly] needs a conversation-scoped controller, which checks membership first.");
        if (membership.IsOwner)
        {
            await next();
            return;
        }

        if (context.Controller is ApiController)
        {
            var http = context.HttpContext;
            var problem = http.RequestServices.GetRequiredService<ProblemDetailsFactory>()
                .CreateProblemDetails(http, StatusCodes.Status403Forbidden, detail: Reason);
            context.Result = new ObjectResult(problem) { StatusCode = problem.Status };
        }
        else
        {
            context.Result = new StatusCodeResult(StatusCodes.Status403Forbidden);
        }
    }
}
