using ChatMvc.Chat;
using ChatMvc.Images;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.Infrastructure;

namespace ChatMvc.Api;

// What every /api/v1 controller shares: the bearer token or the site cookie, problem details for every error,
// a small JSON body limit, and antiforgery for cookie-authenticated changes instead of for every form.
[ApiController]
[Authorize(Policy = Policy)]
[IgnoreAntiforgeryToken]
[CookieAntiforgery]
[RequestSizeLimit(JsonBodyLimit)]
public abstract class ApiController : ControllerBase
{
    public const string Policy = "api";

    // Room for the longest message body even when every character arrives as a \uXXXX escape.
    public const int JsonBodyLimit = 64 * 1024;

    // The largest image the app accepts, and room for the form around it.
    public const long UploadBodyLimit = ImageProcessor.MaxBytes + JsonBodyLimit;

    protected long CurrentUserId => User.UserId();

    protected ObjectResult Refuse(int status, string detail) => Problem(detail: detail, statusCode: status);

    protected ActionResult Invalid(string field, string message)
    {
        ModelState.AddModelError(field, message);
        return Invalid();
    }

    // A command's refusal as problem+json with its reason: 404, 403, or 400 naming every field at fault.
    protected ActionResult Answer<T>(Outcome<T> outcome, Func<T, ActionResult> done)
    {
        switch (outcome)
        {
            case Outcome<T>.Done(var value):
                return done(value);
            case Outcome<T>.Invalid(var errors):
                foreach (var error in errors)
                {
                    ModelState.AddModelError(error.Field, error.Message);
                }

                return Invalid();
            case Outcome<T>.Forbidden(var reason):
                return Refuse(StatusCodes.Status403Forbidden, reason);
            case Outcome<T>.NotFound(var reason):
                return Refuse(StatusCodes.Status404NotFound, reason);
            default:
                throw new InvalidOperationException($"Unknown outcome {outcome}.");
        }
    }

    protected ActionResult Invalid() =>
        ValidationProblem(
            detail: string.Join(" ", ModelState.Values.SelectMany(v => v.Errors).Select(e => e.ErrorMessage)),
            modelStateDictionary: ModelState);

    // A file over the size limit is a 413 like any oversize body, one sent while the person's previous photo is still
    // in progress a 429 with the wait; anything else wrong with it is the field's fault.
    protected ActionResult RefuseImage(RejectionReason reason, string message) => reason switch
    {
        RejectionReason.TooLarge => Refuse(StatusCodes.Status413PayloadTooLarge, message),
        RejectionReason.Busy or RejectionReason.Unavailable => Refuse(Response.StatusForRefused(reason), message),
        _ => Invalid("file", message),
    };

    protected async Task<bool> IsBearerAsync() =>
        (await HttpContext.AuthenticateAsync(IdentityConstants.BearerScheme)).Succeeded;
}

// The site cookie rides along on requests other sites make, a bearer token never does. So a change made with the
// cookie must carry the antiforgery token in the RequestVerificationToken header, as the pages' htmx requests do;
// a change made with a bearer token needs none.
[AttributeUsage(AttributeTargets.Class)]
public sealed class CookieAntiforgeryAttribute : Attribute, IAsyncAuthorizationFilter
{
    public async Task OnAuthorizationAsync(AuthorizationFilterContext context)
    {
        var http = context.HttpContext;
        if (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method) || HttpMethods.IsOptions(http.Request.Method)
            || context.ActionDescriptor.EndpointMetadata.OfType<IAllowAnonymous>().Any()
            || (await http.AuthenticateAsync(IdentityConstants.BearerScheme)).Succeeded)
        {
            return;
        }

        try
        {
            await http.RequestServices.GetRequiredService<IAntiforgery>().ValidateRequestAsync(http);
        }
        catch (AntiforgeryValidationException)
        {
            var problem = http.RequestServices.GetRequiredService<ProblemDetailsFactory>().CreateProblemDetails(
                http,
                StatusCodes.Status400BadRequest,
                title: "Antiforgery token missing or invalid",
                detail: "This request was signed in with the site's cookie, so a change must also send the antiforgery token "
                    + "in the RequestVerificationToken header (the value of any page form's __RequestVerificationToken field). "
                    + "Scripts should sign in with POST /api/v1/auth/login and send a bearer token instead.");
            context.Result = new ObjectResult(problem) { StatusCode = problem.Status };
        }
    }
}
