using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace ChatMvc.Controllers;

public class HomeController : Controller
{
    [Authorize]
    public IActionResult Index() => View();

    [AllowAnonymous]
    [ResponseCache(Duration = 0, Location = ResponseCacheLocation.None, NoStore = true)]
    public IActionResult Error() => View();

    [AllowAnonymous]
    [Route("/Home/Status/{code:int}")]
    public IActionResult Status(int code) => View(code);
}
