using System.Data.Common;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace ChatMvc.Controllers;

[AllowAnonymous]
[ApiExplorerSettings(IgnoreApi = true)]
public class HomeController : Controller
{
    // Where unhandled exceptions end up. A database that does not answer is a 503 the person can wait out,
    // not a 500; nothing was acknowledged, so nothing is lost.
    [Route("/error")]
    [ResponseCache(Duration = 0, Location = ResponseCacheLocation.None, NoStore = true)]
    public IActionResult Error()
    {
        var failure = HttpContext.Features.Get<IExceptionHandlerPathFeature>();
        var databaseDown = IsDatabaseFailure(failure?.Error);
        var status = databaseDown ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status500InternalServerError;
        if (databaseDown)
        {
            Response.Headers.RetryAfter = "5";
        }

        if (failure?.Path.StartsWith("/api/", StringComparison.OrdinalIgnoreCase) == true)
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

    [Route("/status/{code:int}")]
    public IActionResult Status(int code) => View(code);

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
