using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace ChatMvc.Security;

// A form the framework refuses to read (a percent-encoded NUL, more fields or longer names than it allows) leaves
// every parameter unbound, with one error under the empty key, and the action would run on nothing. When the
// antiforgery token came in the form, antiforgery refuses such a request first; when it came in the header, as
// from htmx, this does. The error and status pages, re-executed with the same form, still show.
public sealed class UnreadableFormFilter : IActionFilter
{
    public void OnActionExecuting(ActionExecutingContext context)
    {
        var http = context.HttpContext;
        if (http.Request.HasFormContentType
            && context.ModelState.TryGetValue(string.Empty, out var entry) && entry.Errors.Count > 0
            && http.Features.Get<IStatusCodeReExecuteFeature>() is null && http.Features.Get<IExceptionHandlerFeature>() is null)
        {
            context.Result = new BadRequestResult();
        }
    }

    public void OnActionExecuted(ActionExecutedContext context)
    {
    }
}
