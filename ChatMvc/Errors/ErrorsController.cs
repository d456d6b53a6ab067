using System.Data.Common;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace ChatMvc.Errors;

// The error and status pages are re-executed with the failed request's method: for a POST refused for a missing or
// forged antiforgery token they must not ask for the token again, or the person gets a blank page.
[AllowAnonymous]
[IgnoreAntiforgeryToken]
[ApiExplorerSettings(IgnoreApi = true)]
public sealed class ErrorsController : Controller
{
    // Where unhandled exceptions end up. A database that does not answer is a 503 the person can wait out,
    // not a 500; nothing was acknowledged, so nothing is lost.
    [Route("/error")]
    [ResponseCache(Duration = 0, Location = ResponseCacheLocation.None, NoStore = true)]
    public IActionResult Error()
    {
        // Only the exception handler has something to show here.
        if (HttpContext.Features.Get<IExceptionHandlerPathFeature>() is not { } failure)
        {
            return NotFound();
        }

        var databaseDown = IsDatabaseFailure(failure.Error);
        var status = databaseDown ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status500InternalServerError;
        if (databaseDown)
        {
            Response.Headers.RetryAfter = "5";
        }

        if (failure.Path.StartsWith("/api/", StringComparison.OrdinalIgnoreCase))
        {
            return Problem(
                statusCode: status,
                title: databaseDown ? "The database is not answering" : "Something went wrong",
                detail: databaseDown
                    ? "Nothing was saved. Try again in a few seconds."
                    : "The server could not complete the request. Try again; if it keeps failing, tell the administrator.");
        }

        Response.StatusCode = status;
        return View(databaseDown);
    }

    // The code is read from the route rather than bound: a re-executed request whose form the framework refused to
    // read has nothing bound at all.
    [Route("/status/{code:int}")]
    public IActionResult Status() =>
        View(int.Parse((string)RouteData.Values["code"]!, System.Globalization.CultureInfo.InvariantCulture));

    public static bool IsDatabaseFailure(Exception? error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is DbException)
            {
                return true;
            }
        }

        return false;
    }
}
