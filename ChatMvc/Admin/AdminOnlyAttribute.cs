using ChatMvc.Api;
using ChatMvc.Chat;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.Infrastructure;

namespace ChatMvc.Admin;

// The admin area exists only for administrators: everyone else signed in gets the same 404 as for an address that
// does not exist (problem+json for the API). Runs before model binding and the other filters, so what a request
// sends cannot tell anyone more. Asks the database, not the cookie, so a demotion counts from the next request.
[AttributeUsage(AttributeTargets.Class)]
public sealed class AdminOnlyAttribute : Attribute, IAsyncAuthorizationFilter, IOrderedFilter
{
    public int Order => int.MinValue;

    public async Task OnAuthorizationAsync(AuthorizationFilterContext context)
    {
        var http = context.HttpContext;
        // The controllers' [Authorize] has already sent anyone signed out to sign in.
        if (http.User.Identity?.IsAuthenticated == true
            && await http.RequestServices.GetRequiredService<Administration>().IsAdminAsync(http.User.UserId()))
        {
            return;
        }

        if (context.ActionDescriptor is Microsoft.AspNetCore.Mvc.Controllers.ControllerActionDescriptor action
            && typeof(ApiController).IsAssignableFrom(action.ControllerTypeInfo))
        {
            var problem = http.RequestServices.GetRequiredService<ProblemDetailsFactory>()
                .CreateProblemDetails(http, StatusCodes.Status404NotFound, detail: "There is nothing at this address.");
            context.Result = new ObjectResult(problem) { StatusCode = problem.Status };
        }
        else
        {
            context.Result = new NotFoundResult();
        }
    }
}
