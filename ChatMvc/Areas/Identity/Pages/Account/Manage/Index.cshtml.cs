using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ChatMvc.Areas.Identity.Pages.Account.Manage;

// The shipped page edits the user name and a phone number: a second "Profile" beside /profile, which holds what
// other people see (display name, picture). Its address goes to the one profile page.
public sealed class IndexModel : PageModel
{
    public IActionResult OnGet() => LocalRedirect("~/profile");

    public IActionResult OnPost() => LocalRedirect("~/profile");
}
